"""The transports: settings from the `siaga_lapor` connection, HTTP errors sorted by what to do next."""

from __future__ import annotations

import csv
import json

import pytest

from extractors.lapor.client import (
    ExportLaporClient,
    HttpLaporClient,
    LaporClient,
    LaporSettings,
    make_client,
    parse_connection,
    settings_from_env,
)
from extractors.lapor.models import (
    LaporAuthError,
    LaporLookupUnavailable,
    LaporOutcomeUnknown,
    LaporReport,
    LaporRetryableError,
    LaporValidationError,
    idempotency_key,
)
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, FakeLapor

TOKEN = "token-uji-klien-lapor"


def report_of(sample: dict) -> LaporReport:
    return LaporReport(
        draft_id=sample["draft_id"],
        idempotency_key=idempotency_key(sample["draft_id"]),
        judul=sample["judul"],
        isi=sample["isi"],
        kategori=sample["kategori"],
        lokasi=sample["lokasi"],
        region_code=sample["region_code"],
        instansi=sample["opd"],
        klasifikasi=sample["klasifikasi"],
    )


def test_connection_in_json_form():
    conn = parse_connection(
        '{"conn_type": "http", "password": "s3cr3t/+=", "extra": {"transport": "http", "read_timeout_s": 7}}'
    )
    settings = settings_from_env(
        {
            "AIRFLOW_CONN_SIAGA_LAPOR": json.dumps(
                {"conn_type": "http", "password": "s3cr3t/+=", "extra": json.dumps({"read_timeout_s": 7})}
            ),
            "SIAGA_LAPOR_API_BASE": "http://127.0.0.1:9/",
        }
    )
    assert conn["password"] == "s3cr3t/+=" and conn["extra"]["read_timeout_s"] == 7
    assert (settings.transport, settings.api_base, settings.token, settings.read_timeout_s) == (
        "http",
        "http://127.0.0.1:9",
        "s3cr3t/+=",
        7.0,
    )
    assert "s3cr3t" not in repr(settings)  # the token never shows up in a log line


def test_connection_in_uri_form_with_quoted_token_and_extra():
    settings = settings_from_env(
        {
            "AIRFLOW_CONN_SIAGA_LAPOR": "https://:to%2Fken%40x@lapor.example.go.id:8443/?transport=http",
        }
    )
    assert settings.token == "to/ken@x"
    assert settings.api_base == "https://lapor.example.go.id:8443"
    assert settings.transport == "http"


def test_without_api_base_the_default_is_the_export_transport(tmp_path):
    settings = settings_from_env({"SIAGA_LAPOR_EXPORT_DIR": str(tmp_path)})
    client = make_client(settings)
    assert isinstance(client, ExportLaporClient) and isinstance(client, LaporClient)
    assert client.export_dir == tmp_path
    beside = settings_from_env({"SIAGA_WAREHOUSE": str(tmp_path / "data" / "siaga.duckdb")})
    assert beside.export_dir == tmp_path / "data" / "exports"  # next to the warehouse, not the cwd


def test_http_transport_refuses_to_start_without_a_token():
    with pytest.raises(LaporAuthError, match="siaga_lapor"):
        HttpLaporClient(LaporSettings(transport="http", api_base="http://127.0.0.1:9"))


def test_http_errors_are_sorted_by_what_to_do_next():
    with FakeLapor(token=TOKEN, hold_s=1.0) as fake:
        client = HttpLaporClient(
            LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN, read_timeout_s=0.3)
        )
        report = report_of(SAMPLE_DRAFTS[0])
        fake.fail_next("500", "401", "validation", "timeout", "malformed", "409")
        with pytest.raises(LaporRetryableError) as server_error:
            client.submit(report)
        assert not isinstance(server_error.value, LaporOutcomeUnknown)
        with pytest.raises(LaporAuthError):
            client.submit(report)
        with pytest.raises(LaporValidationError, match="Isi laporan kurang jelas"):
            client.submit(report)
        with pytest.raises(LaporOutcomeUnknown, match="did not answer"):
            client.submit(report)
        with pytest.raises(LaporOutcomeUnknown, match="unreadable"):
            client.submit(report)
        with pytest.raises(LaporOutcomeUnknown, match="409"):  # "already there": look it up, never edit
            client.submit(report)
        assert len(fake.tickets) == 2  # the timeout and the malformed answer both created one
        found = client.lookup(report.idempotency_key)
        assert found.tracking_id == fake.tickets[0].tracking_id
        assert client.lookup(report.idempotency_key, transaksi_id=fake.tickets[1].transaksi_id).tracking_id == (
            fake.tickets[1].tracking_id
        )
        assert client.lookup(idempotency_key("drf-tidak-ada")) is None
        assert client.status(found.tracking_id).status == "belum_terverifikasi"


def test_refused_connection_is_retryable_not_a_crash():
    with FakeLapor(token=TOKEN) as fake:
        base = fake.base_url
    client = HttpLaporClient(LaporSettings(transport="http", api_base=base, token=TOKEN, connect_timeout_s=1))
    with pytest.raises(LaporRetryableError):
        client.submit(report_of(SAMPLE_DRAFTS[1]))


def test_lookup_missing_at_the_server_says_it_cannot_tell():
    with FakeLapor(token=TOKEN, lookup_enabled=False) as fake:
        client = HttpLaporClient(LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN))
        with pytest.raises(LaporLookupUnavailable):
            client.lookup(idempotency_key("drf-sepaso-jalan"))


def test_export_batch_is_a_csv_and_a_json_an_admin_can_enter(tmp_path):
    client = ExportLaporClient(tmp_path)
    reports = [report_of(d) for d in SAMPLE_DRAFTS]
    batch = client.write_batch("lapor_batch_20261123T090000000000", reports)
    with batch.csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    document = json.loads(batch.json_path.read_text(encoding="utf-8"))
    assert [r["kode_referensi"] for r in rows] == [r.idempotency_key for r in reports]
    assert rows[1]["instansi_tujuan"] == "Perumdam Tirta Tuah Benua"
    assert "Judul: Air PDAM mati lima hari di Teluk Lingga" in rows[1]["isi"]
    assert document["jumlah"] == 3 and document["laporan"] == rows
    assert "siaga lapor record" in document["petunjuk"]
    assert client.lookup(reports[2].idempotency_key).export_batch == batch.batch_id
    assert client.lookup(idempotency_key("drf-lain")) is None
    assert not list(tmp_path.glob("*.tmp"))


def test_connection_host_gives_the_address_when_no_api_base_is_set():
    plain = settings_from_env(
        {
            "AIRFLOW_CONN_SIAGA_LAPOR": json.dumps(
                {"conn_type": "http", "host": "api.lapor.example.go.id", "password": "tok-rahasia"}
            )
        }
    )
    local = settings_from_env(
        {
            "AIRFLOW_CONN_SIAGA_LAPOR": json.dumps(
                {
                    "conn_type": "http",
                    "host": "127.0.0.1",
                    "port": 8765,
                    "schema": "http",
                    "password": "tok-rahasia",
                }
            )
        }
    )
    assert plain.api_base == "https://api.lapor.example.go.id" and plain.transport == "http"
    assert local.api_base == "http://127.0.0.1:8765"
