"""Concentration indices: pure functions of a list of values or shares.

- :func:`hhi`: the Herfindahl-Hirschman index, the sum of squared shares, between 1/n
  (n equal items) and 1 (one item);
- :func:`normalised_hhi`: (HHI - 1/n) / (1 - 1/n), between 0 (equal shares) and 1;
- :func:`unctad_index`: UNCTAD's concentration index, the normalised *square root* form;
- :func:`equivalent_number`: 1 / HHI, the number of equal markets with the same HHI.

References are in :mod:`hilir.markets.concentration`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hilir.errors import HilirDataError

#: Tolerance on a sum of shares (shares must add up to 1 within it).
SHARE_TOLERANCE = 1e-6


def _shares(values: Iterable[float] | np.ndarray, *, as_shares: bool) -> np.ndarray:
    """Validated shares (fractions summing to 1) of non-negative values."""
    arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
    if arr.ndim != 1 or arr.size == 0:
        raise HilirDataError("concentration needs a non-empty list of values")
    if not np.all(np.isfinite(arr)):
        raise HilirDataError(f"values must be finite numbers; got {arr.tolist()}")
    if np.any(arr < 0):
        raise HilirDataError(f"values must not be negative; got {arr[arr < 0].tolist()}")
    total = float(arr.sum())
    if as_shares:
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise HilirDataError(
                f"shares must sum to 1, they sum to {total:.6g}: pass the values with "
                "as_shares=False, or add the missing (residual) share"
            )
        return arr
    if total <= 0:
        raise HilirDataError("values sum to 0: there is nothing to measure concentration of")
    return arr / total


def _n_of(s: np.ndarray, n: int | None) -> int:
    positive = int(np.count_nonzero(s > 0))
    if n is None:
        return positive
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise HilirDataError(f"n must be a whole number >= 1, not {n!r}")
    if n < positive:
        raise HilirDataError(f"n = {n} is smaller than the {positive} items with a value")
    return int(n)


def hhi(values: Iterable[float] | np.ndarray, *, as_shares: bool = False) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares.

    Parameters
    ----------
    values : iterable of float
        Export values (USD) by market or product, >= 0; or shares with ``as_shares=True``.
    as_shares : bool, default False
        ``values`` are shares (fractions) that must sum to 1 (within 1e-6).

    Returns
    -------
    float
        HHI in [1/n, 1] for n items with a value (shares as fractions, not percent: the
        antitrust convention of percent squared, 0-10,000, is this value x 10,000).

    Raises
    ------
    HilirDataError
        Empty input, negative or missing values, values summing to 0, or shares that do
        not sum to 1.

    Notes
    -----
    HHI = sum_i s_i ** 2 with s_i = x_i / sum_j x_j (Hirschman 1945; Herfindahl 1950).

    Examples
    --------
    One market: s = (1), HHI = 1 ** 2 = 1. Four equal markets: s = 1/4 each,
    HHI = 4 x (1/4) ** 2 = 1/4. Shares 0.5, 0.3, 0.2: 0.25 + 0.09 + 0.04 = 0.38.

    >>> hhi([250.0])
    1.0
    >>> hhi([1, 1, 1, 1])
    0.25
    >>> round(hhi([0.5, 0.3, 0.2], as_shares=True), 10)
    0.38
    """
    s = _shares(values, as_shares=as_shares)
    return float(np.sum(s**2))


def normalised_hhi(
    values: Iterable[float] | np.ndarray, *, as_shares: bool = False, n: int | None = None
) -> float:
    """HHI rescaled to run from 0 (equal shares) to 1 (one item).

    Parameters
    ----------
    values, as_shares
        See :func:`hhi`.
    n : int, optional
        Number of possible items. Default: the number of items with a value. UNCTAD uses a
        fixed n (all economies, or all 3-digit SITC groups), so a value computed with the
        default n is comparable over time only while the number of markets is similar.

    Returns
    -------
    float
        (HHI - 1/n) / (1 - 1/n); 1.0 when n = 1 (a single market is as concentrated as
        exports can be).

    Examples
    --------
    Four equal markets: HHI = 1/4 = 1/n, so (1/4 - 1/4) / (1 - 1/4) = 0. Shares 0.5, 0.3,
    0.2: (0.38 - 1/3) / (1 - 1/3) = 0.04667 / 0.66667 = 0.07.

    >>> normalised_hhi([5, 5, 5, 5])
    0.0
    >>> round(normalised_hhi([0.5, 0.3, 0.2], as_shares=True), 10)
    0.07
    """
    s = _shares(values, as_shares=as_shares)
    k = _n_of(s, n)
    if k == 1:
        return 1.0
    h = float(np.sum(s**2))
    return max(0.0, (h - 1.0 / k) / (1.0 - 1.0 / k))


def unctad_index(
    values: Iterable[float] | np.ndarray, *, as_shares: bool = False, n: int | None = None
) -> float:
    """UNCTAD's concentration index: the normalised Hirschman (square-root) index.

    Parameters
    ----------
    values, as_shares, n
        See :func:`normalised_hhi`.

    Returns
    -------
    float
        (sqrt(HHI) - sqrt(1/n)) / (1 - sqrt(1/n)), from 0 (equal shares) to 1 (one item);
        1.0 when n = 1.

    Notes
    -----
    UNCTAD's product and market concentration indices of exports use this form with n the
    number of SITC Rev. 3 three-digit groups or of economies (UNCTAD Handbook of
    Statistics, "Calculation methods"; World Bank WDI description of the UNCTAD series).
    With the default n (items with a value) the number is not comparable with UNCTADstat's.

    Examples
    --------
    Shares 0.5, 0.3, 0.2: sqrt(0.38) = 0.61644, sqrt(1/3) = 0.57735, so
    (0.61644 - 0.57735) / (1 - 0.57735) = 0.0925.

    >>> round(unctad_index([0.5, 0.3, 0.2], as_shares=True), 4)
    0.0925
    >>> unctad_index([3, 3, 3])
    0.0
    """
    s = _shares(values, as_shares=as_shares)
    k = _n_of(s, n)
    if k == 1:
        return 1.0
    root = float(np.sqrt(np.sum(s**2)))
    low = float(np.sqrt(1.0 / k))
    return max(0.0, (root - low) / (1.0 - low))


def equivalent_number(values: Iterable[float] | np.ndarray, *, as_shares: bool = False) -> float:
    """Numbers-equivalent of the HHI: 1 / HHI (Adelman 1969).

    Exports with this HHI are as concentrated as exports split equally among this many
    markets: the plain-language reading of the index.

    Examples
    --------
    Shares 0.5, 0.3, 0.2: 1 / 0.38 = 2.63 "equal markets".

    >>> round(equivalent_number([0.5, 0.3, 0.2], as_shares=True), 2)
    2.63
    """
    return 1.0 / hhi(values, as_shares=as_shares)
