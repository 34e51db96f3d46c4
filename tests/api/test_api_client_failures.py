"""The client against a hostile server: exact bodies, network failures, bounds, retries, redaction."""

import asyncio
import logging
import socket

import pytest
from hostile_server import Reply
from leak_check import SECRET_KEY, exception_leaks

from tringtui.api.client import TringClient, Timeouts
from tringtui.api.errors import (
    ActionRefused,
    ErrorPage,
    InvalidParameter,
    KeyRejected,
    MalformedResponse,
    OutcomeUnknown,
    ParameterError,
    ReadOnlyError,
    ResponseTooLarge,
    TransportError,
    TringError,
)
from tringtui.settings import Secret

KEY_REJECTED = "Too bad... you mistaken the security api key."


async def failure_of(coro) -> TringError:
    with pytest.raises(TringError) as info:
        await coro
    leaks = exception_leaks(info.value, SECRET_KEY)
    assert not leaks, f"key leaked in {leaks}"
    return info.value


# ------------------------------------------------------------------ the wire


async def test_request_shape(hostile, hostile_client):
    hostile.reply = Reply('{"pbx21": 3}')
    await hostile_client.count_peers()
    assert hostile.paths == ["/pbx/proxyapi.php"]
    assert hostile.requests == [{"key": SECRET_KEY, "tenant": "DEVEL", "reqtype": "COUNTPEERS", "format": "json"}]


async def test_a_byte_order_mark_before_the_body_is_ignored(hostile, hostile_client):
    """PHP emits the BOM of a source file saved with one before the real output."""
    hostile.reply = Reply('\ufeff{"pbx21": 3}'.encode())
    assert (await hostile_client.count_peers()).as_dict() == {"pbx21": 3}
    hostile.reply = Reply("\ufeffToo bad... you mistaken the security api key.".encode(), content_type="text/html")
    with pytest.raises(KeyRejected):
        await hostile_client.count_peers()


async def test_params_are_encoded_not_spliced(hostile, hostile_client):
    hostile.reply = Reply("")
    await hostile_client.request("INFO", info="cdrs", src="1&key=evil#x y", tenant="A+B")
    (query,) = hostile.requests
    assert query["src"] == "1&key=evil#x y" and query["key"] == SECRET_KEY and query["tenant"] == "A+B"


async def test_key_may_be_a_secret_and_never_shows_in_repr(hostile):
    client = TringClient(hostile.url + "/", Secret(SECRET_KEY), "DEVEL")
    assert SECRET_KEY not in repr(client) and SECRET_KEY not in str(client)
    assert SECRET_KEY not in repr(client.with_tenant("ACME"))
    assert "key=***" in repr(client)
    hostile.reply = Reply("null")
    assert await client.queue_members(queue_id=281) == []
    assert hostile.requests[0]["key"] == SECRET_KEY
    await client.aclose()


async def test_with_tenant_shares_the_pool_and_changes_the_tenant(hostile, hostile_client):
    hostile.reply = Reply("[]")
    acme = hostile_client.with_tenant("ACME")
    await acme.peers()
    await hostile_client.peers()
    assert [q["tenant"] for q in hostile.requests] == ["ACME", "DEVEL"]
    await acme.aclose()  # a clone does not close the shared pool
    await hostile_client.peers()
    await hostile_client.aclose()
    error = await failure_of(acme.peers())
    assert isinstance(error, TransportError) and "closed" in str(error)


# ------------------------------------------------------------------ bodies that are not data


@pytest.mark.parametrize(
    "body, cls",
    [
        (KEY_REJECTED, KeyRejected),
        ("Wrong or missing tenant", ParameterError),
        ("No id specified", ParameterError),
        ("<html><head><title>500 Internal Server Error</title></head></html>", ErrorPage),
        ("pbx21 is on fire", MalformedResponse),
        ('{"Name": "103-DEVEL"}', MalformedResponse),
        ("[[1, 2]]", MalformedResponse),
    ],
)
async def test_read_failures_are_classified_and_say_what_and_where(hostile, hostile_client, body, cls):
    hostile.reply = Reply(body, content_type="text/html; charset=UTF-8")
    error = await failure_of(hostile_client.peers())
    assert type(error) is cls
    assert error.reqtype == "PEERS" and error.server == hostile.url.removeprefix("http://")
    assert str(error).startswith("PEERS on 127.0.0.1:")
    assert body[:20].split()[0] in str(error)  # what came back is quoted


async def test_http_error_status_is_an_error_page(hostile, hostile_client):
    hostile.reply = Reply("[]", status=503)
    error = await failure_of(hostile_client.peers())
    assert type(error) is ErrorPage and "503" in str(error)


