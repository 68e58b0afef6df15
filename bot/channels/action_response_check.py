"""Checks the action server's responses with one compiled JSON-schema validator, not a new one per call.

Rasa 3.6's RemoteAction checks every action-server response with `jsonschema.validate()`, which first
checks the schema itself against JSON Schema's meta-schema, on every call. A py-spy profile of the
Rasa server under load put that at 18 % of its CPU (most of it the meta-schema check).
`install()` replaces the method with the same check through a validator built (and checked) once:
the same responses pass, the same ValidationError with the same hint is raised for the others.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result of Rasa 3.6 with the validator built once."""
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
