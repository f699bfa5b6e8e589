import pytest

from tests.fakes.platform_fake import loopback_only


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch, tmp_path):
    """Any request that is not for 127.0.0.1 goes to a closed local port and fails at once."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    # Short waits so failure cases stay fast; tests that need others pass them as options.
    monkeypatch.setenv("SIAGA_HTTP_RETRY_BASE_S", "0.01")
    monkeypatch.setenv("SIAGA_HTTP_TIMEOUT_S", "5")
    monkeypatch.setenv("SIAGA_WHATSAPP_INBOX", str(tmp_path / "inbox"))


@pytest.fixture(autouse=True)
def loopback_guard():
    """Fails the test on any attempt to reach past 127.0.0.1 (connection or DNS lookup), even a swallowed one."""
    with loopback_only() as attempts:
        yield attempts
    if attempts:
        pytest.fail(f"the test tried to reach past 127.0.0.1: {attempts}")
