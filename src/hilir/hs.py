"""Harmonized System codes: normalisation, six-digit parents, revisions.

HS codes are text. Spreadsheets and some downloads store them as integers, which loses the
leading zero of chapters 01-09 (coffee ``090111`` becomes ``90111``). Every HS code in hilir
goes through :func:`normalise_hs_code`, which restores that zero (HS codes always have an
even number of digits: 2, 4, 6, 8 or 10) and warns that it did.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel

#: UN Comtrade classification codes and the HS revision each stands for.
COMTRADE_CLASSIFICATIONS: dict[str, str] = {
    "H0": "HS1992",
    "H1": "HS1996",
    "H2": "HS2002",
    "H3": "HS2007",
    "H4": "HS2012",
    "H5": "HS2017",
    "H6": "HS2022",
}

#: First calendar year in which each HS revision was in force (WCO).
REVISION_START_YEAR: dict[str, int] = {
    "HS1992": 1988,
    "HS1996": 1996,
    "HS2002": 2002,
    "HS2007": 2007,
    "HS2012": 2012,
    "HS2017": 2017,
    "HS2022": 2022,
}

REVISIONS: tuple[str, ...] = tuple(REVISION_START_YEAR)

_CLEAN = re.compile(r"[\s.\-']")
_DIGITS = re.compile(r"^\d+$")


def normalise_hs_code(
    code: object, *, length: int | None = None, warn: bool = True
) -> tuple[str, bool]:
    """Return an HS code as a zero-padded digit string.

    Parameters
    ----------
    code : object
        The code as read: ``"0901.11"``, ``"090111"``, ``90111`` (int), ``"90111.0"``.
    length : int, optional
        Expected number of digits (for example 8 for BPS national codes). Codes shorter than
        this are left-padded with zeros up to it; longer codes are an error.
    warn : bool, default True
        Emit :class:`~hilir.errors.HilirDataWarning` when a leading zero is restored.

    Returns
    -------
    tuple of (str, bool)
        The normalised code and whether a leading zero was restored.

    Raises
    ------
    HilirDataError
        If the code is empty, has a sign or characters other than digits and separators, or
        cannot be an HS code (more than 10 digits, longer than ``length``, or chapter ``00``
        after padding, which means the number lost more than one leading digit or is not a
        code at all).

    Notes
    -----
    HS codes have 2, 4, 6, 8 or 10 digits. A code with an odd number of digits has lost its
    leading zero (only chapters 01-09 start with 0), so one ``0`` is prepended.
    """
    if code is None or type(code).__name__ in ("NAType", "NaTType"):
        raise HilirDataError("HS code is missing")
    if isinstance(code, float):
        if code != code or not code.is_integer():  # NaN or fractional
            raise HilirDataError(f"HS code {code!r} is not a whole number")
        text = str(int(code))
    else:
        text = str(code).strip()
        if text.endswith(".0") and _DIGITS.match(text[:-2]):
            text = text[:-2]
    if text[:1] in ("-", "+"):
        raise HilirDataError(f"HS code {code!r} has a sign; codes are not numbers")
    text = _CLEAN.sub("", text)
    if not text or not _DIGITS.match(text):
        raise HilirDataError(f"HS code {code!r} is not made of digits")
    restored = False
    if length is not None:
        if len(text) > length:
            raise HilirDataError(f"HS code {code!r} has more than {length} digits")
        if len(text) < length:
            restored = True
            text = text.zfill(length)
    elif len(text) % 2 == 1:
        restored = True
        text = "0" + text
    if len(text) > 10 or len(text) < 2:
        raise HilirDataError(f"HS code {code!r} cannot be an HS code (2 to 10 digits)")
    if text.startswith("00"):
        raise HilirDataError(f"HS code {code!r} read as {text!r}: there is no HS chapter 00")
    if restored and warn:
        warnings.warn(
            f"HS code {code!r} lost its leading zero(s); read as {text!r}",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return text, restored


def hs6_of(code: str) -> str:
    """Six-digit subheading of a normalised code, or ``""`` for 2- and 4-digit codes."""
    return code[:6] if len(code) >= 6 else ""


def revision_for_year(year: int) -> str:
    """HS revision in force in a calendar year.

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    str
        ``"HS1992"`` ... ``"HS2022"``.
    """
    current = REVISIONS[0]
    for rev, start in REVISION_START_YEAR.items():
        if year >= start:
            current = rev
    return current


def revision_from_comtrade(classification: str) -> str:
    """Map a Comtrade classification code (``H0`` ... ``H6``, or ``HS`` variants) to a revision.

    Raises
    ------
    HilirDataError
        If the classification is not one of Comtrade's HS codes.
    """
    key = str(classification).strip().upper()
    if key in COMTRADE_CLASSIFICATIONS:
        return COMTRADE_CLASSIFICATIONS[key]
    if key in REVISIONS:
        return key
    raise HilirDataError(f"unknown Comtrade classification {classification!r} (expected H0..H6)")


def leaf_codes(codes: Iterable[str]) -> set[str]:
    """Codes of a set that have no more detailed code below them in the same set.

    A file that reports a heading (``2604``) together with its subheadings (``260400``)
    must be summed over leaves only, or the flow is counted twice.

    Parameters
    ----------
    codes : iterable of str
        Normalised HS codes.

    Returns
    -------
    set of str
        The codes that are not a strict prefix of another code in ``codes``.
    """
    unique = sorted(set(codes))
    # In sorted order every code that extends ``c`` comes straight after ``c``.
    return {c for c, nxt in zip(unique, [*unique[1:], ""], strict=True) if not nxt.startswith(c)}
