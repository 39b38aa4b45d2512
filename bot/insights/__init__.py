"""Insights for content work: the questions the assistant could not answer, without who asked.

Coordinators see, per language and nearest topic, how many questions went unanswered each week
and a few examples, so they know what to write next. A question is counted with its day, never
its time or its conversation, for INSIGHTS_RETENTION_DAYS; its text is kept only if the
participant tapped yes to keeping it, and only scrubbed of personal data (`scrub`).
See README "Insights".
"""
