"""Rasa's check of action server answers, built once: same verdicts and errors as Rasa's own."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa import action_response_check

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "ar"}], "responses": [{"text": "مرحبا"}]},
    {"responses": [{"text": "Hej", "buttons": [{"title": "Meny", "payload": "/menu"}], "custom": {"lang": "sv"}}]},
    {},
]
INVALID = [
    {"events": [{"name": "language"}]},  # an event without its type
    {"events": {"event": "slot"}},  # events not a list
    {"responses": ["Hej"]},  # a response that is not an object
    [],
]


def _rasa_verdict(result: object) -> str | None:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return None
    except jsonschema.ValidationError as error:
        return error.message


@pytest.mark.parametrize("result", VALID)
def test_valid_answers_pass(result: dict) -> None:
    assert _rasa_verdict(result) is None
    assert action_response_check.validate_action_result(RemoteAction("x", None), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_answers_fail_with_rasas_message(result: dict) -> None:
    expected = _rasa_verdict(result)
    assert expected is not None
    with pytest.raises(jsonschema.ValidationError) as raised:
        action_response_check.validate_action_result(RemoteAction("x", None), result)
    assert raised.value.message.startswith(expected + ". Failed to validate Action server response")


def test_the_rest_channel_installs_it_for_every_remote_action() -> None:
    import bot.rasa.channel  # noqa: F401  (Rasa loads it from credentials.yml)

    assert RemoteAction._validate_action_result is action_response_check.validate_action_result
    with pytest.raises(jsonschema.ValidationError):
        RemoteAction("x", None)._validate_action_result({"events": [{"name": "language"}]})
