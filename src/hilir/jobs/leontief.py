r"""Pure input-output maths: coefficients, Leontief and Ghosh inverses, multipliers, linkages.

Every function takes arrays or labelled pandas objects and returns the same kind; none reads a
file. Notation follows Miller and Blair (2009), *Input-Output Analysis: Foundations and
Extensions*, 2nd ed., Cambridge University Press: section 2.3 (the worked two-sector example),
section 2.5 (open and closed models, households), chapter 6 (multipliers) and chapter 12
(supply-side model and linkages); numbers are those of the 2nd edition:

* :math:`Z` intermediate transactions (rows sell to columns), :math:`x` total output;
* :math:`A = Z \\hat{x}^{-1}` technical coefficients, :math:`L = (I - A)^{-1}`;
* :math:`B = \\hat{x}^{-1} Z` allocation coefficients, :math:`G = (I - B)^{-1}` (Ghosh);
* a coefficient row :math:`e` (workers, income or value added per unit of output) gives the
  multipliers :math:`e L`: the row vector times the inverse (the *column* form, one value per
  sector of final demand), never :math:`L e`.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError

ArrayOrFrame = TypeVar("ArrayOrFrame", np.ndarray, pd.DataFrame)
VectorLike = TypeVar("VectorLike", np.ndarray, pd.Series)


def _mat(m: Any) -> np.ndarray:
    a = np.asarray(m, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise HilirDataError(f"expected a square matrix, got shape {a.shape}")
    if not np.isfinite(a).all():
        raise HilirDataError("matrix has missing or infinite values")
    return a


def _vec(v: Any, n: int, name: str) -> np.ndarray:
    a = np.asarray(v, dtype=float).reshape(-1)
    if a.shape[0] != n:
        raise HilirDataError(f"{name} has {a.shape[0]} values, the matrix has {n} sectors")
    if not np.isfinite(a).all():
        raise HilirDataError(f"{name} has missing or infinite values")
    return a


def _like_matrix(values: np.ndarray, template: Any) -> Any:
    if isinstance(template, pd.DataFrame):
        return pd.DataFrame(values, index=template.index, columns=template.columns)
    return values


def _like_row(values: np.ndarray, template: Any, name: str) -> Any:
    if isinstance(template, pd.DataFrame):
        return pd.Series(values, index=template.columns, name=name)
    return values


def _like_col(values: np.ndarray, template: Any, name: str) -> Any:
    if isinstance(template, pd.DataFrame):
        return pd.Series(values, index=template.index, name=name)
    return values


def technical_coefficients(Z: ArrayOrFrame, x: Any) -> ArrayOrFrame:
    r"""Technical (input) coefficients :math:`a_{ij} = z_{ij} / x_j`.

    Parameters
    ----------
    Z : numpy.ndarray or pandas.DataFrame
        Intermediate transactions, n x n, in money units (juta Rp, million USD).
    x : array-like
        Total output by sector, same units, length n.

    Returns
    -------
    numpy.ndarray or pandas.DataFrame
        :math:`A = Z \\hat{x}^{-1}` (money per unit of the column sector's output). The column
        of a sector with zero output is zero.

    Raises
    ------
    ValueError
        Negative output, or a sector with zero output that buys inputs.

    Notes
    -----
    Miller and Blair (2009), section 2.2. Sectors with zero output (BPS Lampung 2010 has two,
    coal mining and leather) must be left out before multipliers are read; see
    :func:`hilir.jobs.multipliers.active_sectors`.
    """
    z = _mat(Z)
    xv = _vec(x, z.shape[0], "x")
    if (xv < 0).any():
        raise HilirDataError("output must not be negative")
    dead = xv == 0
    if (z[:, dead] != 0).any():
        raise HilirDataError("a sector with zero output has intermediate inputs")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(dead[None, :], 0.0, z / np.where(dead, 1.0, xv)[None, :])
    return _like_matrix(a, Z)


def allocation_coefficients(Z: ArrayOrFrame, x: Any) -> ArrayOrFrame:
    r"""Allocation (output) coefficients :math:`b_{ij} = z_{ij} / x_i` of the Ghosh model.

    Parameters
    ----------
    Z : numpy.ndarray or pandas.DataFrame
        Intermediate transactions, n x n, money units.
    x : array-like
        Total output by sector, same units.

    Returns
    -------
    numpy.ndarray or pandas.DataFrame
        :math:`B = \\hat{x}^{-1} Z` (share of the row sector's output sold to each column
        sector). The row of a sector with zero output is zero.

    Notes
    -----
    Miller and Blair (2009), chapter 12 (the supply-side, Ghosh, model).
    """
    z = _mat(Z)
    xv = _vec(x, z.shape[0], "x")
    if (xv < 0).any():
        raise HilirDataError("output must not be negative")
    dead = xv == 0
    if (z[dead, :] != 0).any():
        raise HilirDataError("a sector with zero output sells intermediate goods")
    b = np.where(dead[:, None], 0.0, z / np.where(dead, 1.0, xv)[:, None])
    return _like_matrix(b, Z)


def spectral_radius(A: Any) -> float:
    """Largest absolute eigenvalue of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(_mat(A))))) if np.size(A) else 0.0


