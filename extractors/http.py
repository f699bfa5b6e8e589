"""HTTP plumbing shared by the API extractors: host routing, call counting, timeouts, retry policy.

The platform clients (tweepy, facebook-sdk) take a `requests.Session`; `RoutedSession` sends what they
address to the real host to the configured base URL instead (`SIAGA_X_API_BASE`, ...), counts calls,
keeps the last response (for headers and bodies the clients do not surface) and applies a timeout.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass

import requests

from core.env import setting


@dataclass
class Policy:
    """How patient one extraction is. From run_source options, else the environment."""

    timeout_s: float = 20.0
    retries: int = 3
    retry_base_s: float = 1.0
    budget_s: float = 900.0  # the most a run may spend waiting for rate limits

    @classmethod
    def from_options(cls, options: dict) -> Policy:
        def pick(name: str, env: str, default: float) -> float:
            if options.get(name) is not None:
                return float(options[name])
            return float(setting(env))

        return cls(
            timeout_s=pick("timeout_s", "http_timeout_s", cls.timeout_s),  # SIAGA_HTTP_TIMEOUT_S
            retries=int(pick("retries", "http_retries", cls.retries)),
            retry_base_s=pick("retry_base_s", "http_retry_base_s", cls.retry_base_s),
            budget_s=pick("budget_s", "extract_budget_s", cls.budget_s),  # SIAGA_EXTRACT_BUDGET_S
        )

    def backoff(self, attempt: int) -> None:
        time.sleep(self.retry_base_s * (2**attempt) * (0.5 + random.random() / 2))


class Budget:
    """Seconds left for waiting on rate limits in this run."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def allows(self, wait_s: float) -> bool:
        return time.monotonic() + wait_s <= self.deadline


class RoutedSession(requests.Session):
    """A session that sends requests for `real_base` to `base`, with a default timeout and a call count."""

    def __init__(self, real_base: str, base: str | None, timeout_s: float):
        super().__init__()
        self.real_base = real_base.rstrip("/")
        self.base = (base or real_base).rstrip("/")
        self.timeout_s = timeout_s
        self.calls = 0
        self.last_response: requests.Response | None = None

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith(self.real_base):
            url = self.base + url[len(self.real_base) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout_s
        self.calls += 1
        response = super().request(method, url, *args, **kwargs)
        self.last_response = response
        return response


# Loggers that print request URLs or headers at DEBUG: the Graph API token travels in the query string
# and tweepy logs the Authorization header. Kept at INFO even under `siaga -v`, so no secret is logged.
SECRET_BEARING_LOGGERS = ("tweepy.client", "urllib3.connectionpool", "requests_oauthlib")


def quiet_secret_loggers() -> None:
    for name in SECRET_BEARING_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
