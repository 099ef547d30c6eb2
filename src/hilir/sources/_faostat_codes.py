"""Codes of FAOSTAT files: CPC item codes, M49 areas (historic ones too), one unit per element.

Helpers of :mod:`hilir.sources.faostat`; each names file, line and column in its errors.
"""

from __future__ import annotations

import functools
import warnings
from os import PathLike

import numpy as np
import pandas as pd
import pycountry

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.refdata import read_refdata, refdata_label
from hilir.registry.partners import resolve_partner
from hilir.sources._common import first_bad
from hilir.sources._comtrade_fields import HISTORIC_CODES, HISTORIC_NUMERIC

PathLikeStr = str | PathLike[str]

#: FAOSTAT area codes of aggregates that are not countries: 351 "China" (mainland, Hong Kong,
#: Macao and Taiwan together) and every regional aggregate (codes 5000 and above).
_FAO_AGGREGATE_AREAS = frozenset({351})

#: The shipped FAOSTAT item <-> CPC concordance (``hilir/refdata``; README there).
CPC_FILE = "faostat_cpc_items.csv"


@functools.cache
def cpc_items() -> dict[str, str]:
    """CPC code (``"01610"``) -> FAO item code (``"656"``) for the items hilir can read.

    Raises
    ------
    HilirDataError
        A CPC code listed twice in the shipped table (file, row, column).
    """
    table = read_refdata(CPC_FILE, columns=("fao_item", "cpc", "item", "source"))
    out: dict[str, str] = {}
    for row in table.to_dict("records"):
        cpc = normalise_cpc(pd.Series([row["cpc"]])).iat[0]
        if cpc in out:
            raise HilirDataError(
                f"CPC code {cpc} listed twice",
                path=refdata_label(CPC_FILE),
                row=int(row["_row"]),
                column="cpc",
            )
        out[cpc] = str(row["fao_item"]).strip()
    return out


def normalise_cpc(codes: pd.Series) -> pd.Series:
    """CPC codes as FAOSTAT writes them: no apostrophe, five digits before any ``.nn``.

    ``'01610``, ``01610`` and ``1610`` (a spreadsheet that dropped the leading zero) are all
    ``01610``; ``'01520.01`` stays ``01520.01``. Anything else is returned stripped.
    """
    text = codes.astype("string").str.strip().str.lstrip("'").str.replace(r"\.0$", "", regex=True)
    parts = text.str.extract(r"^(\d{1,5})(\.\d{1,2})?$")
    padded = parts[0].str.zfill(5) + parts[1].fillna("")
    return padded.where(parts[0].notna(), text)


