"""Talking to the simulator over real HTTP from tests (plain ``urllib``, not ``tringtui.api``)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tringtui.sim import SimServer


@dataclass(frozen=True)
class Answer:
    """One HTTP answer from the simulator."""

    status: int
    content_type: str
    body: str

    def json(self):
        return json.loads(self.body)


def fetch(server: SimServer, **params: str) -> Answer:
    """GET the API with ``params`` over real HTTP."""
    url = server.endpoint + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as response:
        return Answer(response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8"))
