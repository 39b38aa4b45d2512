"""Hälsolotsen: a multilingual health-literacy guide for newcomers in Sweden."""

import os

# TensorFlow (pulled in by spaCy's thinc and by Rasa) prints hardware notes on import that
# coordinators running `python -m bot check` should not have to read.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Rasa would otherwise send usage statistics to its vendor; a public-sector assistant does not.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
