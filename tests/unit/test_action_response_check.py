import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot.channels import action_response_check

VALID = [
    {"events": [{"event": "slot", "name": "language", "value": "pl"}], "responses": [{"text": "Czesc"}]},
    {"events": [], "responses": []},
    {},
]
INVALID = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
    [],
]


@pytest.mark.parametrize("result", VALID)
def test_responses_rasa_accepts_pass(result):
    validate(result, RemoteAction.action_response_format_spec())
    assert action_response_check.validate_action_result(RemoteAction("action_x", None), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_responses_rasa_rejects_raise_the_same_error_with_the_docs_hint(result):
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action_response_check.validate_action_result(RemoteAction("action_x", None), result)


def test_install_replaces_rasas_check():
    action_response_check.install()
    assert RemoteAction._validate_action_result is action_response_check.validate_action_result
    with pytest.raises(ValidationError):
        RemoteAction("action_x", None)._validate_action_result({"events": [{"event": "no_such_event"}]})
