"""The Telegram front end: where participants chat with Hälsolotsen on their phones.

A python-telegram-bot `Application` (long polling by default, a webhook in production) that
passes each message to Rasa's REST channel and shows the answer as Telegram expects it: text,
then a voice message, with the follow-up choices as inline buttons.
"""
