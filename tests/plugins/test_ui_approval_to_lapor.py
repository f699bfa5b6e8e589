"""From a moderator's approval in the UI to one SP4N-LAPOR! ticket, shown with its tracking ID.

The approval goes through the UI's JSON API (a real Airflow JWT), the hand-over through the LAPOR!
bridge's HTTP transport (what the `lapor_submit` DAG calls) to the team's fake LAPOR! on 127.0.0.1.
"""

from __future__ import annotations

import warehouse
from extractors.lapor.client import HttpLaporClient, LaporSettings
from tests.fakes.fake_lapor import FakeLapor
from warehouse.lapor import submit_approved

TOKEN = "token-uji-kutim"


def test_an_approved_draft_becomes_one_ticket_shown_on_the_lapor_page(as_moderator):
    approved = as_moderator.post("/siaga/api/drafts/drf-004/approve", json={"version": 1})
    assert approved.status_code == 200, approved.text

    with FakeLapor(token=TOKEN) as fake:
        client = HttpLaporClient(LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN))
        first = submit_approved(client)
        again = submit_approved(client)  # the DAG's next run: nothing left to send
        tickets = list(fake.tickets)

    assert len(tickets) == 1, "exactly one ticket for one approved draft"
    assert first.get("submitted") == 1 and not again.get("submitted")
    with warehouse.connect() as con:
        state, tracking_id = con.execute(
            "SELECT state, tracking_id FROM lapor_submissions WHERE draft_id = 'drf-004'"
        ).fetchone()
    assert state == "submitted" and tracking_id == tickets[0].tracking_id

    page = as_moderator.get("/siaga/lapor")
    assert page.status_code == 200
    assert tracking_id in page.text