def leontief_inverse(A: ArrayOrFrame) -> ArrayOrFrame:
    r"""Leontief inverse :math:`L = (I - A)^{-1}`.

    Parameters
    ----------
    A : numpy.ndarray or pandas.DataFrame
        Technical coefficients, n x n, non-negative.

    Returns
    -------
    numpy.ndarray or pandas.DataFrame
        Total (direct plus indirect) output of each row sector per unit of final demand for
        the column sector.

    Raises
    ------
    ValueError
        Negative coefficients, or a matrix that is not productive (spectral radius >= 1, so
        the power series :math:`I + A + A^2 + ...` does not converge).

    Notes
    -----
    Miller and Blair (2009), sections 2.2-2.4 (power series). For a productive
    non-negative :math:`A`, :math:`L \\geq I` elementwise.
    """
    a = _mat(A)
    if (a < 0).any():
        raise HilirDataError("technical coefficients must not be negative")
    rho = spectral_radius(a)
    if rho >= 1.0:
        raise HilirDataError(f"coefficient matrix is not productive (spectral radius {rho:.4f})")
    inv = np.linalg.solve(np.eye(a.shape[0]) - a, np.eye(a.shape[0]))
    return _like_matrix(inv, A)


def ghosh_inverse(B: ArrayOrFrame) -> ArrayOrFrame:
    """Ghosh inverse :math:`G = (I - B)^{-1}` of the allocation coefficients.

    Notes
    -----
    Miller and Blair (2009), chapter 12. Its row sums are the total forward linkages of the
    supply-side model.
    """
    return leontief_inverse(B)


def output_multipliers(L: ArrayOrFrame) -> Any:
    r"""Simple output multipliers: column sums of the Leontief inverse.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Total output in all sectors per unit of final demand for each sector (>= 1).

    Notes
    -----
    Miller and Blair (2009), chapter 6: :math:`m(o)_j = \\sum_i l_{ij}`.
    """
    inv = _mat(L)
    return _like_row(inv.sum(axis=0), L, "output_multiplier")


def backward_linkage(L: ArrayOrFrame) -> Any:
    r"""Normalised backward linkage (BPS *daya penyebaran*, power of dispersion).

    Returns
    -------
    numpy.ndarray or pandas.Series
        :math:`BL_j = \\sum_i l_{ij} / (\\frac{1}{n} \\sum_{i,j} l_{ij})`; above 1 means the
        sector pulls more than the average sector on its suppliers. Mean over sectors is 1.

    Notes
    -----
    Rasmussen (1956); Miller and Blair (2009), chapter 12 (normalised total backward
    linkage). BPS publishes the same index as "daya penyebaran".
    """
    inv = _mat(L)
    n = inv.shape[0]
    col = inv.sum(axis=0)
    return _like_row(col / (col.sum() / n), L, "backward_linkage")


def forward_linkage(inverse: ArrayOrFrame) -> Any:
    r"""Normalised forward linkage: row sums of an inverse over their mean.

    Parameters
    ----------
    inverse : numpy.ndarray or pandas.DataFrame
        The Leontief inverse :math:`L` (BPS *derajat kepekaan*, sensitivity of dispersion, as
        BPS computes it) or the Ghosh inverse :math:`G` (the supply-side measure Miller and
        Blair recommend).

    Returns
    -------
    numpy.ndarray or pandas.Series
        :math:`FL_i = \\sum_j q_{ij} / (\\frac{1}{n} \\sum_{i,j} q_{ij})`; mean 1.

    Notes
    -----
    Miller and Blair (2009), chapter 12: row sums of :math:`L` mix the scale of every
    column's final demand and are criticised; the Ghosh row sums measure forward linkage
    properly. Both are offered; BPS reports the former.
    """
    inv = _mat(inverse)
    n = inv.shape[0]
    row = inv.sum(axis=1)
    return _like_col(row / (row.sum() / n), inverse, "forward_linkage")