def fao_codes_of_cpc(
    df: pd.DataFrame, column: str, path: PathLikeStr
) -> tuple[pd.Series, pd.Series]:
    """FAO item code of each row of a CPC-coded file, missing where hilir has none.

    Returns
    -------
    tuple of (pandas.Series, pandas.Series)
        The FAO item codes (``<NA>`` for CPC codes outside :data:`CPC_FILE`) and the
        normalised CPC codes, both with ``df``'s index.
    """
    cpc = normalise_cpc(df[column])
    bad = ~cpc.str.fullmatch(r"\d{5}(\.\d{1,2})?").fillna(False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise HilirDataError(
            f"{df[column].iat[i]!r} is not a CPC item code",
            path=path,
            row=int(df["_row"].iat[i]),
            column=column,
        )
    return cpc.map(cpc_items()).astype("string"), cpc


def unknown_cpc_error(long: pd.DataFrame, path: PathLikeStr, column: str) -> HilirDataError:
    """The error for the first row whose CPC item code has no FAO item code in hilir."""
    first = long.loc[long["item_code"].isna()].iloc[0]
    known = ", ".join(f"{c} (item {i})" for c, i in sorted(cpc_items().items()))
    return HilirDataError(
        f"CPC item code {first['cpc']} ({first['item']}) is not in hilir's FAOSTAT item "
        f"concordance (refdata/{CPC_FILE}: {known}); download the file with FAO item codes "
        "(FAOSTAT's 'Item Code' / 'Item Code (FAO)') or pass items=... to read only those",
        path=path,
        row=int(first["_row"]),
        column=column,
    )


def m49_to_code(code: str) -> str | None:
    """Alpha-3 code of a FAOSTAT ``Area Code (M49)``, historic areas included (None if none).

    Historic areas keep the codes of :data:`hilir.sources._comtrade_fields.HISTORIC_NUMERIC`
    (UN M49 historic codes): 58 Belgium-Luxembourg ``BLX``, 200 Czechoslovakia ``CSK``, 230
    Ethiopia PDR ``ETH``, 736 Sudan (former) ``SDN``, 810 USSR ``SUN``, 890 Yugoslav SFR
    ``YUG``, 891 Serbia and Montenegro ``SCG``.
    """
    if not code.isdigit():
        return None
    if int(code) in HISTORIC_NUMERIC:
        return HISTORIC_NUMERIC[int(code)]
    country = pycountry.countries.get(numeric=code.zfill(3))
    return None if country is None else str(country.alpha_3)


#: FAOSTAT's names of areas that no longer exist (FAOSTAT area list, "former" areas).
HISTORIC_AREA_NAMES = frozenset(
    {
        "Belgium-Luxembourg",
        "Czechoslovakia",
        "Ethiopia PDR",
        "Netherlands Antilles (former)",
        "Serbia and Montenegro",
        "Sudan (former)",
        "USSR",
        "Yugoslav SFR",
    }
)


def note_historic(long: pd.DataFrame, path: PathLikeStr) -> None:
    """Warn about kept rows of historic areas (kept under their own code, never split)."""
    historic = long["reporter"].isin(list(HISTORIC_CODES)) | long["area"].isin(
        list(HISTORIC_AREA_NAMES)
    )
    if historic.any():
        areas = sorted(set(long.loc[historic, "area"] + " = " + long.loc[historic, "reporter"]))
        warnings.warn(
            f"{path}: {int(historic.sum())} row(s) of historic areas {areas[:6]}; each is kept "
            "under its own code and not split into its successor states, so series break "
            "where the area ends",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )


def one_unit(long: pd.DataFrame, factor: pd.Series, path: PathLikeStr, column: str) -> pd.DataFrame:
    """Keep one row per reporter, item, element and year when an element comes in two units.

    FAOSTAT can publish one element in two units (``Export Quantity`` in ``t`` and in
    ``1000 Head``; ``Export Value`` in ``1000 US$`` and in ``US$``). Rows in a unit hilir
    cannot use (``factor`` missing) are dropped when a usable row exists for the same key;
    of two usable rows (a scale difference) the finer unit is kept after checking that both
    say the same (within the coarser unit's rounding, half a unit).

    Raises
    ------
    HilirDataError
        Two usable rows that disagree (naming the second).
    """
    key = ["reporter", "item_code", "element_key", "year"]
    dup = long.duplicated(key, keep=False)
    if not dup.any():
        return long
    usable = factor.notna()
    has_usable = usable.groupby([long[k] for k in key]).transform("any")
    drop = dup & ~usable & has_usable
    kept, kept_factor = long.loc[~drop], factor.loc[~drop]
    still = kept.duplicated(key, keep=False) & kept_factor.notna()
    if still.any():
        sub = kept.loc[still].assign(_f=kept_factor[still])
        sub = sub.assign(_a=sub["value"] * sub["_f"]).sort_values("_f", kind="stable")
        for _, group in sub.groupby(key, sort=False):
            slack = group["_f"].max() / 2 + 1e-9 * group["_a"].abs().max()
            if group["_a"].max() - group["_a"].min() > slack:
                raise HilirDataError(
                    f"{group['element'].iat[0]!r} is given twice in different units that "
                    f"disagree ({group['value'].iat[0]} {group['unit'].iat[0]} and "
                    f"{group['value'].iat[-1]} {group['unit'].iat[-1]})",
                    path=path,
                    row=int(group["_row"].max()),
                    column=column,
                )
        kept = kept.drop(index=sub.index[sub.duplicated(key)])
    units = sorted(set(long.loc[dup, "unit"].str.strip()))
    warnings.warn(
        f"{path}: {len(long) - len(kept)} row(s) of elements published in two units {units} "
        "dropped; one row per element is kept, in the unit hilir uses",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )
    return kept


def fao_item_codes(df: pd.DataFrame, code_col: str, path: PathLikeStr) -> pd.Series:
    """FAO item codes of an ``Item Code`` column, without apostrophe or leading zeros."""
    codes = df[code_col].str.strip().str.lstrip("'")
    bad = ~codes.str.fullmatch(r"\d+")
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, code_col].iloc[0]!r} is not a FAO item code",
            path=path,
            row=first_bad(bad, df),
            column=code_col,
        )
    return codes.str.lstrip("0").replace("", "0").astype("string")


def bulk_reporters(
    df: pd.DataFrame, present: dict[str, str], path: PathLikeStr, *, tolerate: bool = False
) -> tuple[np.ndarray, pd.Series]:
    """Alpha-3 code of each row's area, and which rows are countries (not aggregates).

    With ``tolerate`` (a reporter is selected) an area that does not resolve gets ``""``
    instead of an error; the selection then drops it.
    """
    keep = np.ones(len(df), dtype=bool)
    fao_col = present.get("areacode")
    if fao_col is not None:
        fao = pd.to_numeric(df[fao_col].str.strip().str.lstrip("'"), errors="coerce")
        keep = ~(fao.ge(5000) | fao.isin(list(_FAO_AGGREGATE_AREAS))).to_numpy()
        if not keep.all():
            names = sorted(df.loc[~keep, "Area"].unique())
            warnings.warn(
                f"{path}: {int((~keep).sum())} rows of aggregate areas {names[:5]} dropped "
                "(not countries)",
                HilirDataWarning,
                stacklevel=caller_stacklevel(),
            )
    iso_col = present.get("iso3code") or present.get("areacodeiso3")
    m49_col = present.get("areacodem49")
    out = pd.Series(pd.NA, index=df.index, dtype="string")
    todo = pd.Series(keep, index=df.index, copy=True)  # pandas < 3 shares the array
    if iso_col is not None:
        iso = df[iso_col].str.strip().str.upper()
        ok = todo & iso.str.fullmatch(r"[A-Z]{3}")
        out[ok] = iso[ok]
        todo &= ~ok
    if m49_col is not None:
        m49 = df[m49_col].str.strip().str.lstrip("'")
        mapped = m49.map({v: m49_to_code(v) for v in m49[todo].unique()})
        bad = todo & mapped.isna()
        if bad.any() and not tolerate:
            i = bad.to_numpy().nonzero()[0][0]
            raise HilirDataError(
                f"M49 code {m49.iat[i]!r} ({df['Area'].iat[i]}) is not a country",
                path=path,
                row=int(df["_row"].iat[i]),
                column=m49_col,
            )
        out[todo] = mapped[todo]
        todo &= False
    for name in df.loc[todo.to_numpy(), "Area"].unique():
        rows = todo & df["Area"].eq(name)
        try:
            out[rows] = resolve_partner(name)[0]
        except HilirDataError as exc:
            if not tolerate:
                raise HilirDataError(
                    exc.reason, path=path, row=first_bad(rows, df), column="Area"
                ) from exc
    return keep, out.fillna("")
