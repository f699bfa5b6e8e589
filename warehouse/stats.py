"""TEMP shim (replaced at merge): the warehouse branch provides the real stats."""

from warehouse.db import connect


def stats() -> dict:
    with connect() as con:
        one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        return {"posts": one("SELECT count(*) FROM posts"), "issues": one("SELECT count(*) FROM issues"),
                "drafts": dict(con.execute("SELECT status, count(*) FROM drafts GROUP BY 1").fetchall()),
                "quarantine": one("SELECT count(*) FROM quarantine"),
                "sources": dict(con.execute("SELECT platform, count(*) FROM posts GROUP BY 1").fetchall())}