@pytest.mark.parametrize("body", ["<html><body><h1>404 Not Found</h1></body></html>", "Not Found"])
async def test_a_404_says_where_the_client_looked_and_suspects_the_url(hostile, hostile_client, body):
    hostile.reply = Reply(body, status=404, content_type="text/html")
    error = await failure_of(hostile_client.peers())
    assert type(error) is ErrorPage
    assert "HTTP status 404" in str(error) and "/pbx/proxyapi.php: is the server URL right?" in str(error)


async def test_body_echoing_the_key_is_redacted(hostile, hostile_client):
    hostile.reply = Reply(f"<html><title>404</title>GET /pbx/proxyapi.php?key={SECRET_KEY}&reqtype=PEERS</html>")
    error = await failure_of(hostile_client.peers())
    assert "key=***" in error.body and "key=***" in str(error)


async def test_long_bodies_are_quoted_truncated(hostile, hostile_client):
    hostile.reply = Reply("x" * 5000)
    error = await failure_of(hostile_client.count_calls())
    assert isinstance(error, MalformedResponse) and len(str(error)) < 400


# ------------------------------------------------------------------ writes


@pytest.mark.parametrize(
    "body, cls",
    [
        ("Error|Channel not found|", ActionRefused),
        ("Channel does not exist", ActionRefused),
        (KEY_REJECTED, KeyRejected),
        ("No extension specified", ParameterError),
        ("", OutcomeUnknown),
        ("<html><title>502 Bad Gateway</title></html>", OutcomeUnknown),
    ],
)
async def test_write_answers(hostile, hostile_client, body, cls):
    hostile.reply = Reply(body)
    error = await failure_of(hostile_client.hangup("SIP/103-DEVEL-0000a3f1"))
    assert type(error) is cls and error.reqtype == "HANGUP"
    assert len(hostile.requests) == 1


async def test_refusal_carries_the_server_text(hostile, hostile_client):
    hostile.reply = Reply("Error|Channel not found|")
    error = await failure_of(hostile_client.hangup("SIP/103-DEVEL-0000a3f1"))
    assert "Channel not found" in str(error)


async def test_dial_reference_is_the_originate_id(hostile, hostile_client):
    hostile.reply = Reply("Success|Originate successfully queued|15a4cfe6429054|")
    result = await hostile_client.dial("103", "0612345678", account="103-DEVEL", autoanswer=True)
    assert result.ok and result.reference == "15a4cfe6429054"
    query = hostile.requests[0]
    assert (query["source"], query["dest"], query["account"], query["autoanswer"]) == (
        "103",
        "0612345678",
        "103-DEVEL",
        "yes",
    )


async def test_generic_write_refusal_raises(hostile, hostile_client):
    hostile.reply = Reply("Error|No such campaign|")
    error = await failure_of(hostile_client.request("CAMPAIGN", campaign="9", action="start"))
    assert isinstance(error, ActionRefused) and "No such campaign" in str(error)


# ------------------------------------------------------------------ network failures, retries


async def test_read_is_retried_once_after_a_dropped_connection(hostile, hostile_client):
    answers = iter([Reply(mode="drop"), Reply('{"pbx21": 4}')])
    hostile.reply = lambda query: next(answers)
    counts = await hostile_client.count_peers()
    assert counts.total == 4 and len(hostile.requests) == 2


async def test_read_gives_up_after_the_one_retry(hostile, hostile_client):
    hostile.reply = Reply(mode="drop")
    error = await failure_of(hostile_client.count_peers())
    assert type(error) is TransportError and "dropped" in str(error)
    assert len(hostile.requests) == 2


async def test_write_is_never_retried_and_a_drop_is_an_unknown_outcome(hostile, hostile_client):
    hostile.reply = Reply(mode="drop")
    error = await failure_of(hostile_client.reboot("103-DEVEL"))
    assert type(error) is OutcomeUnknown and "may or may not" in str(error)
    assert len(hostile.requests) == 1


async def test_write_timeout_is_an_unknown_outcome(hostile):
    hostile.reply = Reply(mode="hang")
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", timeout=0.3)
    error = await failure_of(client.set_flow("*80", "INUSE"))
    # The client's 0.3 s cap ended it (the server would only hang up after 10 s).
    assert type(error) is OutcomeUnknown and "0.3 s" in str(error)
    assert len(hostile.requests) == 1
    await client.aclose()


async def test_read_timeout_is_a_transport_error_and_not_retried(hostile):
    hostile.reply = Reply(mode="hang")
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", timeout=0.3)
    error = await failure_of(client.channels())
    assert type(error) is TransportError and "0.3 s" in str(error)
    assert len(hostile.requests) == 1
    await client.aclose()


