"""Notifications of alerts that need no screen: a rule's ``command:`` and ``webhook:``.

- ``command:`` runs without a shell, with a timeout; the alert is given as
  JSON on its standard input and as ``TRINGTUI_ALERT_*`` environment
  variables. The environment handed down has every variable that holds the
  API key removed.
- ``webhook:`` POSTs the alert as JSON with httpx, with a timeout, and retries
  a failed delivery (no answer, or a 5xx) a capped number of times.

Per alert (rule and subject) at most one firing is announced per the rule's
``notify_interval``; a resolve is announced when its firing was. Failures are
logged and never raised: a broken hook must never stop monitoring. The key is
never in a notification: the payload holds only the alert's own fields, and
any text that would carry the key is masked before it leaves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime

import httpx

from tringtui.alert_rules import DEFAULT_COMMAND_TIMEOUT
from tringtui.live.alerts import FIRE, Transition
from tringtui.settings import Secret

log = logging.getLogger("tringtui.alerts")

WEBHOOK_TIMEOUT = 10.0
WEBHOOK_ATTEMPTS = 3  # the first try and at most two retries
RETRY_DELAYS = (1.0, 4.0)  # seconds before the second and third attempt


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


class AlertNotifier:
    """Sends fire and resolve transitions to each rule's command and webhook, in the background."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        context: Mapping[str, str] | None = None,
        secrets: Iterable[Secret | str] = (),
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
        webhook_timeout: float = WEBHOOK_TIMEOUT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self.context = dict(context or {})  # the session: profile, server host
        self._secrets = [secret.reveal() if isinstance(secret, Secret) else secret for secret in secrets if secret]
        self.command_timeout = command_timeout
        self.webhook_timeout = webhook_timeout
        self._sleep = sleep
        self._environ = dict(os.environ if environ is None else environ)
        self._last_sent: dict[tuple[str, str], float] = {}
        self._announced: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- what is sent

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def payload(self, transition: Transition) -> dict[str, object]:
        """The alert as notifications carry it: its fields, status, times and the session's context."""
        alert = transition.alert
        body: dict[str, object] = {
            **self.context,
            "status": transition.status,
            **alert.as_dict(),
            "at": transition.at,
            "time": _iso(transition.at),
            "since_time": _iso(alert.since),
            "acknowledged": alert.acknowledged,
        }
        return {key: self._mask(value) if isinstance(value, str) else value for key, value in body.items()}

    def environment(self, payload: Mapping[str, object]) -> dict[str, str]:
        """The command's environment: ours without anything holding the key, plus the alert's fields."""
        env = {
            name: value for name, value in self._environ.items()
            if not any(secret in value for secret in self._secrets)
        }
        for name, value in payload.items():
            env[f"TRINGTUI_ALERT_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
        return env

    # ---- dispatching

    def dispatch(self, transitions: Iterable[Transition]) -> None:
        """Start sending what these transitions call for, without waiting (``drain`` waits)."""
        for transition in transitions:
            rule = transition.alert.rule
            if not (rule.command or rule.webhook) or not self._due(transition):
                continue
            task = asyncio.get_running_loop().create_task(self.send(transition))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _due(self, transition: Transition) -> bool:
        """Rate limiting per alert: a firing at most once per notify_interval, a resolve if its firing went out."""
        key = transition.alert.key
        if transition.kind == FIRE:
            last = self._last_sent.get(key)
            if last is not None and transition.at - last < transition.alert.rule.notify_interval:
                log.info("alert %s (%s) fired again within %gs of the last notification: not sent",
                         key[0], transition.alert.where, transition.alert.rule.notify_interval)
                return False
            self._last_sent[key] = transition.at
            self._announced.add(key)
            return True
        if key in self._announced:
            self._announced.discard(key)
            return True
        return False

    async def drain(self) -> None:
        """Wait for every notification under way (tests; a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def send(self, transition: Transition) -> None:
        payload = self.payload(transition)
        rule = transition.alert.rule
        sends = []
        if rule.command:
            sends.append(self._run_command(rule.command, payload))
        if rule.webhook:
            sends.append(self._post_webhook(rule.webhook, payload))
        await asyncio.gather(*sends)

    async def _run_command(self, command: tuple[str, ...], payload: Mapping[str, object]) -> None:
        what = f"alert command {command[0]!r} for {payload['rule']}"
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                env=self.environment(payload),
                start_new_session=True,  # never the terminal's: a hook cannot read keys typed into the monitor
            )
        except OSError as exc:
            log.warning("%s could not start: %s", what, exc.strerror or exc)
            return
        try:
            await asyncio.wait_for(process.communicate(json.dumps(payload).encode()), self.command_timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            log.warning("%s took longer than %gs and was stopped", what, self.command_timeout)
            return
        if process.returncode:
            log.warning("%s exited with status %s", what, process.returncode)

    async def _post_webhook(self, url: str, payload: Mapping[str, object]) -> None:
        host = httpx.URL(url).host
        async with httpx.AsyncClient(timeout=self.webhook_timeout, follow_redirects=False) as http:
            for attempt in range(1, WEBHOOK_ATTEMPTS + 1):
                try:
                    response = await http.post(url, json=payload)
                except httpx.HTTPError as exc:
                    problem = f"no answer ({type(exc).__name__})"
                else:
                    if response.is_success:
                        return
                    problem = f"HTTP status {response.status_code}"
                    if response.status_code < 500:
                        break  # the hook refused this alert: sending it again would not help
                if attempt < WEBHOOK_ATTEMPTS:
                    await self._sleep(RETRY_DELAYS[attempt - 1])
        # Only the host: a hook's URL path or query may hold its own token.
        log.warning("alert webhook to %s for %s failed: %s", host, payload["rule"], problem)
