"""Indonesia's 38 provinces: ISO 3166-2 code, BPS code, official name and the spellings in use.

One table, ``hilir/refdata/provinces.csv``, answers "which province is this?" for every
reader: by ISO code (``ID-KR``), BPS code (``21``), official name (``Kepulauan Riau``),
English name (``Riau Islands``) or a spelling BPS and the press use (``Kepri``,
``Kep. Riau``). Names match whole, never in part, so "Kepulauan Riau" is never Riau and
"Sumatera Utara" never Sumatera Selatan. A user adds spellings without editing the package
in ``<data folder>/user/province_aliases.csv`` (columns ``alias,iso``).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label
from hilir.registry.partners import normalise_name

__all__ = [
    "USER_ALIASES",
    "find_province",
    "province_aliases",
    "province_table",
    "resolve_province",
]

_FILE = "provinces.csv"
#: The user's own spellings, in the user data folder (``alias,iso``).
USER_ALIASES = "province_aliases.csv"


@cache
def province_table() -> pd.DataFrame:
    """The 38 provinces: ``iso, bps_code, name, name_en, aliases`` (text cells, ``_row``)."""
    df = read_refdata(_FILE, ["iso", "bps_code", "name", "name_en", "aliases"])
    dup = df[df["iso"].duplicated()]
    if not dup.empty:
        raise HilirDataError(
            f"province {dup['iso'].iloc[0]!r} is listed twice",
            path=refdata_label(_FILE),
            row=int(dup["_row"].iloc[0]),
            column="iso",
        )
    return df


def _user_aliases() -> dict[str, str]:
    from hilir.fileio import read_csv
    from hilir.paths import user_dir

    path = user_dir() / USER_ALIASES
    if not path.is_file():
        return {}
    df = read_csv(path)
    out: dict[str, str] = {}
    known = set(province_table()["iso"])
    for _, row in df.iterrows():
        iso = str(row.get("iso", "")).strip().upper()
        if iso not in known:
            raise HilirDataError(
                f"{iso!r} is not an ISO 3166-2 code of an Indonesian province",
                path=path,
                row=int(row["_row"]),
                column="iso",
            )
        out[normalise_name(row.get("alias", ""))] = iso
    return out


def province_aliases() -> dict[str, str]:
    """Every accepted spelling (normalised) -> ISO code, the user's spellings included.

    Raises
    ------
    HilirDataError
        A spelling that two provinces claim (naming both), or a user alias of an unknown code.
    """
    out: dict[str, str] = {}
    for _, row in province_table().iterrows():
        names = [row["iso"], row["bps_code"], row["name"], row["name_en"]]
        names += [a for a in str(row["aliases"]).split(";")]
        names.append("provinsi " + str(row["name"]))
        for name in names:
            key = normalise_name(name)
            if not key:
                continue
            if out.get(key, row["iso"]) != row["iso"]:
                raise HilirDataError(
                    f"spelling {name!r} names both {out[key]} and {row['iso']}",
                    path=refdata_label(_FILE),
                    row=int(row["_row"]),
                    column="aliases",
                )
            out[key] = str(row["iso"])
    out.update(_user_aliases())
    return out


def resolve_province(text: object) -> str:
    """The ISO 3166-2 code of a province given by code, name or a spelling in use.

    >>> resolve_province("Kep. Riau"), resolve_province("Sumatera Utara"), resolve_province("18")
    ('ID-KR', 'ID-SU', 'ID-LA')

    Raises
    ------
    HilirDataError
        An unknown name (naming the file where a user adds a spelling).
    """
    key = normalise_name(text)
    aliases = province_aliases()
    if key in aliases:
        return aliases[key]
    raise HilirDataError(
        f"unknown province {text!r}: use an ISO 3166-2 code (ID-LA), a BPS code (18) or the "
        f"official name (Lampung); add your own spelling to the data folder's "
        f"user/{USER_ALIASES} (columns alias,iso)"
    )


def find_province(text: str) -> str | None:
    """The one province a title or file name names as whole words, or ``None``.

    A name inside a longer name does not count ("Riau" in "Kepulauan Riau"); names of two
    different provinces, or none, give ``None``. Numeric codes are not looked for (a title's
    numbers are years and table numbers).
    """
    hay = " " + normalise_name(text) + " "
    spans: list[tuple[int, int, str]] = []
    for alias, iso in province_aliases().items():
        if alias.isdigit() or (len(alias) < 4 and alias != "ntb" and alias != "ntt"):
            continue
        for m in re.finditer(r"(?<= )" + re.escape(alias) + r"(?= )", hay):
            spans.append((m.start(), m.end(), iso))
    whole = [
        s
        for s in spans
        if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)
    ]
    found = {iso for _a, _b, iso in whole}
    return found.pop() if len(found) == 1 else None
