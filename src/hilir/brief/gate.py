"""The plausibility gate: named checks a headline number passes before policymakers see it.

A headline (a key message, a chart title, a summary figure) is built with the checks of the
number it quotes::

    from hilir.brief import gate
    brief.summary([
        gate.Headline(sentence, gate.share_check(share, what="...", stages="processed")),
        ...
    ])

Each check is a pure function returning a :class:`Check`; its threshold is data
(``hilir/refdata/plausibility.csv``, documented in ``refdata/README.md``). A message whose
check fails is moved to the analyst edition with the reason (:meth:`hilir.brief.Brief.headline`);
a brief left with no key message, or a headline marked ``required``, raises
:class:`HilirGateError`, which stops ``make report`` naming the brief, the number and the
check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from hilir.errors import HilirDataError
from hilir.i18n.catalog import t
from hilir.i18n.numbers import format_number
from hilir.refdata.plausibility import threshold

__all__ = [
    "Check",
    "Headline",
    "HilirGateError",
    "band_check",
    "forecast_check",
    "jobs_check",
    "scale_check",
    "share_check",
    "threshold",
]


class HilirGateError(HilirDataError):
    """A headline number failed a plausibility check where nothing else can be said."""


@dataclass(frozen=True)
class Check:
    """The outcome of one plausibility check of one number.

    Attributes
    ----------
    name : str
        ``share``, ``scale``, ``band``, ``forecast`` or ``jobs``.
    what : str
        The number checked, in words (``"processed share of coffee exports, 2020"``).
    passed : bool
    value : float
        The statistic compared with the threshold (share, ratio, year ...).
    threshold : float
        The threshold it was compared with (``plausibility.csv``).
    detail : str
        Catalogue key (``gate.detail.<detail>``) of why it failed, beyond the threshold;
        empty when the threshold says it all.
    fields : tuple of (str, str)
        Placeholders of the detail text.
    words : tuple of (str, str)
        ``what`` in each language, ``(lang, text)``; ``what`` (English) where it has none.
    """

    name: str
    what: str
    passed: bool
    value: float
    threshold: float
    detail: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    words: tuple[tuple[str, str], ...] = ()

    def what_in(self, lang: str) -> str:
        """The number checked, in words, in ``lang`` (``what`` where no translation)."""
        return dict(self.words).get(lang, self.what)

    def reason(self, lang: str) -> str:
        """The reason of a failed check, in ``lang`` (catalogue ``gate.<name>``)."""
        if self.detail and not _finite(self.value):
            # nothing to compare: the number cannot be checked (no current exports ...)
            detail = t(f"gate.detail.{self.detail}", lang, **dict(self.fields))
            return t("gate.unchecked", lang, what=self.what_in(lang), detail=detail)
        text = t(
            f"gate.{self.name}",
            lang,
            what=self.what_in(lang),
            value=_num(self.value, lang),
            threshold=_num(self.threshold, lang),
        )
        if self.detail:
            text += " (" + t(f"gate.detail.{self.detail}", lang, **dict(self.fields)) + ")"
        return text

    def describe(self) -> str:
        """One line for errors and logs: check, number, value and threshold (English)."""
        state = "passed" if self.passed else "failed"
        extra = (
            " (" + t(f"gate.detail.{self.detail}", "en", **dict(self.fields)) + ")"
            if self.detail
            else ""
        )
        return (
            f"check {self.name!r} {state} for {self.what}: value {_num(self.value, 'en')}, "
            f"threshold {_num(self.threshold, 'en')}{extra}"
        )


@dataclass(frozen=True, init=False)
class Headline:
    """A headline sentence and the checks of the numbers it quotes.

    Parameters
    ----------
    text : str or None
        The generated sentence (``None`` or empty: nothing to say, skipped).
    *checks : Check
        Its checks; all must pass for policymakers to see it.
    """

    text: str | None
    checks: tuple[Check, ...] = field(default=())

    def __init__(self, text: str | None, *checks: Check) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "checks", tuple(checks))

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if not c.passed)

    def withheld(self, lang: str) -> str | None:
        """The sentence a policymaker reads where this headline was withheld (None: passed).

        It names the reasons, never the numbers (``gate.withheld``).
        """
        if not self.failed:
            return None
        return t("gate.withheld", lang, reason="; ".join(c.reason(lang) for c in self.failed))


def _num(value: float, lang: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    decimals = 0 if float(value).is_integer() and abs(value) >= 1 else 2
    return format_number(float(value), lang=lang, decimals=decimals)


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(float(v)) for v in values)


def share_check(share: float, *, what: str, stages: str) -> Check:
    """A share headlined lies in [0, 1] and names the stages it counts.

    Parameters
    ----------
    share : float
        The share (fraction, not percent).
    what : str
        The number in words.
    stages : str
        The stages counted (``"intermediate + processed"``); empty fails the check.
    """
    lo, hi = threshold("share_min"), threshold("share_max")
    ok = _finite(share) and lo <= float(share) <= hi and bool(stages.strip())
    detail = "" if ok or stages.strip() else "no_stages"
    return Check("share", what, ok, float(share), hi, detail)


def _words(what: str | Mapping[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """English ``what`` and its translations, from a text or a ``{lang: text}`` mapping."""
    if isinstance(what, str):
        return what, ()
    return what["en"], tuple(sorted(what.items()))


def scale_check(implied: float, current: float, *, what: str | Mapping[str, str]) -> Check:
    """A scenario's implied processed output is within a multiple of the current exports.

    Parameters
    ----------
    implied : float
        Processed output the scenario implies (t, or USD at current unit values).
    current : float
        The same quantity exported today (same unit, same year); zero or missing fails.
    what : str or mapping of str to str
        The scenario in words (English, or ``{"en": ..., "id": ...}``).
    """
    what, words = _words(what)
    limit = threshold("max_scale_ratio")
    known = _finite(implied, current) and float(current) > 0
    ratio = float(implied) / float(current) if known else math.nan
    ok = _finite(ratio) and ratio <= limit
    detail = "" if _finite(ratio) else "no_current"
    return Check("scale", what, ok, ratio, limit, detail, words=words)


def band_check(estimate: float, lower: float, upper: float, *, what: str) -> Check:
    """A counterfactual or prediction band lies within a factor of its estimate.

    Parameters
    ----------
    estimate, lower, upper : float
        The estimate and its band at the year headlined (same unit, positive).
    what : str
        The estimate in words.
    """
    limit = threshold("max_band_ratio")
    if not _finite(estimate, lower, upper) or min(estimate, lower, upper) <= 0:
        return Check("band", what, False, math.nan, limit, "not_positive")
    ratio = max(float(upper) / float(estimate), float(estimate) / float(lower))
    ok = lower <= estimate <= upper and ratio <= limit
    return Check("band", what, ok, ratio, limit)


def forecast_check(
    year: int, *, last_observed: int, build_year: int, what: str, says_data_end: bool = False
) -> Check:
    """A forecast is of a year after the data; a year already past says the data end earlier.

    Parameters
    ----------
    year : int
        The forecast year headlined.
    last_observed : int
        The series' last observed year.
    build_year : int
        The year the brief is built (passed explicitly, never read from the clock here).
    what : str
        The forecast in words.
    says_data_end : bool, default False
        Whether the sentence states that the data end before ``build_year``.
    """
    lead = threshold("min_lead_years")
    ok = int(year) >= int(last_observed) + lead
    detail, fields = "", {"year": str(int(year)), "last": str(int(last_observed))}
    fields["build"] = str(int(build_year))
    if not ok:
        detail = "covered"
    elif int(year) < int(build_year) and not says_data_end:
        ok, detail = False, "past"
    gap = float(int(year) - int(last_observed))
    return Check("forecast", what, ok, gap, lead, detail, tuple(fields.items()) if detail else ())


def jobs_check(
    va_per_worker: float,
    sector_average: float,
    *,
    what: str | Mapping[str, str],
    wage: float | None = None,
    min_wage: float | None = None,
) -> Check:
    """A direct-jobs figure implies a value added per worker the sector's accounts can pay.

    Parameters
    ----------
    va_per_worker : float
        Value added per direct job the coefficient implies (Rp per worker per year).
    sector_average : float
        The IO sector's average value added per worker (Rp per worker per year).
    what : str or mapping of str to str
        The jobs figure in words (English, or ``{"en": ..., "id": ...}``).
    wage, min_wage : float, optional
        Implied wage and the provincial minimum wage (Rp per year); checked when both given.
    """
    what, words = _words(what)
    limit = threshold("min_va_per_worker_share")
    ratio = (
        float(va_per_worker) / float(sector_average)
        if _finite(va_per_worker, sector_average) and sector_average > 0
        else math.nan
    )
    ok = _finite(ratio) and ratio >= limit
    detail = "" if _finite(ratio) else "no_average"
    if ok and wage is not None and min_wage is not None and float(wage) < float(min_wage):
        ok, detail = False, "below_min_wage"
    return Check("jobs", what, ok, ratio, limit, detail, words=words)
