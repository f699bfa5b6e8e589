"""docker-compose.yml without a Docker engine: every service, volume, env file and build path it
names exists, its Airflow settings agree with config/airflow.cfg, and only the writer side of
the deployment touches the DuckDB volume."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
PIPELINE = yaml.safe_load((REPO / "config" / "pipeline.yaml").read_text(encoding="utf-8"))
AIRFLOW_SERVICES = [name for name, svc in SERVICES.items() if svc.get("image", "").startswith("kutim-siaga")]
WAREHOUSE_MOUNT = "/opt/kutim-siaga/warehouse-data"
# Settings that differ from the local template on purpose, and why.
DIFFERS_ON_PURPOSE = {
    ("database", "sql_alchemy_conn"): "Postgres instead of SQLite",
    ("core", "parallelism"): "a production machine has more cores",
    ("core", "fernet_key"): "secret, from .env",
    ("api", "secret_key"): "secret, from .env",
    ("api_auth", "jwt_secret"): "secret, from .env",
    ("core", "execution_api_server_url"): "the api-server's service name",
    ("api", "base_url"): "the public URL behind the site's proxy",
    ("core", "simple_auth_manager_passwords_file"): "on the auth volume",
    ("core", "dags_folder"): "the image's path (Dockerfile)",
    ("core", "plugins_folder"): "the image's path (Dockerfile)",
}


def local_airflow_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(REPO / "config" / "airflow.cfg", encoding="utf-8")
    return cfg


def resolve(value: str) -> str:
    """${VAR:-default} -> default (what runs when .env does not override it)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def env_file_entries(service: dict) -> list[tuple[Path, bool]]:
    entries = service.get("env_file") or []
    entries = [entries] if isinstance(entries, str | dict) else entries
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            out.append((REPO / entry["path"], entry.get("required", True)))
        else:
            out.append((REPO / entry, True))
    return out


def service_env(service: dict) -> dict[str, str]:
    env: dict[str, str] = {}
    for path, _required in env_file_entries(service):
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                env[key.strip()] = value.strip()
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    env.update({key: resolve(value) for key, value in environment.items()})
    return env


def dockerfile_env() -> dict[str, str]:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    env = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return env


def volume_names(service: dict) -> list[tuple[str, str]]:
    return [tuple(v.split(":")[:2]) for v in service.get("volumes") or [] if isinstance(v, str)]


def test_the_core_services_run_by_default_and_celery_is_a_profile():
    default = {name for name, svc in SERVICES.items() if not svc.get("profiles")}
    assert default == {"postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"}
    for name in ("redis", "airflow-worker", "airflow-worker-warehouse"):
        assert SERVICES[name]["profiles"] == ["celery"], name
    env = service_env(SERVICES["airflow-scheduler"])
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")


def test_every_build_path_and_copied_file_exists_and_the_image_is_official_airflow_3_3_2():
    requirements = (REPO / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(r"^apache-airflow==(\S+)$", requirements, re.M).group(1)
    for name in AIRFLOW_SERVICES:
        build = SERVICES[name]["build"]
        assert (REPO / build["context"]).is_dir()
        assert (REPO / build["context"] / build["dockerfile"]).is_file()
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    image = re.search(r"^ARG AIRFLOW_IMAGE=(\S+)$", dockerfile, re.M).group(1)
    assert image.startswith(f"apache/airflow:{pin}") and pin == "3.3.2"
    for source in re.findall(r"^COPY (?:--\S+ )*(\S+) ", dockerfile, re.M):
        assert (REPO / source).exists(), source
    for path in ("dags", "config/pipeline.yaml"):
        assert (REPO / path).exists()


def test_every_env_file_exists_unless_optional():
    for name, service in SERVICES.items():
        for path, required in env_file_entries(service):
            assert path.exists() or not required, f"{name}: {path} is missing"


def test_every_named_volume_is_declared_and_used():
    declared = set(COMPOSE["volumes"])
    used = set()
    for name, service in SERVICES.items():
        for source, _ in volume_names(service):
            if source.startswith((".", "/")):
                assert (REPO / source).exists(), f"{name}: bind mount {source} is missing"
            else:
                assert source in declared, f"{name}: volume {source} is not declared"
                used.add(source)
    assert used == declared


def test_every_dependency_names_a_service():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"


def test_airflow_settings_agree_with_the_local_airflow_cfg():
    cfg = local_airflow_cfg()
    env = {**dockerfile_env(), **service_env(SERVICES["airflow-scheduler"])}
    compared = 0
    for key, value in env.items():
        match = re.fullmatch(r"AIRFLOW__([A-Z_]+?)__([A-Z_]+)", key)
        if not match:
            continue
        section, option = match.group(1).lower(), match.group(2).lower()
        if (section, option) in DIFFERS_ON_PURPOSE or not cfg.has_option(section, option):
            continue
        assert value == cfg.get(section, option), f"[{section}] {option}: compose {value!r}"
        compared += 1
    assert compared >= 10
    for section, option in (
        ("core", "auth_manager"),
        ("core", "simple_auth_manager_users"),
        ("core", "executor"),
        ("scheduler", "create_cron_data_intervals"),
        ("core", "load_examples"),
        ("api", "port"),
    ):
        assert f"AIRFLOW__{section.upper()}__{option.upper()}" in env, (section, option)


def test_only_the_writer_side_mounts_the_duckdb_volume():
    mounting = {
        name for name, svc in SERVICES.items() if any(target == WAREHOUSE_MOUNT for _, target in volume_names(svc))
    }
    assert mounting == {"airflow-apiserver", "airflow-scheduler", "airflow-worker-warehouse"}
    assert dockerfile_env()["SIAGA_WAREHOUSE"].startswith(WAREHOUSE_MOUNT + "/")
    writer = SERVICES["airflow-worker-warehouse"]["command"]
    queue = PIPELINE["pools"]["warehouse"]["queue"]
    assert f"--queues {queue}" in writer and "--concurrency 1" in writer
    assert queue not in SERVICES["airflow-worker"]["command"]


def test_init_creates_the_one_slot_pool_of_the_pipeline_config():
    command = " ".join(SERVICES["airflow-init"]["command"])
    pool = PIPELINE["pools"]["warehouse"]
    assert "airflow db migrate" in command
    assert f"airflow pools set {pool['name']} {pool['slots']} " in command
    assert pool["slots"] == 1


@pytest.mark.parametrize("name", sorted(n for n, s in SERVICES.items() if s.get("ports")))
def test_published_ports_bind_the_host_loopback(name):
    for port in SERVICES[name]["ports"]:
        assert str(port).startswith("127.0.0.1:"), port


def _pins(name: str) -> dict[str, str]:
    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_image_installs_the_runtime_pins_only_and_ships_no_tests_or_tools():
    import tomllib

    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert not set(runtime) & set(dev)
    assert {"pytest", "playwright", "ruff", "import-linter", "schemathesis"} <= set(dev)
    assert {"apache-airflow", "duckdb", "spacy", "pydantic-settings"} <= set(runtime)
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["dependencies"]["file"] == ["requirements.txt"]
    assert dynamic["optional-dependencies"]["dev"]["file"] == ["requirements-dev.txt"]
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"pip install [^\n]*-r (\S+)", dockerfile) == ["/opt/kutim-siaga/requirements.txt"]
    assert "requirements-dev" not in " ".join(re.findall(r"^(?:RUN|COPY) .*$", dockerfile, re.M))
    ignored = {line.strip() for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    assert {"tests", "tools"} <= ignored and "requirements-dev.txt" not in ignored  # setuptools reads it
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet -r requirements.txt -r requirements-dev.txt" in makefile
