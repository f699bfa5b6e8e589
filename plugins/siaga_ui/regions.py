"""The official Kutim region list, shaped for the location picker and the map."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def region_index() -> dict[str, str]:
    """Region code to the display name stored in drafts.lokasi ("Desa X, Kec. Y" / "Kec. Y")."""
    from nlp.regions import all_regions

    regions = list(all_regions())
    kecamatan = {r.code: r.name for r in regions if r.level == "kecamatan"}
    index = {}
    for r in regions:
        if r.level == "kabupaten":
            index[r.code] = "Kabupaten Kutai Timur"
        elif r.level == "kecamatan":
            index[r.code] = f"Kec. {r.name}"
        else:
            index[r.code] = f"{r.name}, Kec. {kecamatan.get(r.parent, '?')}"
    return index


@lru_cache(maxsize=1)
def location_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """For the picker: per kecamatan, the kecamatan itself then its desa, alphabetical."""
    from nlp.regions import all_regions

    regions = list(all_regions())
    groups = []
    for kec in sorted((r for r in regions if r.level == "kecamatan"), key=lambda r: r.name):
        desa = sorted((r for r in regions if r.parent == kec.code), key=lambda r: r.name)
        options = [(kec.code, f"Kec. {kec.name} (seluruh kecamatan)")] + [(d.code, d.name) for d in desa]
        groups.append((kec.name, options))
    return groups


@lru_cache(maxsize=1)
def kecamatan_names() -> list[str]:
    from nlp.regions import all_regions

    return sorted(r.name for r in all_regions() if r.level == "kecamatan")


def all_regions() -> list:
    from nlp.regions import all_regions as regions

    return list(regions())
