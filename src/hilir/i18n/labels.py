"""Names of geographies, markets, products and chains in Bahasa Indonesia and English.

The one home of such labels: models and charts both import them from here.

Country names come from ISO 3166-1 as shipped with pycountry (English common names; the
Indonesian translation of its ``iso3166-1`` catalogue), with the message catalogue
(``hilir/i18n/messages.csv``, keys ``partner.<code>``) taking precedence: residual codes
(``XOA`` "Other Asia, nes", ``XOT`` "Others", ``XUN`` the unallocated part of a total) and
the names BPS uses where they differ from the ISO translation (``Tiongkok``, ``Inggris``).
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable
from typing import Any

import pycountry

from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, has, t

#: Indicator keys, in order, and their columns in the indicator table.
INDICATORS: dict[str, str] = {
    "export_value": "export_value_usd",
    "growth": "growth_cagr",
    "processing_share": "processing_share",
    "uplift": "uplift",
    "jobs": "jobs_per_musd",
}

#: The caveat every port result carries (shown as a chart note and in briefs).
PORT_CAVEAT = {
    "id": (
        "Ekspor menurut pelabuhan muat mencakup barang dari provinsi lain yang dikapalkan di "
        "pelabuhan itu (mis. kopi Bengkulu dan Sumatera Selatan lewat Panjang; AEKI Lampung "
        "via Bisnis Indonesia 2010), jadi bukan produksi atau ekspor asal provinsi"
    ),
    "en": (
        "Exports by port of loading include goods from other provinces shipped through the "
        "port (e.g. Bengkulu and South Sumatra coffee through Panjang; AEKI Lampung via "
        "Bisnis Indonesia 2010), so they are not a province's production or exports by origin"
    ),
}


@functools.cache
def _indonesian() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
    except OSError:  # pragma: no cover - pycountry ships the catalogue
        return gettext.NullTranslations()


def geography_label(code: str, lang: str = "id") -> str:
    """Name of a geography in ``lang`` (``Lampung``, ``Indonesia``, ``pasar dunia``).

    From the catalogue keys ``geo.<code>`` (``IDN``, ``ID-LA``, ``WORLD``).

    Raises
    ------
    HilirDataError
        An unknown code or language.
    """
    return t(f"geo.{code}", lang)


def partner_label(code: str, lang: str = "id") -> str:
    """Name of a market (partner or reporter code) in ``lang``.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-3 code, a residual or aggregate code (``XOA``, ``XOT``, ``XUN``,
        ``EU2``), ``WLD``, or an ISO 3166-2 province code (``ID-LA``).
    lang : {"id", "en"}, default "id"

    Returns
    -------
    str
        ``"Jepang"`` / ``"Japan"``; the part of an ISO name before a comma
        (``"Korea, Republic of"`` has the common name ``"South Korea"``).

    Raises
    ------
    HilirDataError
        For a code that is neither in the catalogue nor in ISO 3166.

    Examples
    --------
    >>> partner_label("JPN", "id"), partner_label("KOR", "en"), partner_label("XOT", "id")
    ('Jepang', 'South Korea', 'Lainnya')
    """
    check_lang(lang)
    text = str(code).strip()
    if has(f"partner.{text}"):
        return t(f"partner.{text}", lang)
    if has(f"geo.{text}"):
        return t(f"geo.{text}", lang)
    if len(text) > 3 and text[2:3] == "-":
        lookup: Callable[..., Any] = pycountry.subdivisions.get  # untyped in pycountry
        sub = lookup(code=text)
        if sub is not None:
            return str(sub.name)
    country = pycountry.countries.get(alpha_3=text) if len(text) == 3 else None
    if country is None:
        raise HilirDataError(f"no name for market code {code!r}")
    name = getattr(country, "common_name", None) or country.name
    if lang == "id":
        name = _indonesian().gettext(name)
    return name.split(",")[0].strip()


def item_label(key: str, lang: str = "id") -> str:
    """Name of a market, product or chain key.

    Looks in the message catalogue (products, chains), then the market names; a key known
    to neither (a product added through your own registry rows) is shown with spaces for
    underscores (``shrimp_frozen`` -> ``shrimp frozen``).
    """
    for family in ("product", "chain"):
        if has(f"{family}.{key}"):
            return t(f"{family}.{key}", lang)
    try:
        return partner_label(key, lang)
    except HilirDataError:
        return str(key).replace("_", " ")


def scope_label(scope: str, lang: str = "id") -> str:
    """Name of a ``+``-joined list of product or chain keys (``coffee_green+coal``)."""
    parts = [p for p in str(scope).split("+") if p]
    if not parts:
        return ""
    names = [item_label(p, lang) for p in parts]
    if len(names) == 1:
        return names[0]
    joiner = " dan " if lang == "id" else " and "
    return ", ".join(names[:-1]) + joiner + names[-1]


_MODEL = re.compile(
    r"^(?P<spec>random walk|ETS\([A-Za-z,]+\)|ARIMA\(\d+, \d+, \d+\))"
    r"(?: with (?P<term>drift|constant))?(?: on (?P<scale>log|level) scale)?$"
)


def forecast_model_label(model: str, lang: str = "id") -> str:
    """The forecast model's description (``ForecastResult.model``) in ``lang``.

    Parameters
    ----------
    model : str
        As :func:`hilir.policy.forecast` writes it: ``random walk on log scale``,
        ``ETS(A,N,N) on log scale``, ``ARIMA(0, 1, 1) with drift on level scale`` (the
        scale may be left out: ``ETS(A,A,N)``).
    lang : {"id", "en"}, default "id"

    Returns
    -------
    str
        Model codes (ETS, ARIMA) as they are; the words from the catalogue
        (``forecast.model.*``, ``forecast.scale.*``).

    Raises
    ------
    HilirDataError
        For a description of another form (no silent English in the id edition).

    Examples
    --------
    >>> forecast_model_label("random walk on log scale", "id")
    'jalan acak pada skala logaritmik'
    >>> forecast_model_label("ARIMA(0, 1, 1) with drift on log scale", "id")
    'ARIMA(0, 1, 1) dengan drift pada skala logaritmik'
    """
    check_lang(lang)
    match = _MODEL.match(str(model).strip())
    if match is None:
        raise HilirDataError(f"unknown forecast model description {model!r}")
    spec = match["spec"]
    if spec == "random walk":
        spec = t("forecast.model.random_walk", lang)
    if match["term"]:
        spec = f"{spec} {t('forecast.model.with_' + match['term'], lang)}"
    if not match["scale"]:
        return spec
    scale = t(f"forecast.scale.{match['scale']}", lang)
    return t("forecast.model.on_scale", lang, model=spec, scale=scale)


def forecast_method_label(method: str, lang: str = "id") -> str:
    """Name of a forecast method code (``naive``, ``ets``, ``arima``) in ``lang``.

    ``NAIVE`` / ``jalan acak``; ETS and ARIMA keep their codes in both languages.

    Raises
    ------
    HilirDataError
        For a method with no ``forecast.method.<code>`` row.
    """
    return t(f"forecast.method.{str(method).strip().lower()}", lang)


def cell_label(family: str, code: str, lang: str = "id") -> str:
    """A code's label as a table cell starts: capitalised (``Kopi``, ``Natural rubber``).

    Sentences use the lower-case label (:func:`hilir.i18n.label`); this is the one rule for
    a name standing alone in a table (chains, crops). A code with no label is shown as is.

    Examples
    --------
    >>> cell_label("chain", "rubber", "en"), cell_label("chain", "palm_oil", "id")
    ('Natural rubber', 'Kelapa sawit')
    """
    key = f"{family}.{code}"
    text = t(key, lang) if has(key) else code
    return text[:1].upper() + text[1:]
