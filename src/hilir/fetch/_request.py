"""What a user asks ``hilir data fetch`` for, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hilir.errors import HilirOptionError
from hilir.fetch._store import Query
from hilir.provenance.sidecar import Provenance


@dataclass(frozen=True)
class FetchRequest:
    """A fetch: the source, the chains or HS codes, years, reporter, partners, frequency.

    Attributes
    ----------
    source : str
        ``comtrade``, ``bps``, ``faostat``, ``pinksheet``, ``usda``, ``baci``.
    chains : tuple of str
        Registry chains whose HS codes (``product_codes.csv``) or FAO items are asked.
    hs : tuple of str
        More HS codes (2 to 6 digits).
    years : tuple of int
        Years asked (empty: the source's whole file, or the last five years for APIs).
    reporter : str
        ISO alpha-3 reporter (``IDN``).
    partners : {"world", "all"}
        The world total only, or every partner (and the world).
    freq : {"annual", "monthly"}
        Annual or monthly data (UN Comtrade, the Pink Sheet).
    refresh, dry_run, progress : bool
        Download again even if cached; only list the requests; show progress bars.
    url : str, optional
        Another address for a bulk file (when a service moved it).
    options : dict
        Source-specific options (``var``, ``domain`` for BPS; ``release``, ``version`` for
        BACI; ``dataset`` for FAOSTAT).
    """

    source: str
    chains: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    reporter: str = "IDN"
    partners: Literal["world", "all"] = "world"
    freq: Literal["annual", "monthly"] = "annual"
    refresh: bool = False
    dry_run: bool = False
    progress: bool = True
    url: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None, *, allowed: tuple[str, ...] = ()) -> Any:
        """A source option, checked against the names the source knows."""
        unknown = sorted(set(self.options) - set(allowed)) if allowed else []
        if unknown:
            raise HilirOptionError(
                f"unknown option(s) {unknown} for `hilir data fetch {self.source}`; "
                f"valid: {', '.join(allowed)}"
            )
        return self.options.get(name, default)

    def hs_codes(self) -> list[str]:
        """The HS codes asked: the chains' codes from the registry, then ``hs``, de-duplicated.

        Raises
        ------
        HilirOptionError
            An unknown chain or an HS code that is not 2 to 6 digits.
        """
        codes: list[str] = []
        if self.chains:
            from hilir.registry.tables import chains

            table = chains()
            unknown = sorted(set(self.chains) - set(table["chain"]))
            if unknown:
                raise HilirOptionError(f"unknown chain(s) {unknown}; see `hilir chains`")
            for text in table.loc[table["chain"].isin(self.chains), "hs_codes"].dropna():
                codes += [c.strip() for c in str(text).split(";") if c.strip()]
        for code in self.hs:
            if not (code.isdigit() and len(code) in (2, 4, 6)):
                raise HilirOptionError(f"HS code {code!r} is not 2, 4 or 6 digits")
            codes.append(code)
        return list(dict.fromkeys(codes))

    def fao_items(self) -> list[str]:
        """FAO item codes of the chains asked (registry ``item_codes``)."""
        if not self.chains:
            return []
        from hilir.registry.tables import chains

        table = chains()
        items: list[str] = []
        for text in table.loc[table["chain"].isin(self.chains), "item_codes"].dropna():
            items += [c.strip() for c in str(text).split(";") if c.strip()]
        return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Extract:
    """A reader-ready file made from downloads, to be filed as ``hilir data import`` files.

    Attributes
    ----------
    fmt : str
        Reader name (``comtrade``, ``faostat_trade``, ...).
    path : pathlib.Path
        The file (in the cache).
    metas : tuple of dict
        Descriptions of the downloads it was made from (URL, query, retrieval time, sha256,
        licence).
    command : str
        The ``hilir data fetch`` command line.
    reader_args : dict
        Reader options.
    keep : dict
        For a bulk file: the rows to keep (``read_baci`` filters such as ``exporters`` and
        ``hs_prefixes``). ``path`` is then the whole file as unpacked, and :mod:`hilir.data`
        files the rows kept (checked on the whole file) as ``keep_name`` beside it.
    keep_name : str
        The name of the file of the rows kept.
    """

    fmt: str
    path: Path
    metas: tuple[dict[str, Any], ...]
    command: str
    reader_args: dict[str, Any] = field(default_factory=dict)
    keep: dict[str, Any] = field(default_factory=dict)
    keep_name: str = ""


@dataclass
class FetchResult:
    """What a fetch did.

    Attributes
    ----------
    source : str
        The source.
    queries : list of Query
        Every request made (or, with ``dry_run``, that would be made).
    extracts : list of Extract
        Reader-ready files made from the downloads.
    records : list of Provenance
        Sidecars of the snapshots filed in ``data/user/`` (empty with ``dry_run``).
    files : list of pathlib.Path
        Downloads kept in the cache (``user/_fetch/``).
    cache_hits : int
        Requests answered from the cache.
    dry_run : bool
        Whether nothing was downloaded or written.
    """

    source: str
    queries: list[Query] = field(default_factory=list)
    extracts: list[Extract] = field(default_factory=list)
    records: list[Provenance] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    cache_hits: int = 0
    dry_run: bool = False
