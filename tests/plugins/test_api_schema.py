"""Schemathesis against /siaga/openapi.json: every operation, valid and invalid input, as a moderator.

The app runs in-process (ASGI, as the other API tests run it) on the seeded test warehouse. Bounded:
a fixed number of examples per operation and mode, derandomized, no example database, so the run is
the same on every machine and takes well under a minute.
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# SIAGA_SCHEMATHESIS_SCALE=10 runs ten times as many examples (a longer search, outside `make test`).
SCALE = max(1, int(os.environ.get("SIAGA_SCHEMATHESIS_SCALE") or 1))
EXAMPLES = {GenerationMode.POSITIVE: 12 * SCALE, GenerationMode.NEGATIVE: 8 * SCALE}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def _failures_of(operation, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(base_url="http://127.0.0.1/siaga", headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # the checks' own explanation, with a curl line
        return f"{mode.value} {operation.label}: {exc}"
    return None


def test_every_operation_keeps_its_documented_contract(app, tokens):
    headers = {"Authorization": f"Bearer {tokens['moderator']}"}
    schema = schemathesis.openapi.from_asgi("/siaga/openapi.json", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]
    found = [
        failure
        for operation in operations
        for mode in EXAMPLES
        if (failure := _failures_of(operation, mode, headers)) is not None
    ]
    assert not found, f"{len(found)} operation(s) broke the OpenAPI contract:\n\n" + "\n\n".join(found)
