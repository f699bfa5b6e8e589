"""String matching on the analysis' hot path, each giving exactly what a plainer form elsewhere gives.

- `skeleton_keys`: the matching keys of a text's words for the place lookup (`gazetteer.skeleton_words`):
  in ASCII text, repeated letters collapsed over the whole text by one regular expression with a C-level
  replacement, then split (a run of one letter never crosses a space); in other text, each word's key
  cached in a plain dictionary instead of `lru_cache` (which also reorders its list at every hit);
- `PhraseIndex`: which lexicon phrases occur in a list of normalised words (`rules.PhraseFinder`), word
  pairs looked up as tuples, so no string is built per pair of words.

tests/nlp/test_nlp_speed_equivalence.py checks each against the form it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress, pairwise, repeat
from operator import is_, itemgetter

from nlp.gazetteer import WORD, skeleton

# Every ASCII character: letters and digits kept, anything else a space. A complete table keeps
# `str.translate` on its fast path (a character missing from the table costs a failed lookup per call).
_ASCII_WORD_CHARS = str.maketrans({chr(code): chr(code) if chr(code).isalnum() else " " for code in range(128)})
_RUN = re.compile(r"([^ ])\1+")  # a letter or digit repeated: `gazetteer.skeleton`'s collapse, spaces aside
_FIRST_GROUP = itemgetter(1)
_KEYS: dict[str, str] = {}  # word (lower case) -> its skeleton
_KEYS_MAX = 500_000


def skeleton_keys(lowered: str) -> list[str]:
    """The skeleton of every word of a lower-cased text, in order: `gazetteer.skeleton_words(text)` where
    `lowered == text.lower()`."""
    if lowered.isascii():
        return _RUN.sub(_FIRST_GROUP, lowered.translate(_ASCII_WORD_CHARS)).split()
    words = WORD.findall(lowered)
    keys = list(map(_KEYS.get, words))
    if None in keys:  # words seen for the first time: only their positions are visited
        if len(_KEYS) > _KEYS_MAX:
            _KEYS.clear()
        for i in compress(range(len(keys)), map(is_, keys, repeat(None))):
            keys[i] = _KEYS[words[i]] = skeleton(words[i])
    return keys  # type: ignore[return-value]


class PhraseIndex:
    """Which of a fixed set of phrases occur in a list of words (words contain no spaces, as the words of
    a NORM split at whitespace): what `rules.PhraseFinder` finds.

    Single words and pairs of words are found by set operations in C over the words and over
    `itertools.pairwise` tuples; Python code runs only at a pair that starts a phrase of three words or more.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = set(phrases)  # a set (not frozen): its intersection is a set to add to
        self.pairs: dict[tuple[str, str], str] = {}  # (first, second) -> the phrase of these two words
        self.longer: dict[tuple[str, str], int] = {}  # first two words -> longest phrase starting with them
        for phrase in self.phrases:
            parts = phrase.split(" ")
            if len(parts) == 2:
                self.pairs[parts[0], parts[1]] = phrase
            elif len(parts) > 2:
                head = (parts[0], parts[1])
                self.longer[head] = max(self.longer.get(head, 0), len(parts))
        self.heads = self.pairs.keys() | self.longer.keys()

    def __call__(self, words: list[str]) -> set[str]:
        found = self.phrases.intersection(words)
        hits = self.heads.intersection(pairwise(words))
        if not hits:
            return found
        pairs = self.pairs
        found.update(pairs[pair] for pair in hits if pair in pairs)
        longer = self.longer
        if longer.keys().isdisjoint(hits):
            return found
        phrases, n = self.phrases, len(words)
        for i in compress(range(n), map(longer.__contains__, pairwise(words))):
            for length in range(3, min(longer[words[i], words[i + 1]], n - i) + 1):
                gram = " ".join(words[i : i + length])
                if gram in phrases:
                    found.add(gram)
        return found
