"""The import graph between the top-level packages, from grimp (import-linter's engine).

    PYTHONPATH=.:plugins .venv/bin/python -m tools.import_graph

One line per pair of packages: how many module-to-module imports go from one to the other (lazy
imports inside functions included). docs/architecture.md shows its output before and after issue 16.
"""

from __future__ import annotations

from collections import Counter

import grimp

PACKAGES = ("dags", "siaga_ui", "warehouse", "nlp", "extractors", "core", "tests", "tools")


def package_edges(packages: tuple[str, ...] = PACKAGES) -> Counter:
    graph = grimp.build_graph(*packages, include_external_packages=False, cache_dir=None)
    edges: Counter = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = module.split(".")[0], imported.split(".")[0]
            if source != target:
                edges[(source, target)] += 1
    return edges


if __name__ == "__main__":
    for (source, target), count in sorted(package_edges().items()):
        print(f"{source:10} -> {target:10} {count}")
