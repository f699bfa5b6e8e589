"""Airflow plugin: mounts the Kutim Siaga UI at /siaga on the API server and adds a menu entry."""

from __future__ import annotations

from typing import ClassVar

from airflow.plugins_manager import AirflowPlugin

from siaga_ui import create_app


class KutimSiagaPlugin(AirflowPlugin):
    name = "kutim_siaga"
    fastapi_apps: ClassVar[list[dict]] = [{"app": create_app(), "url_prefix": "/siaga", "name": "Kutim Siaga"}]
    external_views: ClassVar[list[dict]] = [
        {
            "name": "Kutim Siaga: Moderasi",
            "href": "/siaga/antrian",
            "destination": "nav",
            "category": "browse",
        },
        {
            "name": "Kutim Siaga: Isu viral",
            "href": "/siaga/viral",
            "destination": "nav",
            "category": "browse",
        },
    ]
