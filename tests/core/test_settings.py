"""The settings layer: every SIAGA_* variable and every config file validated, one error style naming it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr

import siaga
from core.env import FIELDS, check_environment, env_values, setting, variable
from core.settings import REPO_CONFIG, REPO_ROOT, SettingsError

# A wrong value for every variable that has a type beyond "a path" (a path is any text).
WRONG = {
    "warehouse_wait_s": "tiga puluh",
    "ui_warehouse_wait_s": "0",
    "whatsapp_max_body_bytes": "-5",
    "http_timeout_s": "0",
    "http_retries": "1.5",
    "http_retry_base_s": "-1",
    "extract_budget_s": "lama",
    "lapor_timeout_s": "0",
    "lapor_connect_timeout_s": "abc",
    "replay_relative_to": "kemarin",
    "lapor_transport": "fax",
    "x_api_base": "api.x.com",
    "graph_api_base": "ftp://graph",
    "instagram_base": "instagram.com",
    "lapor_api_base": "lapor.go.id",
}
# Variables any text is right for: read back typed.
ANY_TEXT = {
    "warehouse": Path,
    "config_dir": Path,
    "pipeline_config": Path,
    "listening_config": Path,
    "opd_routing": Path,
    "ui_config": Path,
    "staging_dir": Path,
    "reports_dir": Path,
    "sample_dir": Path,
    "replay_extra_dir": Path,
    "whatsapp_inbox": Path,
    "lapor_export_dir": Path,
    "author_hash_key": SecretStr,
    "ui_secret": SecretStr,
}


def test_every_variable_is_covered_by_these_tests():
    assert set(WRONG) | set(ANY_TEXT) == set(FIELDS)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_variable_is_named_with_what_to_set(monkeypatch, name):
    monkeypatch.setenv(variable(name), WRONG[name])
    with pytest.raises(SettingsError) as caught:
        setting(name)
    message = str(caught.value)
    assert message.startswith(f"{variable(name)}: ") and repr(WRONG[name]) in message
    assert "; set it to " in message and message.endswith("or unset it for the default")
    with pytest.raises(SettingsError, match=f"^{variable(name)}: "):
        check_environment()
    with pytest.raises(SettingsError, match=f"^{variable(name)}: "):
        env_values({variable(name): WRONG[name]})


@pytest.mark.parametrize("name", sorted(ANY_TEXT))
def test_a_path_or_secret_variable_is_read_typed(monkeypatch, name):
    monkeypatch.setenv(variable(name), "/srv/kutim/x")
    value = setting(name)
    assert isinstance(value, ANY_TEXT[name])
    if isinstance(value, SecretStr):
        assert "/srv/kutim/x" not in repr(value) and value.get_secret_value() == "/srv/kutim/x"


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE_WAIT_S", "")
    monkeypatch.setenv("SIAGA_HTTP_RETRIES", "7")
    assert setting("warehouse_wait_s") == FIELDS["warehouse_wait_s"].default
    assert setting("http_retries") == 7 and env_values().http_retries == 7


def test_a_misspelt_variable_is_reported(monkeypatch, caplog):
    monkeypatch.setenv("SIAGA_WAREHOSE", "/tmp/x.duckdb")
    check_environment()
    assert "SIAGA_WAREHOSE is not a Kutim Siaga setting" in caplog.text


def _clear_caches() -> None:
    from nlp import routing
    from siaga_ui import config as ui_config
    from warehouse import settings

    settings.clustering_settings.cache_clear()
    settings.ingest_settings.cache_clear()
    routing.load.cache_clear()
    ui_config.load_config.cache_clear()


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """A copy of config/ the variables point at; caches cleared before and after."""
    folder = tmp_path / "config"
    shutil.copytree(REPO_CONFIG, folder)
    monkeypatch.setenv("SIAGA_CONFIG_DIR", str(folder))
    for name, file in (
        ("LISTENING_CONFIG", "listening"),
        ("OPD_ROUTING", "opd_routing"),
        ("PIPELINE_CONFIG", "pipeline"),
        ("UI_CONFIG", "ui"),
    ):
        monkeypatch.setenv(f"SIAGA_{name}", str(folder / f"{file}.yaml"))
    _clear_caches()
    yield folder
    _clear_caches()


def test_the_repository_settings_pass(config_copy):
    checked = siaga.check_settings()
    assert {
        f"config/{name}"
        for name in ("clustering.yaml", "ingest.yaml", "listening.yaml", "opd_routing.yaml", "pipeline.yaml", "ui.yaml")
    } <= set(checked)
    assert {variable(name) for name in FIELDS} <= set(checked)


def _set(data: dict, dotted: str, value) -> None:
    *parents, key = dotted.split(".")
    for parent in parents:
        data = data[parent]
    data[key] = value


# file, field (dotted), a wrong value, what the message names
BROKEN = [
    ("clustering.yaml", "weak_place_similarity", 1.5, "weak_place_similarity: input should be less than or equal to 1"),
    ("clustering.yaml", "window_dayz", 3, "window_dayz: not a known setting; remove it or check its spelling"),
    ("ingest.yaml", "future_skew_hours", -1, "future_skew_hours: input should be greater than or equal to 0"),
    ("ingest.yaml", "platforms", ["MySpace"], "platforms.0: string should match pattern"),
    ("listening.yaml", "x.max_results", 1000, "x.max_results: input should be less than or equal to 100"),
    ("listening.yaml", "facebook_pages", [{"id": "info-sangatta"}], "facebook_pages.0.id: string should match"),
    ("opd_routing.yaml", "categories.tiktok", {"default": "Diskominfo"}, "categories: unknown categories: tiktok"),
    ("pipeline.yaml", "alerts.spike_k", "tiga", "alerts.spike_k: must be a number >= 0"),
    ("ui.yaml", "page_size", 0, "page_size: input should be greater than 0"),
    ("ui.yaml", "roles.viewer", "admin", "roles.viewer: input should be 'humas' or 'moderator'"),
]


@pytest.mark.parametrize(("file", "field", "value", "named"), BROKEN)
def test_a_wrong_setting_in_any_file_is_named_with_its_file_and_field(config_copy, file, field, value, named):
    path = config_copy / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _set(data, field, value)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        siaga.check_settings()
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and named in message
    assert caught.value.fix and message.endswith(caught.value.fix)


def test_a_missing_or_malformed_file_says_what_to_do(config_copy):
    (config_copy / "ui.yaml").unlink()
    with pytest.raises(
        SettingsError, match=r"ui\.yaml: the file is missing; restore it from git or point SIAGA_UI_CONF"
    ):
        siaga.check_settings()
    (config_copy / "ui.yaml").write_text("roles: [viewer\n", encoding="utf-8")
    _clear_caches()
    with pytest.raises(SettingsError, match=r"ui\.yaml: not valid YAML .*; fix the syntax"):
        siaga.check_settings()


def test_siaga_stops_before_any_command_with_exit_2_and_the_one_line(tmp_path):
    env = {
        **os.environ,
        "SIAGA_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "SIAGA_HTTP_RETRIES": "banyak",
        "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'plugins'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "stats"], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("siaga stats: SIAGA_HTTP_RETRIES: input should be")
    assert not (tmp_path / "w.duckdb").exists()  # nothing ran
