from extractors.normalize.whatsapp_chat import iter_chat

CHAT = """09/11/26 07.00 - Pesan dan panggilan dienkripsi secara end-to-end.
20/11/26 08.15 - Budi Santoso: Jalan Swarga Bara rusak parah
masih rusak sampai sekarang 😡
[20/11/26 08.16.30] Siti: air mati di Teluk Lingga
20/11/26 08.17 - +62 812-5500-1234: <Media tidak disertakan>
Foto banjir Singa Gembara
31/02/26 10.15 - Budi Santoso: tanggal aneh
20/11/26 08.20 - Siti keluar
20/11/26 08.21 - Budi Santoso: <Media tidak disertakan>
"""


def _results():
    return list(iter_chat(CHAT.splitlines(keepends=True), "Forum Warga"))


def test_exported_chat_joins_continuation_lines_and_skips_system_lines():
    posts = [post for post, _, _ in _results() if post]
    assert [p["text"] for p in posts] == [
        "Jalan Swarga Bara rusak parah\nmasih rusak sampai sekarang 😡",
        "air mati di Teluk Lingga",
        "Foto banjir Singa Gembara",
    ]
    assert posts[0]["created_at"] == "2026-11-20T00:15:00Z"  # 08.15 WITA
    assert posts[1]["created_at"] == "2026-11-20T00:16:30Z"  # iOS form with seconds
    assert posts[0]["source_query"] == "chat:Forum Warga"


def test_phone_number_senders_are_not_stored_in_clear():
    photo = [post for post, _, _ in _results() if post][2]
    assert photo["author_name"] is None and "812" not in photo["author_id"]


def test_bad_lines_are_quarantined_and_the_rest_goes_on():
    errors = [error.reason for _, error, _ in _results() if error]
    assert any("impossible date" in reason for reason in errors)
    assert any("text is empty" in reason for reason in errors)  # media without caption
    assert len([post for post, _, _ in _results() if post]) == 3


def test_importing_the_same_export_twice_gives_the_same_ids():
    first = [post["platform_post_id"] for post, _, _ in _results() if post]
    second = [post["platform_post_id"] for post, _, _ in _results() if post]
    assert first == second and len(set(first)) == 3
