"""Split in headless Chromium: a moderator ticks a report on the draft page, confirms, lands on the new
issue's draft, and the audit names the split; humas gets no split form."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_moderator_splits_a_report_into_a_new_draft(as_user):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-002")
    assert page.page.locator("#pisah").is_visible()
    page.page.check('input.pilih-pisah[value="facebook:5550001_3001"]')
    page.page.click("#pisah")
    page.page.wait_for_url("**/draf/DRF-*?hasil=dipisah")
    assert page.dialogs == [
        "Pisahkan laporan terpilih (beserta salinan dan balasannya) ke isu baru dengan drafnya sendiri?"
    ]
    assert "Laporan terpilih dipisah dari isu asalnya" in page.page.content()
    evidence = page.page.locator("ul.evidence").inner_text()
    assert evidence.count("Facebook") == 1 and "Instagram" not in evidence
    page.shot("30-draf-hasil-pisah")
    page.go("/siaga/draf/drf-002")
    assert "Facebook" not in page.page.locator("ul.evidence").inner_text()
    assert "Dipisah ke isu" in page.page.content()
    page.go("/siaga/audit")
    assert "Memisahkan ke isu baru" in page.page.locator("#audit tbody tr").first.inner_text()
    assert page.problems == []


def test_splitting_nothing_says_what_to_do_and_keeps_the_issue(as_user):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-002")
    page.page.click("#pisah")
    page.page.wait_for_selector("#pisah-galat")
    assert "Pilih minimal satu unggahan" in page.page.locator("#pisah-galat").inner_text()
    assert page.page.locator("input.pilih-pisah").count() == 3


def test_humas_has_no_split_form(as_user):
    page = as_user("humas")
    page.go("/siaga/draf/drf-002")
    assert page.page.locator("#form-pisah").count() == 0
    assert page.page.locator("input.pilih-pisah").count() == 0
