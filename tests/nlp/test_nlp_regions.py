from lokal import wilayah

from nlp import regions


def test_kutim_has_18_kecamatan_and_141_desa():
    assert len(regions.kecamatan()) == 18
    assert len(regions.villages()) == 141
    assert regions.by_code("64.08").level == "kabupaten"


def test_vendored_names_and_codes_match_lokal_kepmendagri_2025():
    for region in regions.all_regions():
        assert wilayah.get_wilayah(region.code).name.endswith(region.name), region.code


def test_kelurahan_is_a_desa_level_with_its_kind():
    teluk_lingga = regions.by_code("64.08.04.1010")
    assert teluk_lingga.level == "desa" and teluk_lingga.kind == "kelurahan"
    assert regions.kecamatan_of("64.08.04.1010").name == "Sangatta Utara"


def test_kecamatan_of_unknown_or_outside_code_is_none():
    assert regions.kecamatan_of("64.74.01") is None
    assert regions.kecamatan_of("64.08") is None
    assert regions.by_code("99.99") is None


def test_every_desa_has_coordinates_and_a_parent_kecamatan():
    for desa in regions.villages():
        assert desa.lat is not None and desa.lon is not None
        assert regions.by_code(desa.parent).level == "kecamatan"


def test_importing_regions_does_not_import_spacy():
    import subprocess
    import sys

    code = "import sys, nlp.regions; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
