"""Runs ``docs/deploy/nginx.conf`` for a test: unprivileged, in a temporary directory, on a free port.

The shipped file is used as written, except for what belongs to one machine:
its paths (pid, logs, cache, temp) move into the temporary directory, it
listens on a free loopback port, and ``proxy_pass`` names the simulator. Each
replacement must hit exactly once, so a test fails when the file's shape
drifts instead of testing something else. The file's companions stay as they
are too: ``tringtui-cache-key.js`` is copied beside it, and its
``load_module modules/…`` (relative to nginx's prefix, which the test moves
to the temporary directory) finds this nginx's own modules directory through
a ``modules`` link there. When the tests run as root, nginx runs as
``nobody`` all the same.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx.conf"
CACHE_KEY_JS = CONF.with_name("tringtui-cache-key.js")
JS_MODULE = "ngx_http_js_module.so"
START_TIMEOUT = 20.0


def nginx_binary() -> str | None:
    """The nginx executable, or None when this machine has none (``.ci/run`` installs it as root)."""
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None)


def modules_dir(binary: str) -> Path:
    """Where this nginx looks for dynamic modules: its build's ``--modules-path``, else ``<prefix>/modules``."""
    build = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30).stderr
    if found := re.search(r"--modules-path=(\S+)", build):
        return Path(found.group(1))
    prefix = re.search(r"--prefix=(\S+)", build)
    return Path(prefix.group(1) if prefix else "/usr/local/nginx") / "modules"


def why_nginx_cannot_run() -> str | None:
    """Why the shipped configuration cannot run on this machine, or None when it can."""
    binary = nginx_binary()
    if binary is None:
        return ("nginx is not installed (.ci/run installs the distribution's nginx and its JavaScript module "
                "with apt-get when run as root)")
    module = modules_dir(binary) / JS_MODULE
    if not module.is_file():
        return (f"nginx's JavaScript module (njs), which computes the cache key, is not installed: no {module} "
                "(Debian: libnginx-mod-http-js; .ci/run installs it with apt-get when run as root)")
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sub_once(pattern: str, replacement: str, text: str) -> str:
    new, count = re.subn(pattern, lambda _match: replacement, text, flags=re.MULTILINE)
    if count != 1:
        raise AssertionError(f"docs/deploy/nginx.conf: expected one match of {pattern!r}, found {count}")
    return new


def render(conf: str, workdir: Path, port: int, upstream: str) -> str:
    """The shipped configuration with this machine's paths, port and upstream."""
    conf = _sub_once(r"^user [^;]+;\n", "", conf)  # only root can switch users; this nginx is not root
    conf = _sub_once(r"^pid [^;]+;", f"pid {workdir}/nginx.pid;", conf)
    conf = _sub_once(r"^error_log \S+", f"error_log {workdir}/error.log", conf)
    conf = _sub_once(r"access_log \S+", f"access_log {workdir}/access.log", conf)
    conf = _sub_once(r"proxy_cache_path \S+", f"proxy_cache_path {workdir}/cache", conf)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        conf = _sub_once(rf"{kind}_temp_path +\S+;", f"{kind}_temp_path {workdir}/temp/{kind};", conf)
    conf = _sub_once(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{port};", conf)
    conf = _sub_once(r"proxy_pass https://[^;]+;", f"proxy_pass {upstream};", conf)
    return conf


class NginxCache:
    """nginx with the shipped configuration in front of ``upstream``; ``start()``/``stop()`` or a ``with`` block.

    ``cache_key_js`` replaces the shipped ``tringtui-cache-key.js``, for a test of what a broken one does.
    """

    def __init__(self, binary: str, upstream: str, cache_key_js: Path = CACHE_KEY_JS) -> None:
        self.binary = binary
        self.cache_key_js = cache_key_js
        self.modules = modules_dir(binary)
        self.upstream = upstream
        self.workdir = Path(tempfile.mkdtemp(prefix="tringtui-nginx-"))
        self.port = free_port()
        self.conf_path = self.workdir / "nginx.conf"
        self._process: subprocess.Popen[bytes] | None = None
        self._user = pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cache_dir(self) -> Path:
        return self.workdir / "cache"

    def write_conf(self) -> None:
        (self.workdir / "temp").mkdir()
        self.conf_path.write_text(render(CONF.read_text(), self.workdir, self.port, self.upstream))
        shutil.copy(self.cache_key_js, self.workdir / CACHE_KEY_JS.name)  # js_import reads it from the conf's directory
        if self._user is not None:
            for path in [self.workdir, *self.workdir.rglob("*")]:
                os.chown(path, self._user, -1)
        (self.workdir / "modules").symlink_to(self.modules)  # after chown, which would follow the link

    def check(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t -c`` on the rendered file."""
        return subprocess.run(self._command("-t"), capture_output=True, text=True, timeout=30, user=self._user)

    def start(self) -> NginxCache:
        self.write_conf()
        self._process = subprocess.Popen(
            self._command("-g", "daemon off;"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, user=self._user)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self._process.stderr.read().decode(errors='replace') if self._process.stderr else ''}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("nginx did not start listening") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then the master exits
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None and self._process.stderr is not None:
            self._process.stderr.close()
        self._process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def files(self) -> list[Path]:
        """Every file nginx wrote (cache, temp, logs, pid), not the configuration it was given."""
        given = {self.conf_path, self.workdir / CACHE_KEY_JS.name}
        return [path for path in self.workdir.rglob("*") if path.is_file() and not path.is_symlink() and path not in given]

    def _command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.workdir), "-c", str(self.conf_path), "-e", str(self.workdir / "error.log"), *extra]

    def __enter__(self) -> NginxCache:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()
