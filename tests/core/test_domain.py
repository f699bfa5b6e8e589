"""Domain terms are defined once: every per-category table covers exactly the categories, one clock."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from core.domain import CATEGORIES, CATEGORY_LABELS, JUDUL_MAX, WITA, WITA_OFFSET
from core.settings import REPO_CONFIG, REPO_ROOT
from extractors.lapor.mapping import KATEGORI_LABELS
from warehouse import drafts, moderation

RUNTIME = ("core", "extractors", "nlp", "warehouse", "dags", "plugins", "tools")


def test_every_category_table_covers_exactly_the_categories():
    assert len(set(CATEGORIES)) == len(CATEGORIES) == 14
    lexicon = yaml.safe_load((REPO_ROOT / "nlp" / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    routing = yaml.safe_load((REPO_CONFIG / "opd_routing.yaml").read_text(encoding="utf-8"))
    for table in (
        CATEGORY_LABELS,
        KATEGORI_LABELS,
        drafts.CATEGORY_TITLE,
        lexicon["categories"],
        routing["categories"],
    ):
        assert set(table) == set(CATEGORIES)


def test_the_judul_limit_is_one_value_for_the_generator_and_the_moderator():
    assert drafts.JUDUL_MAX is moderation.JUDUL_MAX is JUDUL_MAX
    long_place = "Sangatta Utara " * 12
    assert len(drafts.compose_judul("banjir", long_place, None, "64.08.05", False)) <= JUDUL_MAX


def test_wita_is_utc_plus_8_and_defined_only_in_core():
    assert WITA.utcoffset(None) == WITA_OFFSET and WITA_OFFSET.total_seconds() == 8 * 3600
    own = re.compile(r"^\s*(_?WITA\w*|BULAN|MONTHS)\s*=\s*(dt\.)?(timedelta|timezone|\()", re.M)
    found = [
        str(path.relative_to(REPO_ROOT))
        for folder in RUNTIME
        for path in (REPO_ROOT / folder).rglob("*.py")
        if path.relative_to(REPO_ROOT) != Path("core/domain.py") and own.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
