"""The labelled clustering set: pairwise precision and recall of the issues formed."""

from __future__ import annotations

from pathlib import Path

from warehouse.cluster_eval import evaluate_clustering, pairwise_scores

SET = Path(__file__).parent / "data" / "clustering_set.jsonl"


def test_pairwise_scores_count_pairs_within_groups_and_issues():
    gold = {"a": "g1", "b": "g1", "c": "g1", "d": "g2"}
    scores = pairwise_scores(gold, {"a": "i1", "b": "i1", "c": "i2", "d": "i2"})
    assert scores["true_pairs"] == 3 and scores["predicted_pairs"] == 2
    assert scores["precision"] == 0.5 and scores["recall"] == round(1 / 3, 4)


def test_clustering_on_gold_analysis_reaches_095_precision_and_recall(warehouse_file):
    scores = evaluate_clustering(SET, analysis="gold")
    assert scores["posts"] >= 300 and scores["groups"] >= 60
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.95, scores
