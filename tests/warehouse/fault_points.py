"""`siaga` in a process that kills itself (SIGKILL) or fails at one named point of an ingest: the crash
tests' subprocess. Test-only: production code has no hook; this wraps the real functions from outside.

    python -m tests.warehouse.fault_points POINT ingest PATH      # then exactly what `siaga ingest PATH` does

Batches are made small (LOAD_BATCH_LINES, ANALYZE_BATCH) so that loading and analysis take several
transactions and a point can fall between two of them. POINT is one of POINTS below; `raise:<stage>`
raises instead of killing (an exception, not a crash).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

LOAD_BATCH_LINES = 25
ANALYZE_BATCH = 20

# point -> what is on disk when it fires
POINTS = {
    "load:2": "the first load batch committed, the second not begun",
    "load-commit:2": "the second load batch written in its transaction, not committed",
    "analyze:2": "the first analysis batch committed, the second not begun",
    "analyze-commit:2": "the second analysis batch written in its transaction, not committed",
    "dedupe": "copies linked to their originals, uncommitted (clustering's transaction)",
    "cluster": "half of the reports placed in memory, nothing written",
    "links": "reports, copies and replies linked, uncommitted",
    "drafts": "issue figures and drafts written, uncommitted",
    "commit": "clustering's transaction complete, COMMIT not yet sent",
    "checkpoint": "clustering committed to DuckDB's write-ahead log, not checkpointed into the file",
    "in-checkpoint": "killed 0-30 ms into closing the connection (DuckDB checkpoints on close)",
}


def die() -> None:
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class Faults:
    def __init__(self, point: str):
        self.point = point
        self.stage = "start"
        self.calls: dict[str, int] = {}

    def hit(self, name: str) -> None:
        """A point is reached: die (or raise) if it is the chosen one."""
        if self.point == name:
            die()
        if self.point == f"raise:{name}":
            raise RuntimeError(f"injected failure at {name}")

    def count(self, name: str) -> int:
        self.calls[name] = self.calls.get(name, 0) + 1
        return self.calls[name]


def install(point: str) -> None:
    import warehouse.db as db
    import warehouse.drafts as drafts
    import warehouse.ingest as ingest
    import warehouse.issues as issues
    from warehouse.clustering import Clusterer

    faults = Faults(point)
    ingest.LOAD_BATCH_LINES = LOAD_BATCH_LINES
    ingest.ANALYZE_BATCH = ANALYZE_BATCH

    class Connection:
        """The DuckDB connection, with COMMIT and close() watched."""

        def __init__(self, con):
            self._con = con

        def __getattr__(self, name):
            return getattr(self._con, name)

        def execute(self, sql, *args):
            if sql == "COMMIT" and faults.stage == "build_issues":
                faults.hit("commit")
                result = self._con.execute(sql, *args)
                faults.hit("checkpoint")
                return result
            if sql == "COMMIT":
                faults.hit(f"{faults.stage}-commit:{faults.calls.get(faults.stage, 0)}")
            return self._con.execute(sql, *args)

        def close(self):
            if faults.point == "in-checkpoint" and faults.stage == "build_issues":
                delay = (os.getpid() % 31) / 1000  # 0-30 ms, varies between runs
                threading.Thread(target=lambda: (time.sleep(delay), die()), daemon=True).start()
            return self._con.close()

    real_open = db._open
    db._open = lambda *a, **kw: Connection(real_open(*a, **kw))

    def staged(name: str, function):
        def wrapper(*args, **kwargs):
            faults.stage = name
            faults.hit(f"{name}:{faults.count(name)}")
            return function(*args, **kwargs)

        return wrapper

    ingest._load_batch = staged("load", ingest._load_batch)
    ingest._store_analysis = staged("analyze", ingest._store_analysis)

    real_build = issues.build_issues

    def build_issues(*args, **kwargs):
        faults.stage = "build_issues"
        return real_build(*args, **kwargs)

    issues.build_issues = build_issues  # ingest_lines imports it at call time

    real_link_copies = issues.link_copies

    def link_copies(con):
        changed = real_link_copies(con)
        faults.hit("dedupe")
        return changed

    issues.link_copies = link_copies

    real_assign = Clusterer.assign

    def assign(self, *args, **kwargs):
        if faults.count("assign") == 3:
            faults.hit("cluster")
        return real_assign(self, *args, **kwargs)

    Clusterer.assign = assign

    real_followers = issues._link_followers

    def link_followers(con):
        linked = real_followers(con)
        faults.hit("links")
        return linked

    issues._link_followers = link_followers

    real_drafts = drafts.refresh_drafts

    def refresh_drafts(*args, **kwargs):
        counts = real_drafts(*args, **kwargs)
        faults.hit("drafts")
        return counts

    drafts.refresh_drafts = refresh_drafts


def main(argv: list[str]) -> int:
    point, *command = argv
    known = set(POINTS) | {f"raise:{name}" for name in ("cluster", "dedupe", "links", "drafts")}
    if point not in known:
        raise SystemExit(f"unknown point {point!r}; known: {', '.join(sorted(known))}")
    install(point)
    import siaga

    return siaga.main(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
