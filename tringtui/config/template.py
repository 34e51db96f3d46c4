"""The commented example written by ``tringtui config init``.

It documents every profile field in place, and it is itself a valid config
(a test keeps it so), so a new user can edit it rather than start from a
blank page.
"""

from __future__ import annotations

import os
from pathlib import Path

EXAMPLE_CONFIG = """\
# tringtui configuration: named profiles, one per PBX / tenant you watch.
#
# Precedence, highest first: command-line flags, environment variables
# (TRINGTUI_PROFILE, TRINGTUI_SERVER, TRINGTUI_TENANT, TRINGTUI_KEY_ENV,
# TRINGTUI_THEME, TRINGTUI_READONLY), this file's profile, built-in defaults.
# See the effective result, and where each value came from:
#     tringtui config show [--profile NAME]
# Check the file and test the key against the server:
#     tringtui config check [--profile NAME]

# The profile used when neither --profile nor TRINGTUI_PROFILE picks one.
default_profile: staging

profiles:
  staging:
    server: https://staging.example.net     # base URL only; /pbx/proxyapi.php is added
    tenant: DEVEL                           # tenant code; leave out for an admin key (all tenants)
    # The key, in exactly one of three ways (never all):
    key_env: TRING_STAGING_KEY              # 1. the name of an environment variable holding it
    # key_command: pass show tring/staging  # 2. a command printing it (first line; no shell; timeout)
    # key: ...                              # 3. literally (the file must then be chmod 600)
    theme: tring-dark                       # tring-dark, tring-light, noc-high-contrast, ansi, or yours
    start_pane: channels                    # nodes, channels, queues, flows or peers

  production:
    server: https://api.tring.nu
    key_command: [pass, show, tring/production]
    key_command_timeout: 30                 # seconds to wait for the command (e.g. a PIN prompt)
    readonly: true                          # no writes at all, whatever the key allows
    label: PRODUCTION                       # shown in the header, so production is unmistakable
    label_color: red                        # any colour: red, "#ff0000", ansi_bright_red
    theme: noc-high-contrast
    verify_tls: true                        # false only for a lab server with a self-signed cert
    # ca_bundle: /etc/ssl/certs/company-ca.pem   # trust this CA (implies verify_tls)
    timeout: 30                             # seconds for one request
    max_body_mb: 32                         # a larger answer is abandoned unread
    max_concurrency: 4                      # requests in flight at once, all panes together
    intervals:                              # seconds between polls per pane (minimum 2)
      nodes: 15
      channels: 5
      queues: 5
      flows: 10
      peers: 60
    mouse: true                             # false: keyboard only (like --no-mouse)
    # audit_path: ~/noc/tringtui-audit.jsonl   # the journal of every write (default: XDG state dir)
    # record: false                           # the monitor records its session unless told not to
    # store: ~/noc/production.sqlite          # the recording (default: XDG state dir, per profile and server)
    # retention: {age: 24h, size_mb: 500}     # how much recording the store keeps
    # alert_bell: true                        # ring the terminal bell when an alert fires
    # alert_desktop: osc9                     # desktop notification via the terminal: off, osc9 or osc777
    # alerts:                                 # replaces the built-in rules (README: Alerts); [] turns them off
    #   - {rule: queue_waiting, threshold: 5, for: 2m, severity: critical, queue: "281"}
    #   - {rule: node_peers_lost, threshold: 20, for: 1m, webhook: https://hooks.example.net/noc}
    #   - {rule: balance_low, threshold: 10, command: [notify-send, tringtui]}
"""


class ConfigExists(Exception):
    """``config init`` would overwrite an existing file and ``--force`` was not given."""


def write_example(path: Path, *, force: bool = False) -> None:
    """Write the example config to ``path`` with mode 0600 (it may come to hold a key)."""
    if path.exists() and not force:
        raise ConfigExists(f"{path} already exists; use --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(EXAMPLE_CONFIG)
    # O_CREAT's mode does not apply to a file that already existed (--force).
    os.chmod(path, 0o600)
