"""The spaCy pipeline: `spacy.blank("id")` plus the project's own components, saved with a version.

Components, in order:
- `kutim_normalizer`: token.norm_ = the standard form of social-media words (features for textcat);
- `kutim_places`: place mentions and the problem's place (rules over the gazetteer) -> doc._.place;
- `category` (textcat, exclusive, 14 labels) and `signals` (textcat_multilabel: complaint, emergency),
  bag-of-words linear models over token.norm_ (architecture `kutim.TextCatBOWNorm.v1`), trained by
  `siaga train` from nlp/data/train.jsonl;
- `kutim_decide`: blends textcat scores with rule evidence into the contract's fields -> doc._.analysis.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

from nlp import places, regions, routing
from nlp.normalize import EMOJI, normalize_word, split_hashtag
from nlp.rules import CATEGORIES, evidence, ngrams

PIPELINE_NAME = "kutim_siaga"
PIPELINE_VERSION = "1.0.0"
MODEL_DIR = Path(__file__).resolve().parent / "model"

for _name in ("place", "analysis"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@registry.architectures("kutim.TextCatBOWNorm.v1")
def build_bow_norm_classifier(
    exclusive_classes: bool, ngram_size: int, length: int = 262144, nO: int | None = None
) -> Model:
    """spaCy's TextCatBOW, but over token.norm_ (the normalised word) instead of the raw text."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill = {"b": -1e4 if exclusive_classes else 0.0, "W": 0.0}
    resize = partial(resize_linear_weighted, fill_defaults=fill)
    resizable_layer = resizable(sparse_linear, resize_layer=resize)
    output = softmax_activation() if exclusive_classes else Logistic()
    model = chain(with_cpu(chain(extract_ngrams(ngram_size, attr=NORM), resizable_layer), sparse_linear.ops),
                  with_cpu(output, output.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


@Language.component("kutim_normalizer")
def kutim_normalizer(doc: Doc) -> Doc:
    """Sets token.norm_ to the standard form of each word (slang, elongations, hashtags)."""
    for token in doc:
        text = token.text
        if text.startswith("#") and len(text) > 1:
            token.norm_ = " ".join(split_hashtag(text)) or text.lower()
        elif "-" in text.strip("-"):
            # "luka-luka" -> "luka" (reduplication); "Sangatta-Bontang" -> "sangatta bontang"
            parts = [normalize_word(part) for part in text.split("-") if part]
            token.norm_ = parts[0] if len(set(parts)) == 1 else " ".join(parts)
        elif EMOJI.fullmatch(text):
            token.norm_ = "<emoji>"
        else:
            token.norm_ = normalize_word(text)
    return doc


@Language.factory("kutim_places", default_config={})
def make_kutim_places(nlp: Language, name: str) -> KutimPlaces:
    return KutimPlaces()


class KutimPlaces:
    """Finds Kutim kecamatan, desa, landmarks and places outside Kutim; decides the problem's place."""

    def __init__(self) -> None:
        self.gazetteer = places.load()

    def __call__(self, doc: Doc) -> Doc:
        doc._.place = places.resolve(doc.text, self.gazetteer)
        return doc


DECIDE_DEFAULTS: dict[str, Any] = {
    "category_rule_weight": 0.6,
    "complaint_rule_weight": 0.5,
    "complaint_threshold": 0.5,
    "emergency_threshold": 3.0,
    "emergency_model_weight": 1.0,
}


@Language.factory("kutim_decide", default_config=DECIDE_DEFAULTS)
def make_kutim_decide(
    nlp: Language,
    name: str,
    category_rule_weight: float,
    complaint_rule_weight: float,
    complaint_threshold: float,
    emergency_threshold: float,
    emergency_model_weight: float,
) -> KutimDecide:
    return KutimDecide(
        category_rule_weight, complaint_rule_weight, complaint_threshold, emergency_threshold,
        emergency_model_weight,
    )


EMERGENCY_CATEGORIES = frozenset(
    {"kebakaran", "banjir", "bencana_alam", "transportasi", "ketertiban_keamanan", "listrik", "kesehatan",
     "jalan_jembatan"}
)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


class KutimDecide:
    """Blends the text classifiers (when trained) with rule evidence into the `siaga analyze` fields."""

    def __init__(self, category_rule_weight: float, complaint_rule_weight: float, complaint_threshold: float,
                 emergency_threshold: float, emergency_model_weight: float) -> None:
        self.category_rule_weight = category_rule_weight
        self.complaint_rule_weight = complaint_rule_weight
        self.complaint_threshold = complaint_threshold
        self.emergency_threshold = emergency_threshold
        self.emergency_model_weight = emergency_model_weight
        self.routing = routing.load()

    def __call__(self, doc: Doc) -> Doc:
        words = [t.norm_ for t in doc if not t.is_punct and not t.is_space]
        words = [w for part in words for w in part.split()]
        ev = evidence(words, doc.text)
        cats = doc.cats or {}

        # Category: rule evidence (normalised) blended with the textcat distribution.
        rule_total = sum(ev.category_scores.values())
        combined = {}
        for category in CATEGORIES:
            rule_p = ev.category_scores[category] / rule_total if rule_total else 0.0
            model_p = cats.get(category)
            if model_p is None:
                combined[category] = rule_p
            else:
                weight = self.category_rule_weight
                combined[category] = weight * rule_p + (1 - weight) * model_p
        category = max(combined, key=combined.get) if (rule_total or cats) else "lainnya"

        # Complaint: rule cues against announcement cues, blended with the textcat probability.
        strongest_topic = max(ev.category_scores.values())
        rule_logit = ev.complaint - ev.non_complaint + 0.3 * min(strongest_topic, 6.0) - 2.0
        rule_p = _sigmoid(0.9 * rule_logit)
        model_p = cats.get("complaint")
        score = rule_p if model_p is None else (
            self.complaint_rule_weight * rule_p + (1 - self.complaint_rule_weight) * model_p
        )
        is_complaint = score >= self.complaint_threshold

        # Emergency: only a complaint can be one; acute cues against chronic/preventive ones.
        emergency_score = ev.emergency - ev.not_emergency
        if cats.get("emergency") is not None:
            emergency_score += self.emergency_model_weight * (cats["emergency"] - 0.5) * 2
        is_emergency = bool(
            is_complaint and category in EMERGENCY_CATEGORIES and emergency_score >= self.emergency_threshold
        )

        lapor = None
        if is_complaint:
            lapor = "aspirasi" if ev.aspiration >= 3 and ev.aspiration > ev.complaint else "pengaduan"
            if ev.question and ev.info >= 2.5 and ev.complaint < 3:
                lapor = "permintaan_informasi"
        elif ev.question and ev.info >= 2:
            lapor = "permintaan_informasi"

        place = doc._.place
        landmark_names = {m.entry.name for m in place.mentions if m.kept and m.kind == "landmark"}
        opd = self.routing.route(category if is_complaint else None, set(ngrams(words)), landmark_names,
                                 is_emergency)
        doc._.analysis = {
            "is_complaint": bool(is_complaint),
            "complaint_score": round(float(score), 4),
            "category": category if is_complaint else None,
            "is_emergency": is_emergency,
            "lapor_classification": lapor,
            "opd": opd,
        }
        return doc


def build_blank(with_textcat: bool = True) -> Language:
    """The untrained pipeline (textcat components added but not initialised)."""
    nlp = spacy.blank("id")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.add_pipe("kutim_normalizer")
    nlp.add_pipe("kutim_places")
    if with_textcat:
        nlp.add_pipe(
            "textcat",
            name="category",
            config={"model": {"@architectures": "kutim.TextCatBOWNorm.v1", "exclusive_classes": True,
                              "ngram_size": 2, "length": 65536}},
        )
        nlp.add_pipe(
            "textcat_multilabel",
            name="signals",
            config={"model": {"@architectures": "kutim.TextCatBOWNorm.v1", "exclusive_classes": False,
                              "ngram_size": 2, "length": 65536}},
        )
    nlp.add_pipe("kutim_decide")
    return nlp


def model_version(nlp: Language) -> str:
    """Name, version and the fingerprint of the data it was trained on: 'kutim_siaga-1.0.0+1a2b3c4d'."""
    version = f"{nlp.meta.get('name', PIPELINE_NAME)}-{nlp.meta.get('version', PIPELINE_VERSION)}"
    fingerprint = (nlp.meta.get("kutim") or {}).get("train_sha256_8")
    return f"{version}+{fingerprint}" if fingerprint else version


def load(path: Path | None = None) -> Language:
    """The trained pipeline from `path` (default nlp/model); the rules-only pipeline if none was trained."""
    path = Path(path or MODEL_DIR)
    if (path / "config.cfg").exists():
        return spacy.load(path)
    nlp = build_blank(with_textcat=False)
    nlp.meta["version"] = PIPELINE_VERSION + "-rules"
    return nlp


def place_fields(result: places.PlaceResult) -> dict[str, Any]:
    """The place fields of the contract, with lat/lon of the most specific place."""
    kec = regions.by_code(result.kecamatan_code) if result.kecamatan_code else None
    desa = regions.by_code(result.desa_code) if result.desa_code else None
    most = regions.by_code(result.region_code) if result.region_code else None
    return {
        "in_kutim": result.in_kutim,
        "kecamatan": kec.name if kec else None,
        "desa": desa.name if desa else None,
        "region_code": result.region_code,
        "lat": most.lat if most else None,
        "lon": most.lon if most else None,
    }


def entities(result: places.PlaceResult) -> list[dict[str, Any]]:
    """Every kept place mention as {text, label, start, end, code}."""
    labels = {"desa": "DESA", "kecamatan": "KECAMATAN", "kabupaten": "KABUPATEN", "town": "KOTA",
              "landmark": "LANDMARK", "outside": "LUAR_KUTIM"}
    return [
        {"text": m.text, "label": labels.get(m.kind, "PLACE"), "start": m.start, "end": m.end, "code": m.code}
        for m in result.mentions
        if m.kept
    ]