def coefficient_multipliers(coef: Any, L: Any) -> Any:
    r"""Simple multipliers of a coefficient row: :math:`e L` (column form).

    Parameters
    ----------
    coef : array-like
        Per unit of output of each sector: workers (employment coefficient), household
        income, value added or imports.
    L : numpy.ndarray or pandas.DataFrame
        Leontief inverse (n x n), or a closed inverse whose first n rows and columns are
        the sectors (then only those are used).

    Returns
    -------
    numpy.ndarray or pandas.Series
        :math:`m_j = \\sum_i e_i l_{ij}`: workers (income, value added) in the whole economy
        per unit of final demand for sector j.

    Notes
    -----
    Miller and Blair (2009), chapter 6 (income and employment multipliers). The column form
    :math:`e L` answers "how much in all sectors per unit of j's final demand"; :math:`L e`
    would mix the coefficients of the sectors a row sells to, which is wrong.
    """
    e = np.asarray(coef, dtype=float).reshape(-1)
    inv = np.asarray(L, dtype=float)
    n = e.shape[0]
    if inv.shape[0] < n or inv.shape[1] < n:
        raise HilirDataError("inverse is smaller than the coefficient row")
    out = e @ inv[:n, :n]
    if isinstance(L, pd.DataFrame):
        return pd.Series(out, index=L.columns[:n], name="multiplier")
    return out


def type_i_multipliers(coef: Any, L: Any) -> Any:
    """Type I multipliers: :math:`(e L)_j / e_j` (direct plus indirect over direct).

    Returns
    -------
    numpy.ndarray or pandas.Series
        NaN where the direct coefficient :math:`e_j` is zero (no ratio exists).

    Notes
    -----
    Miller and Blair (2009), chapter 6. For non-negative
    coefficients and a productive table, Type I >= 1.
    """
    e = np.asarray(coef, dtype=float).reshape(-1)
    simple = np.asarray(coefficient_multipliers(e, np.asarray(L, dtype=float)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(e != 0, simple / np.where(e != 0, e, 1.0), np.nan)
    if isinstance(L, pd.DataFrame):
        return pd.Series(out, index=L.columns[: e.shape[0]], name="type_i")
    return out


def type_ii_multipliers(coef: Any, L_closed: Any) -> Any:
    r"""Type II multipliers: :math:`(e \\bar{L}_{[1:n,1:n]})_j / e_j` with households closed.

    Parameters
    ----------
    coef : array-like
        Coefficient row for the n sectors (households have no coefficient of their own).
    L_closed : array-like
        Inverse :math:`\\bar{L} = (I - \\bar{A})^{-1}` of the model closed with respect to
        households (:func:`closed_coefficients`), (n+1) x (n+1).

    Returns
    -------
    numpy.ndarray or pandas.Series
        Direct, indirect and induced over direct; NaN where :math:`e_j = 0`.

    Notes
    -----
    Miller and Blair (2009), section 2.5 and chapter 6: :math:`\\bar{L}` adds the output induced
    by households spending the income they earn. With non-negative household coefficients,
    Type II >= Type I.
    """
    e = np.asarray(coef, dtype=float).reshape(-1)
    return type_i_multipliers(e, np.asarray(L_closed, dtype=float)[: e.shape[0], : e.shape[0]])


def closed_coefficients(A: Any, income: Any, consumption: Any) -> np.ndarray:
    r"""Coefficient matrix closed with respect to households.

    Parameters
    ----------
    A : array-like
        Technical coefficients, n x n.
    income : array-like
        Household income per unit of each sector's output (the household input row
        :math:`h_j`), length n.
    consumption : array-like
        Household purchases from each sector per unit of total household income (the
        household consumption column :math:`c_i`), length n.

    Returns
    -------
    numpy.ndarray
        :math:`\\bar{A} = \\begin{pmatrix} A & c \\\\ h & 0 \\end{pmatrix}`, (n+1) x (n+1).

    Notes
    -----
    Miller and Blair (2009), section 2.5. Households' purchases of household
    services (the corner element) are set to zero.
    """
    a = _mat(A)
    n = a.shape[0]
    h = _vec(income, n, "income")
    c = _vec(consumption, n, "consumption")
    if (h < 0).any() or (c < 0).any():
        raise HilirDataError("household coefficients must not be negative")
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = a
    out[:n, n] = c
    out[n, :n] = h
    return out
