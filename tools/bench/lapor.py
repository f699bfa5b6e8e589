"""Figures for `siaga bench`: how fast the bridge hands drafts over and computes SLA clocks.

Runs against the repository's fake SP4N-LAPOR! (tests/fakes, loopback only) and a throwaway
warehouse, so it needs no credentials and touches no real data. `run()` returns the
figures; `python -m tools.bench.lapor` prints them as JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from unittest import mock


def run(drafts: int = 200) -> dict:
    from extractors.lapor.client import HttpLaporClient, LaporSettings
    from tests.fakes.fake_lapor import SAMPLE_DRAFTS, FakeLapor, seed_approved_draft
    from warehouse import connect
    from warehouse.lapor import SubmitPolicy, submit_approved, sync_statuses, tickets_with_sla

    token = "token-bench-lapor"
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLapor(token=token, hold_s=0.5) as fake,
        mock.patch.dict(os.environ, {"SIAGA_WAREHOUSE": str(Path(tmp) / "bench.duckdb")}),
    ):
        with connect(write=True) as con:
            for n in range(drafts):
                sample = SAMPLE_DRAFTS[n % len(SAMPLE_DRAFTS)]
                seed_approved_draft(
                    con,
                    dict(sample, draft_id=f"{sample['draft_id']}-{n}", issue_id=f"{sample['issue_id']}-{n}"),
                )
        client = HttpLaporClient(
            LaporSettings(transport="http", api_base=fake.base_url, token=token, read_timeout_s=0.2)
        )
        fake.fail_next("timeout")  # one hard case in the batch: accepted, answered too late
        started = time.perf_counter()
        counts = submit_approved(client, SubmitPolicy(backoff_s=0.01))
        submit_s = time.perf_counter() - started
        started = time.perf_counter()
        synced = sync_statuses(client)
        sync_s = time.perf_counter() - started
        started = time.perf_counter()
        tickets = tickets_with_sla(date.today())
        sla_s = time.perf_counter() - started
        return {
            "lapor_drafts": drafts,
            "lapor_tickets_at_fake": len(fake.tickets),
            "lapor_submit_drafts_per_s": round(drafts / submit_s, 1),
            "lapor_submit_s": round(submit_s, 2),
            "lapor_reconciled": counts.get("reconciled", 0),
            "lapor_sync_tickets_per_s": round(synced["polled"] / sync_s, 1),
            "lapor_tickets_with_sla_ms": round(sla_s * 1000, 1),
            "lapor_tickets_listed": len(tickets),
        }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
