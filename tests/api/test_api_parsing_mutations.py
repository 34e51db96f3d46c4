"""Every read parser against real bodies with one field changed: data we have not seen must not crash us.

Bodies come from the simulator over HTTP on loopback. In the first row of
each, one field at a time is replaced by a value of another kind (null, a
number, an empty or huge text, a list, an object, a control sequence) or
removed. The parser must either parse the body, with no control character
left in any text it returns, or refuse it with ``MalformedResponse`` and a
message; never raise anything else, which would be a crash in the pane.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tringtui.api import history, parsing
from tringtui.api.errors import MalformedResponse
from tringtui.sim import ManualClock, SimServer, SimulatedPBX

REMOVED = object()
ODD_VALUES = [None, 0, -1, 1.5, 10**30, True, "", "x" * 5000, "1:23", "NaN", "-5", "\x1b[31mred\x07", [], {}, REMOVED]


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    """One real body per read the monitor makes, fetched as the admin key."""
    clock = ManualClock()
    with SimServer(SimulatedPBX(seed=7, size="small", clock=clock)) as server:
        clock.advance(600)  # history to read: finished calls, queue log lines

        def get(**params: str) -> str:
            params |= {"key": "demo-admin", "format": "json"}
            return httpx.get(f"{server.url}/pbx/proxyapi.php", params=params, timeout=10).text

        queue_id = next(iter(json.loads(get(reqtype="INFO", info="queues", tenant="DEVEL"))))
        # Three calls are enough to mutate (each change re-parses the whole body).
        some = ",".join([str(r.id) for r in server.pbx.cdrs if r.tenant == "DEVEL"][:3])
        recorded = next(r.uniqueid for r in server.pbx.cdrs if r.tenant == "DEVEL" and r.recorded)
        return {
            "COUNTPEERS": get(reqtype="COUNTPEERS"),
            "PEERS": get(reqtype="PEERS"),
            "CHANNELS": get(reqtype="CHANNELS"),
            "BLFS": get(reqtype="BLFS", tenant="DEVEL"),
            "FLOWS": get(reqtype="FLOWS", tenant="DEVEL"),
            "INFO queues": get(reqtype="INFO", info="queues", tenant="DEVEL"),
            "INFO queue": get(reqtype="INFO", info="queue", id=queue_id, tenant="DEVEL"),
            "INFO agents": get(reqtype="INFO", info="agents", queue=queue_id, tenant="DEVEL"),
            # Rows of ~300 columns: two rows (the mutated one and a neighbour) still try every column.
            "INFO extensions": first_rows(get(reqtype="INFO", info="extensions", tenant="DEVEL"), 2),
            "INFO agentsdelay": get(reqtype="INFO", info="agentsdelay", tenant="DEVEL"),
            "INFO agentsconnected": get(reqtype="INFO", info="agentsconnected", queue=queue_id, tenant="DEVEL"),
            "INFO cdrs": get(reqtype="INFO", info="cdrs", tenant="DEVEL", id=some),
            "INFO simplecdrs": get(reqtype="INFO", info="simplecdrs", tenant="DEVEL", id=some),
            "INFO queuelogs": get(reqtype="INFO", info="queuelogs", tenant="DEVEL"),
            "INFO dids": get(reqtype="INFO", info="dids", tenant="DEVEL"),
            "INFO inforecording": get(reqtype="INFO", info="inforecording", tenant="DEVEL", uniqueid=recorded),
            "INFO config": get(reqtype="INFO", info="config", tenant="DEVEL"),
            "queue id": queue_id,
        }


def first_rows(body: str, count: int) -> str:
    """The body with only its first ``count`` rows (a list, or an object of rows keyed by id)."""
    data = json.loads(body)
    if isinstance(data, list):
        return json.dumps(data[:count])
    return json.dumps(dict(list(data.items())[:count]))


def parsers(queue_id: str) -> dict[str, Callable[[str], Any]]:
    return {
        "COUNTPEERS": parsing.parse_node_counts,
        "PEERS": parsing.parse_peers,
        "CHANNELS": parsing.parse_channels,
        "BLFS": parsing.parse_blfs,
        "FLOWS": parsing.parse_flows,
        "INFO queues": parsing.parse_queues,
        "INFO queue": lambda text: parsing.parse_queue_stats(text, queue_id),
        "INFO agents": lambda text: parsing.parse_agents(text, queue_id),
        "INFO extensions": parsing.parse_extensions,
        "INFO agentsdelay": history.parse_agents_delay,
        "INFO agentsconnected": lambda text: parsing.parse_agents(text, queue_id),
        "INFO cdrs": history.parse_cdrs,
        "INFO simplecdrs": history.parse_simple_cdrs,
        "INFO queuelogs": history.parse_queue_logs,
        "INFO dids": history.parse_dids,
        "INFO inforecording": history.parse_recording_info,
        "INFO config": parsing.parse_tenant_config,
    }


def first_row(data: Any) -> dict[str, Any] | list[Any]:
    """What is mutated: the first row (an object, or an array of columns as CHANNELS sends),
    or the body itself when it is one object of counts."""
    if isinstance(data, list):
        return data[0]
    first = next(iter(data.values()))
    return first if isinstance(first, (dict, list)) else data


def mutations(body: str) -> Iterator[tuple[str, str]]:
    data = json.loads(body)
    row = first_row(data)
    for field in range(len(row)) if isinstance(row, list) else list(row):
        for value in ODD_VALUES:
            changed = copy.deepcopy(data)
            row = first_row(changed)
            if value is REMOVED:
                if isinstance(row, list):
                    row.pop()  # a short row: columns are positional, so drop the last
                else:
                    del row[field]
            else:
                row[field] = value
            yield f"{field}={'removed' if value is REMOVED else repr(value)[:20]}", json.dumps(changed)


def texts_in(value: Any) -> Iterator[str]:
    """Every text inside a parser's result (models, tuples, lists, dicts)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from texts_in(getattr(value, field.name))
    elif hasattr(value, "__slots__") and not isinstance(value, (int, float)):
        for name in value.__slots__:
            yield from texts_in(getattr(value, name, None))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(key)
            yield from texts_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts_in(item)


def has_control(text: str) -> bool:
    return any(ord(char) < 32 or 127 <= ord(char) < 160 for char in text)


@pytest.mark.parametrize(
    "read",
    ["COUNTPEERS", "PEERS", "CHANNELS", "BLFS", "FLOWS", "INFO queues", "INFO queue", "INFO agents", "INFO extensions",
     "INFO agentsdelay", "INFO agentsconnected", "INFO cdrs", "INFO simplecdrs", "INFO queuelogs", "INFO dids",
     "INFO inforecording", "INFO config"],
)
def test_one_odd_field_is_parsed_or_refused_never_a_crash(bodies, read):
    parse = parsers(bodies["queue id"])[read]
    assert parse(bodies[read]), "the unchanged body parses to something"
    tried = refused = 0
    for change, body in mutations(bodies[read]):
        tried += 1
        try:
            result = parse(body)
        except MalformedResponse as refusal:
            refused += 1
            assert str(refusal), change
            continue
        leaked = [text for text in texts_in(result) if has_control(text)]
        assert not leaked, f"{read} {change}: control characters reached the models: {leaked[:2]!r}"
    assert tried > 20
    # Refusing is for values no row of that kind can hold; most odd values are taken in stride.
    assert refused < tried / 2, f"{read}: {refused} of {tried} changes refused the whole body"
