"""Fixtures for the API layer tests: a scripted hostile HTTP server and a client pointed at it."""

import pytest
from hostile_server import HostileServer
from leak_check import SECRET_KEY

from tringtui.api.client import TringClient


@pytest.fixture
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


@pytest.fixture
async def hostile_client(hostile):
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", timeout=2.0)
    yield client
    await client.aclose()
