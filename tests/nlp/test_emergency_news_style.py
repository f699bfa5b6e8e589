"""Round 9 of issue 11: news-style and chat-style texts about a hazard. Reported as finished or only counted (a
year's figures, water gone, a fire out, a repair or an emergency status ended) with nobody asking for anything,
they are news, not complaints; the aftermath, a hazard with every rain and a loss still to be helped stay
complaints; ground moving under homes now is an emergency. Sentences written by the team (none from a real set)."""

import json

import pytest

from tests.nlp.helpers import analyse
from tools import datagen


# --- finished or counted, nobody asking: news, not a complaint --------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Data Damkar: selama 2025 tercatat 64 kebakaran rumah di Sangatta Utara, naik dari tahun sebelumnya.",
        "air di rumah kami udah surut total, tinggal ngepel lumpur aja",
        "Api di bengkel Jalan Yos Sudarso sudah padam setelah satu jam, petugas memastikan tidak ada yang terluka.",
        "alhamdulillah api udah padam total, makasih banyak pak damkar",
        "Dinas PUPR menyelesaikan perbaikan jembatan kayu di Desa Kaubun yang sempat putus diterjang arus.",
        "Status tanggap darurat banjir di Kecamatan Bengalon resmi dicabut karena tanggap darurat berakhir, "
        "warga sudah kembali ke rumah.",
        "Sepanjang 2026 BPBD Kutim mencatat 31 kejadian tanah longsor, sebagian besar di jalan poros Muara Wahau.",
        "Jumlah kasus kebakaran lahan di Kutim turun tajam dibandingkan tahun lalu, menurut data Manggala Agni.",
    ],
)
def test_a_hazard_reported_as_finished_or_counted_is_no_complaint(text):
    result = analyse(text)
    assert not result["is_complaint"], text
    assert not result["is_emergency"], text


# --- the aftermath, a loss still to help, figures beside a demand: still complaints, not emergencies -------------
@pytest.mark.parametrize(
    "text",
    [
        "Setelah banjir surut, sumur warga Desa Sepaso tercemar lumpur dan sampai sekarang belum ada air bersih.",
        "Sepanjang 2025 jalan poros Kaliorang sudah tiga kali longsor dan sampai sekarang belum diperbaiki, "
        "warga minta perhatian Dinas PUPR.",
        "apinya udah padam tapi rumah kami habis semua, tolong bantuan buat anak2",
        "Pascabanjir, banyak warga Rantau Pulung terserang diare dan puskesmas kehabisan obat.",
    ],
)
def test_what_is_left_after_a_hazard_stays_a_complaint(text):
    result = analyse(text)
    assert result["is_complaint"], text
    assert not result["is_emergency"], text


# --- ground moving under homes now ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Tanah bergerak di belakang rumah warga RT 07 Sangatta Utara sejak subuh, dinding mulai retak, "
        "warga minta segera dievakuasi.",
        "tanah bergerak terus di kebun belakang, rumah tetangga udah miring, tolong BPBD cek sekarang",
    ],
)
def test_ground_moving_under_homes_now_is_an_emergency(text):
    result = analyse(text)
    assert result["is_complaint"], text
    assert result["is_emergency"], text


def test_the_news_style_dev_set_is_written_from_both_halves_and_never_trained_on():
    records = datagen.generate_round9()
    pools = len(datagen.NEWS_ACUTE_NOW) + len(datagen.NEWS_OVER_OR_PLANNED)
    assert len(records) == pools * datagen.ROUND9_VARIANTS
    assert records == datagen.generate_round9()  # deterministic
    shipped = datagen.DATA_DIR / datagen.DEV_NEWS_STYLE
    assert [json.loads(line) for line in shipped.read_text(encoding="utf-8").splitlines()] == records
    train_texts = {
        json.loads(line)["text"] for line in (datagen.DATA_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert not train_texts & {record["text"] for record in records}
    assert {record["is_emergency"] for record in records} == {True, False}
