import pytest

from nlp import routing
from nlp.routing import RoutingConfigError, parse
from tests.nlp.helpers import analyse


def test_national_road_goes_to_bpjn():
    result = analyse("jalan poros sangatta-bontang km 40 berlubang parah, banyak motor jatuh")
    assert result["category"] == "jalan_jembatan"
    assert "BPJN" in result["opd"]


def test_village_road_goes_to_the_regency_public_works():
    result = analyse("jalan desa di Desa Sepaso rusak parah dan berlubang")
    assert result["opd"].startswith("Dinas Pekerjaan Umum")


def test_senior_high_school_goes_to_the_province_and_primary_school_to_the_regency():
    assert "Provinsi" in analyse("atap ruang kelas SMA negeri di Bengalon bocor, siswa belajar basah")["opd"]
    assert "Kabupaten" in analyse("atap ruang kelas SD di Bengalon bocor, siswa belajar basah")["opd"]


def test_crime_goes_to_the_police_and_street_lights_to_the_regency():
    assert "Polres" in analyse("marak pencurian motor di Teluk Lingga, warga resah")["opd"]
    assert "Disperkim" in analyse("lampu jalan mati semua di Swarga Bara, gelap rawan begal")["opd"]


def test_flood_emergency_goes_to_bpbd():
    result = analyse("banjir merendam rumah warga di Desa Sangkima, warga mengungsi, butuh evakuasi")
    assert result["is_emergency"] is True
    assert "BPBD" in result["opd"]


def test_routing_file_must_cover_every_category():
    data = {"categories": {"banjir": {"default": "BPBD"}}}
    with pytest.raises(RoutingConfigError, match="without a routing"):
        parse(data)


def test_routing_rule_needs_a_condition_and_an_opd():
    table = routing.load()
    categories = {c: {"default": table.defaults[c]} for c in table.defaults}
    categories["banjir"]["rules"] = [{"opd": "X"}]
    with pytest.raises(RoutingConfigError, match="needs keywords, landmarks or emergency"):
        parse({"categories": categories})
