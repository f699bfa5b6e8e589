from __future__ import annotations

import pytest

from tests.plugins.airflow_env import prepare_airflow_home, seed_warehouse


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory):
    """Airflow configured for these tests in this process too (env vars, then the ORM re-read)."""
    env = prepare_airflow_home(tmp_path_factory.mktemp("airflow_home"))
    patch = pytest.MonkeyPatch()
    for key, value in env.items():
        patch.setenv(key, value)
    from airflow import settings

    settings.configure_vars()
    settings.reconfigure_orm()
    yield env
    patch.undo()
    settings.configure_vars()
    settings.reconfigure_orm()


@pytest.fixture
def warehouse_path(tmp_path, monkeypatch):
    path = tmp_path / "siaga.duckdb"
    seed_warehouse(path)
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


@pytest.fixture
def app(airflow_env, warehouse_path):
    """The UI mounted at /siaga on a parent app, as Airflow's API server mounts it."""
    from airflow.api_fastapi.app import create_auth_manager
    from fastapi import FastAPI

    from siaga_ui.config import load_config

    create_auth_manager()  # as Airflow's API server does at start, before any request
    load_config.cache_clear()
    parent = FastAPI()
    parent.mount("/siaga", __import__("siaga_ui").create_app())
    return parent


@pytest.fixture
def tokens(airflow_env):
    """Real JWTs from the configured auth manager for the two embedded users."""
    from airflow.api_fastapi.app import create_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    manager = create_auth_manager()
    return {
        "moderator": manager.generate_jwt(SimpleAuthManagerUser(username="moderator", role="user")),
        "humas": manager.generate_jwt(SimpleAuthManagerUser(username="humas", role="viewer")),
        "nobody": manager.generate_jwt(SimpleAuthManagerUser(username="tamu", role=None)),
    }


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def as_moderator(client, tokens):
    client.headers["Authorization"] = f"Bearer {tokens['moderator']}"
    return client


@pytest.fixture
def as_humas(client, tokens):
    client.headers["Authorization"] = f"Bearer {tokens['humas']}"
    return client
