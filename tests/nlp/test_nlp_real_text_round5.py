"""Round 5 of issue 11 (real Kutim text): classes of place and classification error found on real news
about Kutim's kecamatan, checked with the team's own sentences."""

from nlp import analyze_records
from nlp.places import resolve


def where(text: str) -> tuple[bool, str | None, str | None]:
    result = resolve(text)
    return result.in_kutim, result.kecamatan_code, result.desa_code


def analyse(text: str) -> dict:
    [result] = analyze_records([{"id": "t", "text": text}])
    return result


# --- places -----------------------------------------------------------------------------------------------
def test_towns_in_a_road_name_are_route_points_not_the_place():
    # the flood is in Teluk Pandan (a name other regencies share); Bontang and Samarinda only name the road
    assert where("Air naik lagi di Teluk Pandan, km 6 jalan poros Bontang-Samarinda tergenang") == (
        True,
        "64.08.13",
        None,
    )
    # a road named after outside towns with no Kutim place stays outside
    assert where("jalan poros Samarinda-Bontang berlubang di depan pom bensin")[0] is False


def test_a_misspelt_village_found_only_in_the_national_list_does_not_veto_a_named_kutim_kecamatan():
    # "Pengadang" is a village name elsewhere in Indonesia (and a slip for Pengadan); the camat names Karangan
    text = "Lampu belum menyala di Desa Pengadang dan RT 4, keluh Camat Karangan kemarin."
    assert where(text)[:2] == (True, "64.08.16")


def test_an_outside_place_with_a_code_still_vetoes_a_shared_name():
    # Teluk Pandan is also a kecamatan in Lampung: with Pesawaran named, it is not Kutim
    assert where("Banjir di Teluk Pandan, Kabupaten Pesawaran, rendam puluhan rumah")[0] is False
