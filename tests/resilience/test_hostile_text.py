"""A hostile server's text never drives the operator's terminal.

Escape sequences can hide in any text the server sends: a peer's name (as a
JSON escape), a broken body an error message quotes, the message of an
action's answer. Textual writes ESC through to the terminal, so the API
layer must hand none of it on.
"""

from __future__ import annotations

import json

import pytest

from tests.api.hostile_server import HostileServer, Reply
from tests.resilience.harness import Rig, title_status, wait_until
from tringtui.api.client import TringClient
from tringtui.api.errors import MalformedResponse
from tringtui.settings import PANES

ESCAPES = "\x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b31m"  # clear screen, write the clipboard, C1 CSI


def harmless(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b")


@pytest.fixture
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


async def test_names_sent_as_json_escapes_arrive_harmless(hostile):
    peer = {"node": "pbx21", "Name": "101-DEVEL" + ESCAPES, "Host": "10.0.0.1", "Status": "OK (5 ms)"}
    hostile.reply = Reply(json.dumps([peer]))  # json.dumps spells the controls as \u001b etc.
    async with TringClient(hostile.url, "k", "DEVEL") as client:
        (parsed,) = await client.peers()
    assert parsed.name.startswith("101-DEVEL")
    assert harmless(parsed.name)


async def test_a_quoted_broken_body_and_an_action_message_arrive_harmless(hostile):
    async with TringClient(hostile.url, "k", "DEVEL") as client:
        hostile.reply = Reply("[" + ESCAPES)
        with pytest.raises(MalformedResponse) as broken:
            await client.channels()
        assert ESCAPES[:2] not in str(broken.value) and harmless(str(broken.value))
        hostile.reply = Reply("Success|hung up" + ESCAPES + "|")
        result = await client.hangup("SIP/101-DEVEL-00000001")
        assert result.message.startswith("hung up") and harmless(result.message)


async def test_pane_titles_quote_hostile_bodies_harmlessly(hostile):
    hostile.reply = Reply("oops " + ESCAPES + " not json at all")
    rig = Rig.create()
    app = rig.app(rig.settings(hostile.url))
    async with app.run_test(size=(80, 24)) as pilot:
        for pane_id in PANES:
            await wait_until(lambda: app.panes[pane_id].snapshot.error is not None, what=f"the {pane_id} error")
        await pilot.pause()
        for pane_id in PANES:
            assert "oops" in app.panes[pane_id].snapshot.error.message
            assert harmless(app.panes[pane_id].snapshot.error.message), pane_id
            assert harmless(title_status(app, pane_id)), pane_id
