"""Insights for content work: the questions the assistant could not answer, without who asked.

Coordinators see, per language and nearest topic, how many questions went unanswered each week
and a few examples, so they know what to write next. A question is stored only scrubbed of
personal data (`scrub`), with its day but never its time or its conversation, and only for
INSIGHTS_RETENTION_DAYS. See README "Insights".
"""
