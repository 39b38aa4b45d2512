"""Rasa's check of each action server answer, with the JSON schema checked once instead of every time.

Rasa 3.6 checks every answer of the action server with `jsonschema.validate(answer, schema)`
(`RemoteAction._validate_action_result`). That call first validates the schema itself against
JSON Schema's meta-schema and builds a new validator, on every custom action call; with our
actions answering nearly every message, this was half the Rasa server's CPU time under load
(BENCHMARKS.md, "Profile"). Here the schema is checked once and one validator is reused: the same
answers pass, and a wrong answer raises the same error with the same message as before.

`install()` runs when the Rasa server loads our REST channel (bot/rasa/channel.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """As Rasa's own: True for a valid answer, else the best-matching ValidationError, explained."""
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Makes every RemoteAction in this process use the validator built once."""
    RemoteAction._validate_action_result = validate_action_result
