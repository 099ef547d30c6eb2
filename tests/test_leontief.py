"""Pure input-output maths against Miller and Blair's worked example, plus properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hilir.jobs import leontief as lt

# Miller, R.E. and Blair, P.D. (2009), Input-Output Analysis: Foundations and Extensions, 2nd
# ed., section 2.3 "An illustration of input-output calculations" (two-sector hypothetical
# example): Table 2.3 flows Z, final demand f and output x; Table 2.4 coefficients A; the
# inverse and the output for the new final demand (600, 1500) as printed in the text. The same
# figures are used by pymrio's test suite (IndEcol/pymrio, tests/test_math.py,
# td_IO_Data_Miller), which we checked them against.
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_X = np.array([1000.0, 2000.0])
MB_F = np.array([350.0, 1700.0])
MB_A = np.array([[0.15, 0.25], [0.20, 0.05]])
MB_L = np.array([[1.25412541, 0.330033], [0.2640264, 1.12211221]])
MB_F_NEW = np.array([600.0, 1500.0])
MB_X_NEW = np.array([1247.5, 1841.6])  # rounded to 0.1 in the source
# Labour input coefficients of the same example (workers per dollar of output); pymrio's
# test gives the resulting labour by sector for x_new, 374.25 and 460.4.
MB_LABOUR = np.array([0.30, 0.25])
MB_LABOUR_NEW = np.array([374.25, 460.4])


def test_miller_blair_coefficients_and_inverse():
    """Miller & Blair (2009) section 2.3, Tables 2.3 and 2.4 and the inverse in the text."""
    A = lt.technical_coefficients(MB_Z, MB_X)
    np.testing.assert_allclose(A, MB_A)
    L = lt.leontief_inverse(A)
    np.testing.assert_allclose(L, MB_L, atol=1e-7)
    np.testing.assert_allclose(L @ MB_F, MB_X, atol=1e-6)  # the table reproduces itself
    np.testing.assert_allclose(L @ MB_F_NEW, MB_X_NEW, atol=0.05)


def test_miller_blair_multipliers():
    """Output multipliers are the column sums of L: 1.5182 and 1.4521 (M&B section 2.3)."""
    L = lt.leontief_inverse(lt.technical_coefficients(MB_Z, MB_X))
    np.testing.assert_allclose(lt.output_multipliers(L), [1.51815182, 1.45214521], atol=1e-7)
    bl = lt.backward_linkage(L)
    np.testing.assert_allclose(bl.mean(), 1.0)
    np.testing.assert_allclose(bl, [1.51815182 / 1.48514851, 1.45214521 / 1.48514851])


def test_labour_column_form_matches_total_labour():
    """Labour in the new situation (pymrio/M&B figures) = l . x_new; the multiplier l L must
    give the same total from final demand, while the wrong form L l does not."""
    L = lt.leontief_inverse(lt.technical_coefficients(MB_Z, MB_X))
    labour = MB_LABOUR * (L @ MB_F_NEW)
    np.testing.assert_allclose(labour, MB_LABOUR_NEW, atol=0.05)
    mult = lt.coefficient_multipliers(MB_LABOUR, L)
    np.testing.assert_allclose(mult, MB_LABOUR @ L)
    assert mult @ MB_F_NEW == pytest.approx(labour.sum(), rel=1e-12)
    wrong = L @ MB_LABOUR
    assert abs(wrong @ MB_F_NEW - labour.sum()) > 10  # the peer tool's mistake is detectable


def test_type_i_and_ii_against_miyazawa_partition():
    """Type II through the (n+1) inverse equals the partitioned (Miyazawa) form.

    Households closed as in Miller & Blair (2009) section 2.5: household input row h = the
    example's labour coefficients (0.30, 0.25); the consumption column c = (0.05, 0.40) is a
    test choice. The closed inverse's sector block must equal
    L + L c (1 - h L c)^-1 h L, computed independently.
    """
    A = lt.technical_coefficients(MB_Z, MB_X)
    L = lt.leontief_inverse(A)
    h = np.array([0.30, 0.25])
    c = np.array([0.05, 0.40])
    Lc = lt.leontief_inverse(lt.closed_coefficients(A, h, c))
    k = 1.0 / (1.0 - h @ L @ c)
    expected = L + k * np.outer(L @ c, h @ L)
    np.testing.assert_allclose(Lc[:2, :2], expected, rtol=1e-12)
    t1 = lt.type_i_multipliers(h, L)
    t2 = lt.type_ii_multipliers(h, Lc)
    np.testing.assert_allclose(t1, (h @ L) / h)
    assert np.all(t2 >= t1) and np.all(t1 >= 1)
    # households' income row of the closed inverse = total income per unit of final demand
    np.testing.assert_allclose(Lc[2, :2], h @ Lc[:2, :2])


def test_type_ii_output_multipliers_with_consistent_households():
    """Households closed with a consumption column that is a share of their income.

    M&B example with wages = the labour coefficients (0.30, 0.25) and households buying
    (200, 700) of domestic products out of a total income Y = 1000: c = (0.2, 0.7), sum 0.9
    <= 1. Hand arithmetic (Miyazawa): hL = (0.44224, 0.37954), Lc = (0.48185, 0.83828),
    hLc = 0.35413, k = 1.54829, Type II output multipliers colsum(L) + sum(Lc) k hL =
    (2.42207, 2.22790) against Type I (1.51815, 1.45215). Dividing by wages alone (800)
    instead, c = (0.25, 0.875) sums to 1.125: households would spend more than they earn,
    and the multipliers rise to (2.83, 2.58).
    """
    A = lt.technical_coefficients(MB_Z, MB_X)
    h = np.array([0.30, 0.25])
    c = np.array([200.0, 700.0]) / 1000.0
    Lc = lt.leontief_inverse(lt.closed_coefficients(A, h, c))
    np.testing.assert_allclose(Lc[:2, :2].sum(axis=0), [2.42207, 2.22790], atol=1e-5)
    wrong = lt.leontief_inverse(lt.closed_coefficients(A, h, np.array([200.0, 700.0]) / 800.0))
    np.testing.assert_allclose(wrong[:2, :2].sum(axis=0), [2.82754, 2.57587], atol=1e-5)


def test_forward_linkage_leontief_and_ghosh():
    L = lt.leontief_inverse(lt.technical_coefficients(MB_Z, MB_X))
    fl = lt.forward_linkage(L)
    np.testing.assert_allclose(fl, L.sum(axis=1) / (L.sum() / 2))
    B = lt.allocation_coefficients(MB_Z, MB_X)
    np.testing.assert_allclose(B, [[0.15, 0.5], [0.1, 0.05]])
    G = lt.ghosh_inverse(B)
    np.testing.assert_allclose(G, np.linalg.inv(np.eye(2) - B))
    assert lt.forward_linkage(G).mean() == pytest.approx(1.0)


def test_labelled_frames_keep_labels():
    idx = pd.Index(["agri", "manuf"], name="code")
    Z = pd.DataFrame(MB_Z, index=idx, columns=idx)
    A = lt.technical_coefficients(Z, pd.Series(MB_X, index=idx))
    L = lt.leontief_inverse(A)
    assert list(L.index) == ["agri", "manuf"]
    assert list(lt.output_multipliers(L).index) == ["agri", "manuf"]
    assert list(lt.coefficient_multipliers(MB_LABOUR, L).index) == ["agri", "manuf"]


def test_zero_output_sector_gets_zero_column_and_inputs_rejected():
    Z = np.array([[10.0, 0.0], [5.0, 0.0]])
    A = lt.technical_coefficients(Z, [100.0, 0.0])
    np.testing.assert_allclose(A[:, 1], 0.0)
    with pytest.raises(ValueError, match="zero output has intermediate inputs"):
        lt.technical_coefficients(np.array([[10.0, 1.0], [5.0, 0.0]]), [100.0, 0.0])


def test_bad_inputs():
    with pytest.raises(ValueError, match="not productive"):
        lt.leontief_inverse(np.array([[0.6, 0.5], [0.5, 0.6]]))
    with pytest.raises(ValueError, match="negative"):
        lt.leontief_inverse(np.array([[0.1, -0.1], [0.1, 0.1]]))
    with pytest.raises(ValueError, match="square"):
        lt.leontief_inverse(np.ones((2, 3)))
    with pytest.raises(ValueError, match="missing"):
        lt.leontief_inverse(np.array([[0.1, np.nan], [0.1, 0.1]]))
    with pytest.raises(ValueError, match="output must not be negative"):
        lt.technical_coefficients(MB_Z, [1000.0, -1.0])
    with pytest.raises(ValueError, match="has 3 values"):
        lt.closed_coefficients(MB_A, [0.1, 0.1, 0.1], [0.1, 0.1])


def test_type_i_is_nan_where_the_coefficient_is_zero():
    L = lt.leontief_inverse(MB_A)
    t1 = lt.type_i_multipliers(np.array([0.0, 0.25]), L)
    assert np.isnan(t1[0]) and np.isfinite(t1[1])


# ---------------------------------------------------------------------------- properties


@st.composite
def productive(draw, n_max: int = 6):
    """A non-negative matrix whose column sums are below 1 (so it is productive)."""
    n = draw(st.integers(min_value=1, max_value=n_max))
    raw = draw(arrays(float, (n, n), elements=st.floats(0.0, 1.0)))
    scale = draw(arrays(float, n, elements=st.floats(0.0, 0.95)))
    sums = raw.sum(axis=0)
    sums[sums == 0] = 1.0
    return raw / sums * scale


@settings(max_examples=60, deadline=None)
@given(productive())
def test_inverse_at_least_identity_and_multipliers_at_least_one(A):
    L = lt.leontief_inverse(A)
    assert np.all(L >= np.eye(len(A)) - 1e-12)
    assert np.all(lt.output_multipliers(L) >= 1.0 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(productive(), st.data())
def test_employment_type_ii_at_least_type_i_at_least_one(A, data):
    n = len(A)
    ell = data.draw(arrays(float, n, elements=st.floats(1e-3, 5.0)))
    h = data.draw(arrays(float, n, elements=st.floats(0.0, 0.5)))
    c = data.draw(arrays(float, n, elements=st.floats(0.0, 1.0)))
    c = c / max(c.sum(), 1.0) * 0.9  # households spend at most 90 % of income at home
    closed = lt.closed_coefficients(A, h * (1 - A.sum(axis=0)), c)
    L = lt.leontief_inverse(A)
    Lc = lt.leontief_inverse(closed)
    t1 = lt.type_i_multipliers(ell, L)
    t2 = lt.type_ii_multipliers(ell, Lc)
    assert np.all(t1 >= 1.0 - 1e-9)
    assert np.all(t2 >= t1 - 1e-9)
