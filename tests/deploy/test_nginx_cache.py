"""The shipped nginx cache (docs/deploy/nginx.conf) in front of the simulator, with ten operators at once.

nginx runs unprivileged from a temporary directory on a free port; each test
starts its own and stops it. What the simulator's request log records is
what reached the PBX.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from nginx_runner import CONF, NginxCache, free_port

from tringtui.api.client import TringClient
from tringtui.api.errors import KeyRejected
from tringtui.api.models import Channel
from tringtui.api.requests import REQUESTS, is_write, spec_for
from tringtui.sim import SimServer

OPERATORS = 10
NOC_KEY, TENANT = "demo-devel", "DEVEL"


async def monitor_round(client: TringClient) -> int:
    """One refresh of every pane, as the monitor polls them; returns the number of requests made."""
    await client.count_peers()
    await client.count_channels()
    await client.channels()
    await client.peers()
    await client.flows()
    await client.blfs()
    queues = await client.queues()
    for queue in queues:
        await client.queue_stats(queue.id)
    await client.agents(queues[0].id)
    return 7 + len(queues) + 1


def one_leg_per_call(channels: list[Channel]) -> list[str]:
    """One channel of each call: hanging up a leg ends its bridged partner too."""
    legs: list[str] = []
    for channel in channels:
        if channel.bridged_to not in legs:
            legs.append(channel.channel)
    return legs


def reached_pbx(sim: SimServer, *, writes: bool) -> list:
    return [record for record in sim.request_log if is_write(record.reqtype, record.params) == writes]


def operators(nginx: NginxCache, key: str = NOC_KEY, tenant: str = TENANT) -> list[TringClient]:
    return [TringClient(nginx.url, key, tenant, timeout=60.0) for _ in range(OPERATORS)]


async def test_ten_operators_cost_the_pbx_about_one(nginx_cache: NginxCache, slow_sim: SimServer) -> None:
    clients = operators(nginx_cache)
    try:
        sent_reads = sum(await asyncio.gather(*(monitor_round(client) for client in clients)))
        reads = reached_pbx(slow_sim, writes=False)
        distinct = {(record.reqtype, tuple(sorted(record.params.items()))) for record in reads}
        # Every distinct read reached the PBX at least once; the identical ones of the other nine
        # operators waited for its answer (proxy_cache_lock) or found it cached.
        assert sent_reads == OPERATORS * len(distinct)
        assert len(distinct) <= len(reads) <= 2 * len(distinct), (sent_reads, len(reads))
        assert sent_reads / len(reads) >= OPERATORS / 2

        # Ten operators send the same write at once, and each hangs up a call of its own: every
        # one reaches the PBX, exactly once, nothing is coalesced or answered from the cache.
        flow = (await clients[0].flows())[0]
        calls = one_leg_per_call(await clients[0].channels())[:OPERATORS]
        assert len(calls) == OPERATORS
        slow_sim.clear_log()
        await asyncio.gather(*(client.set_flow(flow.number, state="INUSE") for client in clients))
        await asyncio.gather(*(client.hangup(call) for client, call in zip(clients, calls)))
        writes = reached_pbx(slow_sim, writes=True)
        assert [record.reqtype for record in writes].count("SETFLOW") == OPERATORS
        assert sorted(record.params["channel"] for record in writes if record.reqtype == "HANGUP") == sorted(calls)
        assert reached_pbx(slow_sim, writes=False) == []
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def test_one_keys_answers_never_reach_another_key(nginx_cache: NginxCache, slow_sim: SimServer) -> None:
    """The same query with another key (here ACME's, asking for DEVEL) is its own cache entry, asked
    at the same moment as DEVEL's own: DEVEL's answers never reach it, nor its refusal DEVEL."""
    devel = operators(nginx_cache)[:5]
    intruders = operators(nginx_cache, key="demo-acme")[:5]
    try:
        for _ in range(2):
            interleaved = [client.peers() for pair in zip(intruders, devel) for client in pair]
            results = await asyncio.gather(*interleaved, return_exceptions=True)
            for result in results[0::2]:
                assert isinstance(result, KeyRejected), result
            for result in results[1::2]:
                assert isinstance(result, list) and result and all(peer.name.endswith("-DEVEL") for peer in result)
        # Both keys reached the PBX: each got an answer of its own.
        assert len(slow_sim.request_log) == 2
    finally:
        await asyncio.gather(*(client.aclose() for client in devel + intruders))


def cache_keys(nginx: NginxCache) -> dict[str, str]:
    """Each cache file's "KEY:" header line by file name, after checking the file is named by its MD5.
    Read once nginx has stopped. A temporary file (``<md5>.0000000010``) of an answer still being
    cached at the stop is left out here; the tests that look for the key read every file nginx wrote."""
    keys = {}
    for path in nginx.cache_dir.rglob("*"):
        if path.is_file() and "." not in path.name:
            key = re.search(rb"\nKEY: ([^\n]*)\n", path.read_bytes())
            assert key, path
            assert path.name == hashlib.md5(key.group(1)).hexdigest(), path.name
            keys[path.name] = key.group(1).decode()
    return keys


def encoding_proof(key: str) -> str:
    """The key up to its first character a URL encodes: found in any encoded form of it."""
    return re.split(r"[^A-Za-z0-9._~-]", key)[0]


async def test_ten_operators_with_two_keys_leave_neither_key_on_disk(
        nginx_cache: NginxCache, slow_sim: SimServer, team_keys: dict[str, str]) -> None:
    """Five operators of each team poll at once, twice. The teams' answers stay apart, and neither key is in
    any file nginx wrote: cache files (names, headers, bodies), temporary files, access and error logs."""
    teams = {tenant: operators(nginx_cache, key, tenant)[:OPERATORS // 2] for tenant, key in team_keys.items()}
    clients = [client for team in teams.values() for client in team]
    try:
        for _ in range(2):
            await asyncio.gather(*(monitor_round(client) for client in clients))
        for tenant, team in teams.items():
            for peers in await asyncio.gather(*(client.peers() for client in team)):
                assert peers and all(peer.name.endswith(f"-{tenant}") for peer in peers), tenant
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))

    # Coalesced per key: each team's distinct reads reached the PBX about once.
    reads = reached_pbx(slow_sim, writes=False)
    distinct = {(record.reqtype, tuple(sorted(record.params.items()))) for record in reads}
    assert {dict(params)["tenant"] for _reqtype, params in distinct} == set(teams)
    assert len(distinct) <= len(reads) <= 2 * len(distinct)

    nginx_cache.stop()  # every file complete and in its place
    written = nginx_cache.files()
    assert {path.name for path in written} >= {"access.log", "error.log"}
    for key in team_keys.values():
        for path in written:
            assert encoding_proof(key).encode() not in path.read_bytes(), path
            assert encoding_proof(key) not in str(path), path
    access = (nginx_cache.workdir / "access.log").read_text()
    assert "reqtype=PEERS status=200 cache=MISS" in access
    assert "reqtype=PEERS status=200 cache=HIT" in access

    # One entry per distinct request (the two teams' identical queries are two), each under a SHA-256.
    hashes = set(cache_keys(nginx_cache).values())
    assert len(hashes) == len(distinct)
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in hashes)


def test_the_cache_key_is_the_sha256_of_the_whole_request(nginx_cache: NginxCache, team_keys: dict[str, str]) -> None:
    """The "KEY:" line nginx writes into a cache file is the SHA-256 of method and request URI as they
    arrived, bytes and all: a query that differs only in bytes that are not UTF-8 is an entry of its own
    (JavaScript's string of the URI would have turned both into U+FFFD)."""
    base = f"/pbx/proxyapi.php?key={quote(team_keys['DEVEL'], safe='')}&tenant=DEVEL&reqtype=PEERS&note="
    targets = [base.encode() + b"\xff\xfe", base.encode() + "\ufffd\ufffd".encode()]
    statuses = [raw_get(nginx_cache, target) for target in targets + targets]
    assert statuses == ["MISS", "MISS", "HIT", "HIT"]
    nginx_cache.stop()
    assert set(cache_keys(nginx_cache).values()) == {hashlib.sha256(b"GET " + target).hexdigest() for target in targets}


def raw_get(nginx: NginxCache, target: bytes) -> str:
    """GET with the request target sent byte for byte (no client re-encodes it); the X-Cache-Status."""
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=30) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.startswith("HTTP/1.1 200"), head
    status = re.search(r"(?im)^X-Cache-Status: (\S+)", head)
    assert status, head
    return status.group(1)


def test_a_failing_upstream_is_logged_without_the_key(start_nginx: Callable[..., NginxCache],
                                                      team_keys: dict[str, str]) -> None:
    """nginx quotes the request line, key included, in its error messages about a request: the
    configuration writes those nowhere, and the access log says what happened without the key."""
    key = team_keys["DEVEL"]
    nginx = start_nginx(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    answer = httpx.get(f"{nginx.url}/pbx/proxyapi.php", params={"key": key, "tenant": "DEVEL", "reqtype": "PEERS"})
    assert answer.status_code == 502
    nginx.stop()  # flushes and closes the logs
    for log in ("access.log", "error.log"):
        assert encoding_proof(key) not in (nginx.workdir / log).read_text(), log
    access = (nginx.workdir / "access.log").read_text()
    assert "reqtype=PEERS status=502" in access and "upstream=502" in access
    assert "proxyapi.php" not in (nginx.workdir / "error.log").read_text()


def test_a_failing_cache_key_script_caches_nothing(slow_sim: SimServer, start_nginx: Callable[..., NginxCache],
                                                   team_keys: dict[str, str], tmp_path: Path) -> None:
    """Were tringtui-cache-key.js to fail, nginx would key every request alike ("") and serve one key's
    answer to the next; the configuration then passes every request through instead."""
    broken = tmp_path / "broken.js"
    broken.write_text("function cache_key(r) { throw new Error('broken'); }\nexport default {cache_key};\n")
    nginx = start_nginx(slow_sim.url, cache_key_js=broken)
    with httpx.Client() as http:
        for tenant, key in [*team_keys.items(), *team_keys.items()]:
            answer = http.get(f"{nginx.url}/pbx/proxyapi.php", params={"key": key, "tenant": tenant, "reqtype": "PEERS"})
            assert answer.headers["x-cache-status"] == "BYPASS"
            others = [other for other in team_keys if other != tenant]
            assert f"-{tenant}|" in answer.text and not any(f"-{other}|" in answer.text for other in others)
    assert len(slow_sim.request_log) == 4
    assert not [path for path in nginx.cache_dir.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("reqtype=PEERS", "HIT"),
        ("reqtype=INFO&info=queues", "HIT"),
        ("reqtype=INFO&info=extensions", "BYPASS"),  # passwords are never stored
        ("reqtype=QUEUE&action=list&id=1", "BYPASS"),
        ("reqtype=HANGUP&channel=SIP/1", "BYPASS"),
        ("reqtype=hangup&channel=SIP/1", "BYPASS"),
        ("reqtype=PEERS&reqtype=HANGUP", "BYPASS"),  # PHP reads the last one
        ("reqtype=PEERS&req%74ype=HANGUP", "BYPASS"),  # PHP decodes names
        ("reqtype=PEERS&reqtype[]=HANGUP", "BYPASS"),
        ("reqtype=INFO&info=queues&info=extensions", "BYPASS"),
    ],
)
def test_what_is_cached(nginx_cache: NginxCache, query: str, status: str) -> None:
    url = f"{nginx_cache.url}/pbx/proxyapi.php?key={NOC_KEY}&tenant={TENANT}&{query}"
    with httpx.Client() as http:
        first, second = http.get(url), http.get(url)
    assert first.headers["x-cache-status"] in {"MISS", "BYPASS"}
    assert second.headers["x-cache-status"] == status


def test_cached_types_are_reads_of_the_api_layer() -> None:
    """The configuration's allow-list and the API layer's request table agree: only known reads are cached,
    and no write of the table is."""
    conf = CONF.read_text()
    types = re.search(r'"~\*\^\(([A-Z|]+)\):" 1;', conf)
    infos = re.search(r'"~\*\^INFO:\(([a-z|]+)\)\$" 1;', conf)
    assert types and infos
    cached_types, cached_infos = types.group(1).split("|"), infos.group(1).split("|")
    for name in cached_types:
        assert spec_for(name) is not None and not is_write(name), name
    for info in cached_infos:
        assert spec_for("INFO", {"info": info}) is not None and not is_write("INFO", {"info": info}), info
    assert "extensions" not in cached_infos  # passwords
    for spec in REQUESTS:
        if spec.writes:
            assert spec.reqtype not in cached_types, spec.reqtype
            assert not (spec.reqtype == "INFO" and spec.variant in cached_infos), spec.variant


def test_nginx_accepts_the_configuration(nginx_cache: NginxCache) -> None:
    result = nginx_cache.check()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
