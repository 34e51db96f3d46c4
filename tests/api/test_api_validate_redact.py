"""Input validation before sending, key redaction helpers, and the API layer's import cost."""

import logging
import subprocess
import sys

import pytest
from leak_check import SECRET_KEY

from tringtui.api import validate
from tringtui.api.errors import InvalidParameter, ParameterError
from tringtui.api.redact import RedactingFilter, redact_text, redact_url


@pytest.mark.parametrize(
    "check, good, bad",
    [
        (validate.destination, ["0612345678", "+31612345678", "*80", "#1", " 103 "], ["", "06-1234", "abc", "+", "1" * 33, "12 34"]),
        (validate.extension, ["103", "103-DEVEL", "103-Shop42", "7-a.b_c"], ["", "DEVEL", "103-", "10 3", "-DEVEL", "103/DEVEL"]),
        (validate.peer, ["ALL", "103-DEVEL", "103"], ["all", "kamailio", "103 DEVEL"]),
        (validate.channel, ["SIP/103-DEVEL-0000a3f1", "Local/AG-000-NF-55@fromotherpbx-00000012;1"], ["103-DEVEL", "SIP/", "SIP/a b"]),
        (validate.flow_number, ["801", "*80"], ["", "80a", "+80"]),
        (validate.queue_id, ["281", 281], ["", "28a", "-1", True]),
        (validate.queue_number, ["600", "*600"], ["6 00"]),
        (validate.pause_reason, ["", "lunch break", "x" * 64], ["x" * 65, "tab\there", "bell\x07"]),
        (validate.tenant, ["DEVEL", "Shop42", "a-b.c"], ["", "DE VEL", "-X", "x" * 41]),
    ],
)
def test_validators(check, good, bad):
    for value in good:
        assert check(value) == str(value).strip()
    for value in bad:
        with pytest.raises(InvalidParameter) as info:
            check(value)
        assert isinstance(info.value, ValueError) and isinstance(info.value, ParameterError)
        assert str(info.value)


def test_enumerated_values_are_normalised():
    assert validate.flow_state("inuse") == "INUSE"
    assert validate.agent_type("ea") == "EA"
    for check, value in ((validate.flow_state, "BUSY"), (validate.agent_type, "ZZ")):
        with pytest.raises(InvalidParameter, match="expected one of"):
            check(value)


def test_redact_url_masks_the_key_and_passwords():
    url = f"https://api.tring.nu/pbx/proxyapi.php?key={SECRET_KEY}&reqtype=CHECKAUTH&password=pw1&tenant=X"
    assert redact_url(url) == "https://api.tring.nu/pbx/proxyapi.php?key=***&reqtype=CHECKAUTH&password=***&tenant=X"
    assert redact_url("https://h/p?reqtype=X&KEY=abc#frag") == "https://h/p?reqtype=X&KEY=***#frag"


def test_redact_text_masks_raw_and_url_encoded_secrets():
    secret = "a b/c+d"
    text = f"raw {secret} quoted a%20b%2Fc%2Bd plus a+b%2Fc%2Bd"
    assert redact_text(text, [secret]) == "raw *** quoted *** plus ***"
    assert redact_text("nothing here", [""]) == "nothing here"


def test_redacting_filter_rewrites_records():
    handler_records = []

    class Collect(logging.Handler):
        def emit(self, record):
            handler_records.append(self.format(record))

    logger = logging.getLogger("tests.api.redact")
    logger.propagate = False
    collect = Collect()
    collect.addFilter(RedactingFilter([SECRET_KEY]))
    logger.addHandler(collect)
    try:
        logger.warning("key %s in %s", SECRET_KEY, f"http://h/?key={SECRET_KEY}&x=1")
        logger.warning("plain message with no arguments")
    finally:
        logger.removeHandler(collect)
    assert handler_records == ["key *** in http://h/?key=***&x=1", "plain message with no arguments"]


def test_cli_parser_does_not_import_httpx_and_the_models_do_not_either():
    code = (
        "import sys, tringtui.cli, tringtui.api.models, tringtui.api.errors; tringtui.cli.build_parser(); "
        "assert 'httpx' not in sys.modules, 'httpx imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_which_requests_may_write():
    from tringtui.api.client import is_write

    for reqtype, params in (("PEERS", {}), ("info", {"info": "cdrs"}), ("CDRS", {}), ("QUEUE", {"action": "list"})):
        assert not is_write(reqtype, params)
    for reqtype, params in (
        ("HANGUP", {}),
        ("QUEUE", {"action": "add"}),
        ("QUEUE", {}),
        ("PHONEBOOK", {"subreqtype": "delete"}),
        ("MANAGEDB", {"action": "update"}),
        ("SOMETHINGNEW", {}),
    ):
        assert is_write(reqtype, params)
