"""A throwaway Airflow home for the UI tests: SimpleAuthManager, SQLite, a fixed JWT secret.

Shared by the TestClient tests (in-process) and the browser tests (a real `airflow api-server`).
Configured purely through AIRFLOW__* environment variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED_SQL = Path(__file__).with_name("data") / "seed.sql"
SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
JWT_SECRET = "siaga-ui-tests-jwt-secret-not-for-production-" + "0123456789abcdef" * 4


def airflow_environment(home: Path) -> dict[str, str]:
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "moderator:user,humas:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "simple_auth_manager_passwords.json.generated"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__API_AUTH__JWT_SECRET": JWT_SECRET,
        "AIRFLOW__API__SECRET_KEY": JWT_SECRET + "-api",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
    }


def prepare_airflow_home(home: Path) -> dict[str, str]:
    """Write nothing but the metadata DB: `airflow db migrate` with the environment above."""
    env = airflow_environment(home)
    (home / "dags").mkdir(parents=True, exist_ok=True)
    airflow = Path(sys.executable).with_name("airflow")
    result = subprocess.run(
        [str(airflow), "db", "migrate"], env=os.environ | env, capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return env


def seed_warehouse(path: Path) -> None:
    """A fresh warehouse at `path` with the fixture content, through the one way in."""
    from warehouse import connect, summaries

    with connect(write=True, path=path) as con:
        con.execute(SEED_SQL.read_text(encoding="utf-8"))
        summaries.rebuild(con)  # the seed writes rows directly: count them as the writers would
