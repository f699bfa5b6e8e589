"""A report that joins the one issue it can join has its similarity computed later, in one numpy pass
(`settle_similarities`): the figure must be the one the issue's wordings gave when the report joined."""

from __future__ import annotations

import numpy as np

from warehouse.clustering import MAX_SIGNATURES_PER_ISSUE, SECONDS_PER_DAY, Clusterer, settle_similarities
from warehouse.fingerprint import NUM_PERM, similarity
from warehouse.settings import ClusteringSettings

DESA = "64.08.09.2006"


def test_a_deferred_similarity_is_the_one_at_the_time_of_joining():
    rng = np.random.default_rng(11)
    clusterer = Clusterer(ClusteringSettings())
    base = rng.integers(0, 2**31, size=NUM_PERM).astype(np.uint32)
    signatures = []
    for _ in range(MAX_SIGNATURES_PER_ISSUE + 3):
        sig = base.copy()
        changed = rng.choice(NUM_PERM, size=int(rng.integers(5, 50)), replace=False)
        sig[changed] = rng.integers(0, 2**31, size=len(changed)).astype(np.uint32)
        signatures.append(sig)
    assignments = [
        clusterer.assign(f"x:{i}", i * SECONDS_PER_DAY / 4, "banjir", DESA, None, None, sig, frozenset())
        for i, sig in enumerate(signatures)
    ]
    assert assignments[0].opened and all(a.issue_id == assignments[0].issue_id for a in assignments)
    # more wordings joined after each report: only those before it count
    settle_similarities(assignments)
    for i, a in enumerate(assignments[1:], start=1):
        kept = signatures[: min(i, MAX_SIGNATURES_PER_ISSUE)]
        assert a.similarity == max(similarity(sig, signatures[i]) for sig in kept)
    # read one at a time (no batch), the figure is the same
    late = clusterer.assign("x:late", 2 * SECONDS_PER_DAY, "banjir", DESA, None, None, signatures[2], frozenset())
    assert late.similarity == 1.0


def test_settling_twice_changes_nothing():
    clusterer = Clusterer(ClusteringSettings())
    sig = np.arange(NUM_PERM, dtype=np.uint32)
    first = clusterer.assign("x:1", 0.0, "banjir", DESA, None, None, sig, frozenset())
    second = clusterer.assign("x:2", 60.0, "banjir", DESA, None, None, sig, frozenset())
    settle_similarities([first, second])
    settle_similarities([first, second])
    assert (first.similarity, second.similarity) == (1.0, 1.0)
    assert second.issue_id == first.issue_id and first.opened and not second.opened
