"""Browser tests: a REAL `airflow api-server` (one per session) and Debian's Chromium via Playwright."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.plugins.airflow_env import REPO, prepare_airflow_home, seed_warehouse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO / "test-artifacts" / "e2e"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Airflow's API server with the plugin folder of this repo, on 127.0.0.1 and a free port."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make setup-test`")
    root = tmp_path_factory.mktemp("e2e")
    env = prepare_airflow_home(root / "airflow")
    warehouse = root / "siaga.duckdb"
    seed_warehouse(warehouse)
    port = _free_port()
    env |= {
        "AIRFLOW__API__PORT": str(port),
        "SIAGA_WAREHOUSE": str(warehouse),
        "SIAGA_UI_WAREHOUSE_WAIT_S": "2",
    }
    log_path = root / "api-server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("airflow")),
                "api-server",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=os.environ | env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=root,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/siaga/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"airflow api-server did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.5)
        passwords = json.loads(Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]).read_text())
        yield {"base": base, "passwords": passwords, "warehouse": warehouse, "log": log_path}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and its workers: its own process group
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def fresh_warehouse(server):
    """Each test starts from the seed (the server opens the file per request, so it can be replaced)."""
    path: Path = server["warehouse"]
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    seed_warehouse(path)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def login(page, server, username: str, target: str = "/siaga/antrian") -> None:
    """Through Airflow's own login page, as a person would."""
    page.goto(server["base"] + target)
    page.wait_for_url("**/auth/login**")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', server["passwords"][username])
    page.click('button[type="submit"]')
    page.wait_for_url(f"**{target}**")


@pytest.fixture(scope="session")
def sessions(server, browser, tmp_path_factory):
    """One real login per user; later tests reuse the session cookie."""
    states = {}
    for username in ("moderator", "humas"):
        context = browser.new_context()
        login(context.new_page(), server, username)
        states[username] = context.storage_state()
        context.close()
    return states


class Watched:
    """A page plus what the browser complained about (CSP violations, JS errors, dialogs)."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(msg.text))
        page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def as_user(browser, server, sessions, fresh_warehouse):
    contexts = []

    def open_as(username: str) -> Watched:
        context = browser.new_context(
            storage_state=sessions[username], viewport={"width": 1360, "height": 900}, locale="id-ID"
        )
        contexts.append(context)
        return Watched(context.new_page(), server["base"])

    yield open_as
    for context in contexts:
        context.close()
