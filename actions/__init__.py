"""Rasa custom actions: each fetches its text from `content/` through `bot`."""
