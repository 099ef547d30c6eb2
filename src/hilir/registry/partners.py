"""Trade partners and reporters: names and codes to ISO 3166 codes and a partner type.

Every trade source names countries its own way: UN Comtrade ("Rep. of Korea", "China, Hong Kong
SAR", "USA"), BPS downloads in Indonesian ("Korea Selatan", "Philipina", "Inggris", "Hongkong")
or in upper-case English ("SOLOMON ISLANDS"), BPS English tables ("Korea. Republic Of",
"Malaysia " with a trailing space), USDA PSD ("Korea, South", "Congo (Kinshasa)", "Burma") and ICO
tables ("Belgium/Luxembourg"). :func:`resolve_partner` turns any of them into a code and a
partner type, from three sources, in this order:

1. the alias table ``hilir/refdata/partner_aliases.csv`` (columns ``alias, code, partner_type,
   language, note``; each row says where the spelling was seen);
2. ISO 3166-1 in English (pycountry: name, official name, common name, alpha-3 and alpha-2
   codes; the part before a comma when it is unique, so "Taiwan, Province of China" also
   answers to "Taiwan") and a few withdrawn codes Comtrade still uses (``ANT``, ``SCG``...);
3. the Indonesian translation of ISO 3166-1 shipped with pycountry (gettext domain
   ``iso3166-1``, language ``id``: "Jepang", "Belanda", "Amerika Serikat").

Names are compared after folding case and accents and turning punctuation into spaces, so
"Korea. Republic Of" matches "Korea, Republic of" and "CÃ´te d'Ivoire" (text decoded twice)
matches "Côte d'Ivoire".

Partner types (:data:`hilir.schema.tables.PARTNER_TYPES`):

``world``
    The world total, code ``WLD`` ("World", "Dunia", Comtrade Plus ``W00``).
``country``
    An ISO 3166-1 alpha-3 code (plus withdrawn codes such as ``ANT`` for old files, and
    ``BLX``, Belgium-Luxembourg, UN Comtrade's code for the two reported together before
    1999, as ICO's tables still do).
``residual``
    A row that collects partners not listed separately. ISO 3166 leaves alpha-3 codes
    ``XAA``-``XZZ`` to users; hilir uses:

    ======  ==================================================================================
    code    meaning (examples of labels)
    ======  ==================================================================================
    XOA     Other Asia, not elsewhere specified (Comtrade 490, in practice mostly Taiwan;
            "Asia lain", "Asia lainnya")
    XOT     Others / unspecified ("Others", "Lainnya", "Negara lainnya", "Rest of the world")
    XAN     Areas, not elsewhere specified (Comtrade 899)
    XOE     Other Europe, nes (Comtrade 568; "Europe EFTA, nes", "EU, nes")
    XOF     Other Africa, nes (Comtrade 577; "Northern Africa, nes")
    XOM     Other America, nes ("North America and Central America, nes", "LAIA, nes",
            "Caribbean, nes", "CACM, nes", "Rest of America, nes")
    XOO     Oceania, nes (Comtrade 527)
    XOW     Western Asia, nes (Comtrade 879)
    XBU     Bunkers (Comtrade 837)
    XFZ     Free zones (Comtrade 838)
    XSC     Special categories (Comtrade 839)
    ======  ==================================================================================
``aggregate``
    A group of countries that are also listed one by one, so adding it would count them twice:
    ``EU2`` (EU-28, UN Comtrade's legacy code, kept as the code so a Comtrade reporter
    ``EU2`` stays ``EU2``), ``EUN`` (European Union in the composition of the data year;
    EU-27; the code WITS uses), ``ASEAN``. World-share code must drop reporters and partners
    whose type is ``aggregate`` (see :func:`partner_type_of`).

A name that none of these know raises :class:`~hilir.errors.HilirDataError`; add the spelling
to the alias table (with a note saying where it was seen) rather than renaming the source file.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike

import pandas as pd
import pycountry

from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label

#: Code of the world total.
WORLD = "WLD"

#: The types a partner can have (same order as :data:`hilir.schema.tables.PARTNER_TYPES`).
PARTNER_TYPES = ("world", "country", "residual", "aggregate")

#: UN Comtrade (and CEPII BACI) numeric country codes that differ from ISO 3166-1 numeric:
#: Comtrade codes a few countries with their customs territory (France with Monaco 251, Italy
#: 381, Norway with Svalbard 579, India 699, Switzerland with Liechtenstein 757, USA with
#: Puerto Rico and the US Virgin Islands 842), and "Other Asia, nes" as 490.
COMTRADE_NUMERIC: dict[int, str] = {
    0: "WLD",
    251: "FRA",
    381: "ITA",
    490: "XOA",
    579: "NOR",
    699: "IND",
    757: "CHE",
    842: "USA",
    97: "EU2",
    899: "XAN",
    837: "XBU",
    838: "XFZ",
    839: "XSC",
}

#: Withdrawn ISO 3166 codes that UN Comtrade still uses for old years.
_HISTORIC = ("ANT", "SCG", "YUG", "SUN", "CSK", "DDR")

_ALIAS_FILE = "partner_aliases.csv"
_CODE = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def normalise_name(text: object) -> str:
    """Fold a country name for comparison: no accents, lower case, punctuation as spaces.

    Examples
    --------
    >>> normalise_name("Korea. Republic Of")
    'korea republic of'
    >>> normalise_name("Côte d'Ivoire")
    'cote d ivoire'
    """
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _unmojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Windows-1252 ("CÃ´te" -> "Côte"), when that is what it is."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@dataclass(frozen=True)
class _Index:
    codes: Mapping[str, tuple[str, str]]  # exact code -> (code, type)
    names: Mapping[str, tuple[str, str]]  # folded name -> (code, type)
    ambiguous: frozenset[str]  # folded names that point to two countries
    types: Mapping[str, str]  # code -> type for every code the index knows


def _read_alias_table() -> list[dict[str, str]]:
    records = read_refdata(_ALIAS_FILE).to_dict("records")
    lines = [int(rec.pop("_row")) for rec in records]
    rows: list[dict[str, str]] = records  # type: ignore[assignment]
    where = refdata_label(_ALIAS_FILE)
    seen: dict[str, tuple[str, int]] = {}
    for line, row in zip(lines, rows, strict=True):
        alias, code, ptype = (row.get(k, "") or "" for k in ("alias", "code", "partner_type"))
        if not alias.strip():
            raise HilirDataError("alias is empty", path=where, row=line, column="alias")
        if ptype not in PARTNER_TYPES:
            raise HilirDataError(
                f"partner_type {ptype!r} is not one of {PARTNER_TYPES}",
                path=where,
                row=line,
                column="partner_type",
            )
        if ptype == "world" and code != WORLD:
            raise HilirDataError(
                "world rows must have code WLD", path=where, row=line, column="code"
            )
        if ptype == "residual" and not re.fullmatch(r"X[A-Z]{2}", code):
            raise HilirDataError(
                f"residual code {code!r} must be in ISO's user range XAA-XZZ",
                path=where,
                row=line,
                column="code",
            )
        if ptype == "country" and not _CODE.fullmatch(code):
            raise HilirDataError(
                f"country code {code!r} is not an alpha-3 code", path=where, row=line, column="code"
            )
        iso = pycountry.countries.get(alpha_3=alias.strip()) is not None
        if iso and (alias.strip() != code or ptype != "country"):
            # resolve_partner reads an ISO alpha-3 code as that country without this table
            raise HilirDataError(
                f"alias {alias!r} is an ISO 3166-1 code; it stands for that country only",
                path=where,
                row=line,
                column="alias",
            )
        key = normalise_name(alias)
        if key in seen and seen[key][0] != code:
            raise HilirDataError(
                f"alias {alias!r} already maps to {seen[key][0]} on row {seen[key][1]}",
                path=where,
                row=line,
                column="alias",
            )
        seen[key] = (code, line)
    return rows


@functools.cache
def _index() -> _Index:
    codes: dict[str, tuple[str, str]] = {}
    types: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    ambiguous: set[str] = set()

    def add_layer(layer: dict[str, set[str]], ptype_of: Mapping[str, str]) -> None:
        for key, found in layer.items():
            if not key or key in names or key in ambiguous:
                continue
            if len(found) > 1:
                ambiguous.add(key)
                continue
            code = next(iter(found))
            names[key] = (code, ptype_of.get(code, "country"))

    # 1. alias table (highest priority)
    alias_rows = _read_alias_table()
    for row in alias_rows:
        code, ptype = row["code"], row["partner_type"]
        types.setdefault(code, ptype)
        names[normalise_name(row["alias"])] = (code, ptype)
        if row["alias"].strip() == code or row.get("language") == "code":
            codes[row["alias"].strip()] = (code, ptype)

    # 2. ISO 3166-1 in English, 3. in Indonesian, then the part before a comma.
    try:
        indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
        to_id = indonesian.gettext
    except OSError:  # pragma: no cover - pycountry always ships the catalogue
        to_id = None
    english: dict[str, set[str]] = {}
    translated: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}
    for country in pycountry.countries:
        a3 = country.alpha_3
        codes.setdefault(a3, (a3, "country"))
        codes.setdefault(country.alpha_2, (a3, "country"))
        types.setdefault(a3, "country")
        labels = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        for label in filter(None, labels):
            english.setdefault(normalise_name(label), set()).add(a3)
            if "," in label:
                prefixes.setdefault(normalise_name(label.split(",")[0]), set()).add(a3)
            if to_id is not None:
                local = to_id(label)
                translated.setdefault(normalise_name(local), set()).add(a3)
                if "," in local:
                    prefixes.setdefault(normalise_name(local.split(",")[0]), set()).add(a3)
        english.setdefault(normalise_name(a3), set()).add(a3)
    for a3 in _HISTORIC:
        old = pycountry.historic_countries.get(alpha_3=a3)
        if old is None:  # pragma: no cover - depends on the pycountry release
            continue
        codes.setdefault(a3, (a3, "country"))
        types.setdefault(a3, "country")
        english.setdefault(normalise_name(old.name), set()).add(a3)
        prefixes.setdefault(normalise_name(old.name.split(",")[0]), set()).add(a3)
    add_layer(english, types)
    add_layer(translated, types)
    add_layer(prefixes, types)
    return _Index(codes=codes, names=names, ambiguous=frozenset(ambiguous), types=types)


def resolve_partner(name_or_code: str) -> tuple[str, str]:
    """Code and partner type of a partner or reporter as written in a source file.

    Parameters
    ----------
    name_or_code : str
        An ISO 3166-1 alpha-3 code (``"IDN"``), a code from the alias table (``"WLD"``,
        ``"EU2"``, ``"XOA"``), or a name in English or Indonesian in any of the spellings the
        module docstring lists.

    Returns
    -------
    tuple of (str, str)
        ``(code, partner_type)``, with partner_type one of ``world``, ``country``,
        ``residual``, ``aggregate``.

    Raises
    ------
    HilirDataError
        If the name is empty, unknown, or could mean two countries.

    Examples
    --------
    >>> resolve_partner("Korea Selatan")
    ('KOR', 'country')
    >>> resolve_partner("Other Asia, nes")
    ('XOA', 'residual')
    >>> resolve_partner("EU-28")
    ('EU2', 'aggregate')
    """
    if name_or_code is None or (not isinstance(name_or_code, str) and pd.isna(name_or_code)):
        raise HilirDataError("partner name is missing")
    text = _unmojibake(str(name_or_code)).strip()
    if not text:
        raise HilirDataError("partner name is missing")
    if len(text) == 3 and text.isalpha() and text.isupper():
        if pycountry.countries.get(alpha_3=text) is not None:  # without building the index
            return (text, "country")
    index = _index()
    if text in index.codes and (len(text) == 3 or text.isupper()):
        return index.codes[text]
    key = normalise_name(text)
    if key in index.names:
        return index.names[key]
    user = user_partner_aliases()
    if key in user:
        return user[key]
    if key in index.ambiguous:
        raise HilirDataError(
            f"partner {text!r} could mean more than one country; use its ISO alpha-3 code"
        )
    raise HilirDataError(
        f"unknown partner {text!r}: not an ISO 3166 name or code in English or Indonesian, "
        f"nor a known spelling; add it to the data folder's user/{USER_ALIAS_FILE} "
        "(columns alias,code; code an ISO alpha-3 code such as CZE)"
    )


#: The user's own partner spellings, in the user data folder (``alias,code[,partner_type]``).
USER_ALIAS_FILE = "partner_aliases.csv"


def user_partner_aliases() -> dict[str, tuple[str, str]]:
    """The user's spellings (normalised) -> ``(code, partner_type)``; empty without a file.

    Raises
    ------
    HilirDataError
        A row whose code is not an alpha-3 code or whose type is unknown (file, row, column).
    """
    from hilir.paths import user_dir

    path = user_dir() / USER_ALIAS_FILE
    if not path.is_file():
        return {}
    stat = path.stat()
    return _user_aliases(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _user_aliases(path: str, mtime_ns: int, size: int) -> dict[str, tuple[str, str]]:
    from hilir.fileio import read_csv

    out: dict[str, tuple[str, str]] = {}
    for _, row in read_csv(path).iterrows():
        code = str(row.get("code", "")).strip().upper()
        ptype = str(row.get("partner_type", "") or "country").strip() or "country"
        if ptype not in PARTNER_TYPES:
            raise HilirDataError(
                f"partner_type {ptype!r} is not one of {PARTNER_TYPES}",
                path=path,
                row=int(row["_row"]),
                column="partner_type",
            )
        if not _CODE.fullmatch(code) and ptype == "country":
            raise HilirDataError(
                f"country code {code!r} is not an alpha-3 code",
                path=path,
                row=int(row["_row"]),
                column="code",
            )
        out[normalise_name(str(row.get("alias", "")))] = (code, ptype)
    return out


def resolve_partners(
    series: pd.Series,
    *,
    path: str | PathLike[str] | None = None,
    rows: pd.Series | None = None,
    column: str | None = None,
) -> pd.DataFrame:
    """Resolve a column of partner names or codes (see :func:`resolve_partner`).

    Each distinct spelling is resolved once.

    Parameters
    ----------
    series : pandas.Series
        Names or codes as read.
    path : str or os.PathLike, optional
        The source file, for error messages.
    rows : pandas.Series, optional
        1-based line number of each element (same index as ``series``).
    column : str, optional
        Column name as written in the file; defaults to ``series.name``.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` and ``partner_type`` (string), same index as ``series``.

    Raises
    ------
    HilirDataError
        At the first unknown name, naming its line and column.
    """
    col = column if column is not None else (str(series.name) if series.name is not None else None)
    resolved: dict[str, tuple[str, str]] = {}
    for pos, value in enumerate(series.to_numpy()):
        key = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        if key in resolved:
            continue
        try:
            resolved[key] = resolve_partner(key)
        except HilirDataError as exc:
            row = int(rows.iloc[pos]) if rows is not None else None
            raise HilirDataError(exc.reason, path=path, row=row, column=col) from exc
    keys = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in series]
    return pd.DataFrame(
        {
            "code": pd.array([resolved[k][0] for k in keys], dtype="string"),
            "partner_type": pd.array([resolved[k][1] for k in keys], dtype="string"),
        },
        index=series.index,
    )


def partner_type_of(code: str) -> str:
    """Partner type of a code that hilir produced (``"IDN"`` -> ``"country"``).

    Use it on reporter codes too: Comtrade's reporter ``EU2`` (EU-28) is an ``aggregate`` and
    must be left out of world totals that already contain its members.

    Raises
    ------
    HilirDataError
        If the code is not one hilir knows.
    """
    index = _index()
    text = str(code).strip()
    if text in index.types:
        return index.types[text]
    if _SUBDIVISION.fullmatch(text) or text.startswith("ID-"):
        return "country"
    raise HilirDataError(f"unknown partner code {code!r}")


def resolve_reporter(name_or_code: str) -> str:
    """Code of a reporter: like :func:`resolve_partner`, and ISO 3166-2 codes such as ``ID-LA``.

    Returns
    -------
    str
        ISO alpha-3 code, an ISO 3166-2 subdivision code (``"ID-LA"`` for Lampung), or an
        aggregate/residual code from the alias table.

    Raises
    ------
    HilirDataError
        If the reporter is unknown, or is the world.
    """
    text = str(name_or_code).strip()
    if _SUBDIVISION.fullmatch(text):
        if pycountry.subdivisions.get(code=text) is None:
            raise HilirDataError(f"unknown ISO 3166-2 subdivision code {text!r}")
        return text
    code, ptype = resolve_partner(text)
    if ptype == "world":
        raise HilirDataError(f"reporter {text!r} is the world, not a reporter")
    return code


def resolve_numeric(code: object) -> tuple[str, str]:
    """Code and type of a numeric country code as used by UN Comtrade and CEPII BACI.

    Parameters
    ----------
    code : int or str
        ISO 3166-1 numeric code, or one of the Comtrade variants in :data:`COMTRADE_NUMERIC`
        (842 USA, 251 France, 699 India, 490 Other Asia nes ...).

    Returns
    -------
    tuple of (str, str)
        ``(code, partner_type)``.

    Raises
    ------
    HilirDataError
        If the code is not a whole number or not known.
    """
    try:
        number = int(str(code).strip())
    except ValueError:
        raise HilirDataError(f"country code {code!r} is not a number") from None
    if number in COMTRADE_NUMERIC:
        return resolve_partner(COMTRADE_NUMERIC[number])
    country = pycountry.countries.get(numeric=f"{number:03d}")
    if country is None:
        raise HilirDataError(
            f"numeric country code {number} is neither ISO 3166-1 nor a known UN Comtrade code "
            "(pass the source's own country-code table)"
        )
    return country.alpha_3, "country"


def numeric_codes(code: str) -> frozenset[int]:
    """Every numeric code that :func:`resolve_numeric` reads as ``code``.

    Parameters
    ----------
    code : str
        An ISO 3166-1 alpha-3 code, or a code of :data:`COMTRADE_NUMERIC` (``"XOA"``).

    Returns
    -------
    frozenset of int
        Its ISO 3166-1 numeric code and its UN Comtrade variants (``"FRA"`` -> {250, 251});
        empty for a code no numeric code stands for.

    Examples
    --------
    >>> sorted(numeric_codes("USA"))
    [840, 842]
    """
    out = {number for number, alpha in COMTRADE_NUMERIC.items() if alpha == code}
    country = pycountry.countries.get(alpha_3=code)
    if country is not None and int(country.numeric) not in COMTRADE_NUMERIC:
        out.add(int(country.numeric))
    return frozenset(out)