async def test_total_cap_stops_a_trickling_answer(hostile):
    hostile.reply = Reply(mode="trickle", interval=0.05)
    client = TringClient(hostile.url, SECRET_KEY, timeout=Timeouts(connect=1, read=1, total=0.5))
    error = await failure_of(client.channels())
    # The trickle never ends by itself: only the total cap can have stopped it.
    assert type(error) is TransportError and "0.5 s" in str(error)
    await client.aclose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused(caplog):
    client = TringClient(f"http://127.0.0.1:{_closed_port()}", SECRET_KEY, "DEVEL")
    read_error = await failure_of(client.peers())
    assert type(read_error) is TransportError and "could not connect" in str(read_error)
    write_error = await failure_of(client.hangup(extension="103-DEVEL"))
    assert type(write_error) is TransportError  # nothing was sent, so the outcome is known
    await client.aclose()


# ------------------------------------------------------------------ size and concurrency caps


async def test_declared_oversize_body_is_refused(hostile):
    hostile.reply = Reply("[" + "1," * 2000 + "1]")
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", max_body_bytes=1000)
    error = await failure_of(client.queue_members(queue_id=1))
    assert type(error) is ResponseTooLarge and "1000-byte" in str(error)
    await client.aclose()


async def test_streamed_oversize_body_is_abandoned(hostile):
    hostile.reply = Reply("x" * 1000, mode="stream", repeat=10_000)
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", max_body_bytes=50_000)
    error = await failure_of(client.channels())
    assert type(error) is ResponseTooLarge
    write_error = await failure_of(client.hangup(extension="103-DEVEL"))
    assert type(write_error) is OutcomeUnknown
    await client.aclose()


async def test_concurrent_requests_are_capped_across_clones(hostile):
    hostile.reply = Reply(mode="hang")
    # The requests hang until released (no timeout ends them meanwhile): exactly two may be out at once.
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", max_concurrency=2, timeout=30.0)
    other = client.with_tenant("ACME")
    tasks = [asyncio.create_task(c.peers()) for c in (client, other, client, other, client)]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30  # a safety net: the requests reach the server at the machine's pace
    while len(hostile.requests) < 2:
        assert loop.time() < deadline, "the first two requests never arrived"
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # room for a third to slip through, were the cap broken
    assert len(hostile.requests) == 2
    hostile.released.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.aclose()


# ------------------------------------------------------------------ read-only mode


async def test_readonly_refuses_writes_before_sending(hostile):
    client = TringClient(hostile.url, SECRET_KEY, "DEVEL", readonly=True)
    for write in (
        client.hangup("SIP/103-DEVEL-0000a3f1"),
        client.pause_agent("103", 281),
        client.set_flow("*80", "INUSE"),
        client.request("PHONEBOOK", subreqtype="add", phonebook="x"),
        client.request("QUEUE", action="del", id="1", extension="103"),
        client.request("SOMETHINGNEW"),
        client.request("HANGUP", write=False, channel="SIP/1-X-1"),
    ):
        error = await failure_of(write)
        assert type(error) is ReadOnlyError and "nothing was sent" in str(error)
    assert hostile.requests == []
    hostile.reply = Reply("[]")
    await client.request("INFO", info="cdrs")
    await client.queue_members(queue_id=281)
    assert len(hostile.requests) == 2
    await client.aclose()


# ------------------------------------------------------------------ redaction in logs


async def test_logs_never_carry_the_key(hostile, hostile_client, caplog):
    caplog.set_level(logging.DEBUG, logger="tringtui.api")
    hostile.reply = Reply('{"pbx21": 1}')
    await hostile_client.count_peers()
    hostile.reply = Reply(mode="drop")
    await failure_of(hostile_client.count_peers())
    await failure_of(hostile_client.hangup(extension="103-DEVEL"))
    logging.getLogger("tringtui.api").warning("stray %s", f"?key={SECRET_KEY}")
    messages = [record.getMessage() for record in caplog.records]
    assert any("COUNTPEERS" in m and "key=***" in m and "bytes" in m for m in messages)
    assert any("retrying once" in m for m in messages)
    assert all(SECRET_KEY not in m for m in messages)
    assert SECRET_KEY not in caplog.text


# ------------------------------------------------------------------ construction


@pytest.mark.parametrize(
    "server",
    ["api.tring.nu", "ftp://api.tring.nu", f"https://api.tring.nu/pbx/proxyapi.php?key={SECRET_KEY}", "https://"],
)
def test_bad_server_urls_are_refused_without_echoing_a_key(server):
    with pytest.raises(InvalidParameter) as info:
        TringClient(server, SECRET_KEY)
    assert not exception_leaks(info.value, SECRET_KEY)


def test_server_forms():
    assert TringClient("https://api.tring.nu/", SECRET_KEY).server_host == "api.tring.nu"
    assert TringClient("http://[::1]:8080/pbx/proxyapi.php", SECRET_KEY).server_host == "[::1]:8080"


def test_missing_ca_bundle_and_empty_key():
    with pytest.raises(InvalidParameter, match="CA bundle"):
        TringClient("https://api.tring.nu", SECRET_KEY, verify="/nonexistent/ca.pem")
    with pytest.raises(InvalidParameter, match="empty"):
        TringClient("https://api.tring.nu", Secret(""))
