"""The Airflow plugin file registers the app at /siaga and a menu entry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "siaga_plugin.py"


def test_plugin_mounts_the_ui_at_siaga_with_a_menu_entry(airflow_env, warehouse_path):
    spec = importlib.util.spec_from_file_location("siaga_plugin_under_test", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    plugin = module.KutimSiagaPlugin
    (app,) = plugin.fastapi_apps
    assert app["url_prefix"] == "/siaga"
    assert {route.path for route in app["app"].routes} >= {
        "/health",
        "/api/drafts",
        "/antrian",
        "/webhooks/whatsapp",
    }
    assert any(view["href"] == "/siaga/antrian" and view["destination"] == "nav" for view in plugin.external_views)


def test_airflow_does_not_import_the_ui_package_as_loose_plugin_modules():
    ignore = (PLUGIN.parent / ".airflowignore").read_text()
    assert "siaga_ui/" in ignore.splitlines()
