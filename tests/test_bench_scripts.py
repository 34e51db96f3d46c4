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
    runs = [
        subprocess.Popen([sys.executable, "-m", f"bench.{name}", "--help"], cwd=ROOT, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE),
        subprocess.Popen([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--help"], cwd=tmp_path, env=env,
                         text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
    ]
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        assert out.startswith("usage: ")
