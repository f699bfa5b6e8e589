"""The words of the bundled sample, read from tools/data/sample_texts.yaml (see its header).

Read by `tools.sample_build`, which turns them into each platform's raw payloads under data/sample/.
The rows keep the tuple shapes the builder unpacks.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_DATA = yaml.safe_load((Path(__file__).resolve().parent / "data" / "sample_texts.yaml").read_text(encoding="utf-8"))

# (key, category, kecamatan, desa, emergency, texts)
INCIDENTS: list[tuple[str, str, str, str | None, bool, list[str]]] = [
    (i["key"], i["category"], i["kecamatan"], i["desa"], i["emergency"], i["texts"]) for i in _DATA["incidents"]
]
# (place outside Kutim, category, texts)
OUTSIDE: list[tuple[str, str, list[str]]] = [(o["place"], o["category"], o["texts"]) for o in _DATA["outside"]]
# (who: agency or a person, text)
NON_COMPLAINTS: list[tuple[str, str]] = [(n["who"], n["text"]) for n in _DATA["non_complaints"]]
QUOTE_REACTIONS: list[str] = _DATA["quote_reactions"]
WA_OPENERS: list[str] = _DATA["wa_openers"]
WA_CLOSERS: list[str] = _DATA["wa_closers"]
