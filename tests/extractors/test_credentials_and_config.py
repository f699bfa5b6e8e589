import json

import pytest

from extractors import listening
from extractors.credentials import MissingCredentials, get_credentials, parse_connection


def test_connection_in_json_form_with_extra_as_object_or_text():
    conn = parse_connection(
        "siaga_whatsapp",
        json.dumps({"conn_type": "http", "password": "app-secret", "extra": {"verify_token": "vt"}}),
    )
    assert conn.password == "app-secret" and conn.extra == {"verify_token": "vt"}
    conn = parse_connection("siaga_whatsapp", json.dumps({"password": "s", "extra": '{"access_token": "at"}'}))
    assert conn.extra == {"access_token": "at"}


def test_connection_in_uri_form_with_encoded_secret_and_extra():
    conn = parse_connection("siaga_instagram", "http://humas%40kutim:s%2Fecret@instagram.com?csrftoken=abc")
    assert (conn.login, conn.password, conn.host) == ("humas@kutim", "s/ecret", "instagram.com")
    assert conn.extra == {"csrftoken": "abc"}
    conn = parse_connection("siaga_x", "http://:tok@?__extra__=%7B%22a%22%3A+1%7D")
    assert conn.password == "tok" and conn.extra == {"a": 1}


def test_secret_never_shows_in_repr(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", json.dumps({"password": "very-secret-token"}))
    assert "very-secret-token" not in repr(get_credentials("siaga_x"))


def test_missing_connection_says_what_to_create(monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SIAGA_X", raising=False)
    with pytest.raises(MissingCredentials, match="AIRFLOW_CONN_SIAGA_X"):
        get_credentials("siaga_x")


def test_listening_config_is_validated_with_the_key_named(tmp_path):
    bad = tmp_path / "listening.yaml"
    bad.write_text(
        listening.config_path()
        .read_text(encoding="utf-8")
        .replace("\nhashtags: [kutim,", "\nhashtags: kutim\nold_hashtags: [kutim,"),
        encoding="utf-8",
    )
    with pytest.raises(listening.ListeningConfigError, match=r"listening.yaml: hashtags: input should be a valid list"):
        listening.load(bad)
    bad.write_text("version: 1\nagencies: []\n", encoding="utf-8")
    with pytest.raises(listening.ListeningConfigError, match="facebook_pages: missing; add it to"):
        listening.load(bad)


def test_x_queries_stay_within_the_query_length_and_keep_every_term():
    config = listening.load()
    config["x"] = dict(config["x"], max_query_length=120)
    queries = listening.x_queries(config)
    assert all(len(q.text) <= 120 for q in queries)
    assert len({q.key for q in queries}) == len(queries) and any(q.key == "places-2" for q in queries)
    joined = " ".join(q.text for q in queries)
    assert all(f"#{tag}" in joined for tag in config["hashtags"])
    assert '"Muara Wahau"' in joined and all(q.text.endswith(" lang:id") for q in queries)


def test_bundled_listening_config_marks_unconfirmed_handles():
    config = listening.load()
    handles = [a[p] for a in config["agencies"] for p in ("x", "instagram", "facebook") if a.get(p)]
    assert handles and all("confirmed" in h for h in handles)
