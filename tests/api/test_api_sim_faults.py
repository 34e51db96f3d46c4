"""The simulator's injected faults through the client, with a distinctive key that must leak nowhere."""

import logging

import pytest
from leak_check import SECRET_KEY, exception_leaks

from tringtui.api.client import TringClient
from tringtui.api.errors import (
    ErrorPage,
    KeyRejected,
    MalformedResponse,
    OutcomeUnknown,
    ResponseTooLarge,
    TransportError,
    TringError,
)
from tringtui.sim import ApiKey, SimServer



@pytest.fixture
def secret_server(sim_pbx):
    server = SimServer(sim_pbx, keys={SECRET_KEY: ApiKey(SECRET_KEY, "tenant", "DEVEL", "rw")}).start()
    yield server
    server.stop()


@pytest.fixture
async def secret_client(secret_server):
    async with TringClient(secret_server.url, SECRET_KEY, "DEVEL", timeout=0.5, max_body_bytes=100_000) as client:
        yield client


async def failure(coro) -> TringError:
    with pytest.raises(TringError) as info:
        await coro
    assert not exception_leaks(info.value, SECRET_KEY)
    return info.value


@pytest.mark.parametrize(
    "mode, read_error, write_error",
    [
        ("hang", TransportError, OutcomeUnknown),
        ("drop", TransportError, OutcomeUnknown),
        ("malformed", MalformedResponse, None),
        ("truncated", MalformedResponse, None),
        ("html", ErrorPage, OutcomeUnknown),
        ("key_rejected", KeyRejected, KeyRejected),
        ("oversized", ResponseTooLarge, OutcomeUnknown),
    ],
)
async def test_faults_become_the_right_errors_without_leaking_the_key(
    secret_server, secret_client, caplog, mode, read_error, write_error
):
    caplog.set_level(logging.DEBUG)
    secret_server.faults.hang_seconds = 2
    secret_server.faults.oversized_bytes = 300_000
    secret_server.faults.mode = mode
    error = await failure(secret_client.peers())
    assert type(error) is read_error and error.reqtype == "PEERS"
    reads_sent = len(secret_server.request_log)
    assert reads_sent == (2 if mode == "drop" else 1)  # a read is retried once after a drop only
    if write_error is not None:
        secret_server.clear_log()
        error = await failure(secret_client.set_flow("801", "INUSE"))
        assert type(error) is write_error
        assert len(secret_server.request_log) == 1  # never retried
    assert SECRET_KEY not in caplog.text
    assert all(SECRET_KEY not in repr(r.params) for r in secret_server.request_log)


async def test_a_lost_answer_does_not_mean_nothing_happened(secret_server, secret_client, sim_pbx):
    secret_server.faults.mode = "drop"
    with pytest.raises(OutcomeUnknown, match="may or may not"):
        await secret_client.set_flow("801", "INUSE")
    assert sim_pbx.flow("801", "DEVEL").state == "INUSE"  # the sim acted; only the answer was lost


async def test_latency_beyond_the_total_cap(secret_server, secret_client):
    secret_server.faults.set_latency("CHANNELS", 1.5)
    error = await failure(secret_client.channels())
    assert type(error) is TransportError and "0.5 s" in str(error)
    assert await secret_client.peers()  # other request types are not slowed


async def test_error_rate_pages_are_classified(secret_server, secret_client):
    secret_server.faults.error_rate = 1.0
    error = await failure(secret_client.count_calls())
    assert type(error) is ErrorPage and "500" in str(error)
