"""Snapshots of every pane at 80x24 and of the dashboard at 160x48 (seeded PBX, frozen clock, UTC)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import first_data


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"], ids=["nodes", "channels", "queues", "flows", "peers"])
def test_pane_at_80x24(snap_compare, make_app, utc, key):
    assert snap_compare(make_app(), press=[key], terminal_size=(80, 24), run_before=first_data)


def test_dashboard_at_160x48(snap_compare, make_app, utc):
    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=first_data)


def test_help_at_80x24(snap_compare, make_app, utc):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(80, 24), run_before=first_data)
