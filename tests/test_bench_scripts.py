"""Every benchmark runs both ways the README and people try: ``python -m bench.NAME`` and ``python bench/NAME.py``.

Each is asked for ``--help``, which imports everything the benchmark needs
(so a missing ``bench`` package on the path shows) without measuring anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted(path.stem for path in (ROOT / "bench").glob("*.py") if not path.stem.startswith("_"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_a_benchmark_runs_as_a_module_and_as_a_script(name, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    as_module = subprocess.run([sys.executable, "-m", f"bench.{name}", "--help"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=60)
    as_script = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--help"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=60)
    for result in (as_module, as_script):
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: ")
