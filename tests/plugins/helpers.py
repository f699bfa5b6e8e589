"""Small readers of the test warehouse, so tests check what was really written."""

from __future__ import annotations

from warehouse import connect


def draft_row(draft_id: str) -> dict:
    with connect() as con:
        cur = con.execute("SELECT * FROM drafts WHERE draft_id = ?", [draft_id])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def events(draft_id: str | None = None) -> list[dict]:
    with connect() as con:
        sql = "SELECT draft_id, actor, role, action, detail FROM moderation_events"
        params = []
        if draft_id:
            sql += " WHERE draft_id = ?"
            params.append(draft_id)
        cur = con.execute(sql + " ORDER BY event_id", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def csrf_from(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]
