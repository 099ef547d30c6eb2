"""Build the reports: run every brief notebook in each language and write all outputs.

For each notebook and language: the executed notebook, the policymaker and analyst HTML
editions, the Excel annex, the ZIP of CSVs and (with Chromium) the PDF of the policymaker
edition; plus ``index.html``. Everything is built in a temporary folder next to the
output folder and moved into place only when every step succeeded, so a failed build
leaves no partial output in ``reports/``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hilir.brief.texts import say
from hilir.report.children import CHILDREN
from hilir.report.execute import (
    DEFAULT_TIMEOUT,
    PARAMETERS_TAG,
    Job,
    ReportError,
    RunResult,
    run_jobs,
)
from hilir.report.index import output_names, scan_entries, write_index
from hilir.report.outdir import (
    TMP_MARKER,
    check_out_dir,
    listed_files,
    make_work_dir,
    remove_stale_work_dirs,
    swap_in,
    write_marker,
)
from hilir.report.params import check_data, resolve_params

LANGS: tuple[str, ...] = ("id", "en")
#: Notebooks are found by this pattern: numbered, e.g. ``01_coffee.ipynb``.
PATTERN = "[0-9][0-9]_*.ipynb"


@dataclass
class ReportResult:
    """What a report build produced.

    Attributes
    ----------
    out_dir : pathlib.Path
    runs : list of RunResult
    files : list of pathlib.Path
        Files written (final locations).
    notices : list of str
        Steps skipped, e.g. PDFs without Chromium (English, for the command line).
    notice_keys : list of str
        The same notices as catalogue keys, which the index page says in each language.
    seconds : dict of str to float
        Wall-clock time of each phase (``data``, ``execute``, ``export``, ``pdf``, ``total``).
    reused : list of str
        The runs (``01_coffee [en]``) carried from the earlier report, not executed again:
        their notebook, code, data, parameters and language are unchanged.
    executed : list of str
        The runs executed by this build.
    """

    out_dir: Path
    runs: list[RunResult] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    notice_keys: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)

    def message(self) -> str:
        """Summary for the command line."""
        n = len([r for r in self.runs if r.ok])
        lines = [
            f"reports written to {self.out_dir}: {n} notebook runs "
            f"(reused {len(self.reused)}, executed {len(self.executed)}), "
            f"{len(self.files)} files in {self.seconds.get('total', 0.0):.0f} s "
            f"(execute {self.seconds.get('execute', 0.0):.0f} s, "
            f"export {self.seconds.get('export', 0.0):.0f} s, "
            f"pdf {self.seconds.get('pdf', 0.0):.0f} s)"
        ]
        lines += _reuse_lines(self.reused, self.executed)
        lines += [f"  notice: {n}" for n in self.notices]
        return "\n".join(lines)


def _grouped(names: Sequence[str]) -> str:
    """``01_coffee [id, en], 02_rubber [en]`` from ``01_coffee [id]``, ``01_coffee [en]`` ..."""
    by_brief: dict[str, list[str]] = {}
    for name in names:
        stem, _, lang = name.partition(" [")
        by_brief.setdefault(stem, []).append(lang.rstrip("]"))
    return ", ".join(f"{stem} [{', '.join(langs)}]" for stem, langs in by_brief.items())


def _reuse_lines(reused: Sequence[str], executed: Sequence[str]) -> list[str]:
    """What a build reused and executed, for the command line."""
    if reused and not executed:
        return [
            f"  nothing re-executed: all {len(reused)} notebook runs reused, their notebook, "
            "code, data, parameters and language are unchanged since the last build "
            "(--force runs them again)",
            f"  reused: {_grouped(reused)}",
        ]
    lines = []
    if reused:
        lines.append(f"  reused (unchanged since the last build): {_grouped(reused)}")
    if reused and executed:
        lines.append(f"  executed (changed or new): {_grouped(executed)}")
    return lines


def notebooks_dir() -> Path:
    """The brief notebooks: ``$HILIR_NOTEBOOKS_DIR``, the checkout's or the installed package's.

    See :func:`hilir.paths.notebooks_dir`.
    """
    from hilir.paths import notebooks_dir as _notebooks_dir

    return _notebooks_dir()


def find_notebooks(folder: str | Path | None = None) -> list[Path]:
    """Numbered brief notebooks in ``folder``, sorted by name."""
    root = Path(folder) if folder is not None else notebooks_dir()
    return sorted(p for p in root.glob(PATTERN) if p.is_file())


def select_notebooks(notebooks: Sequence[Path], only: Iterable[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (``01_coffee``, ``coffee`` or ``01``), in order.

    Raises
    ------
    ReportError
        A name that matches no notebook (the message lists the names).
    """
    if not only:
        return list(notebooks)
    chosen: list[Path] = []
    for name in only:
        key = Path(name).stem
        hits = [
            p
            for p in notebooks
            if p.stem == key or p.stem.split("_", 1)[-1] == key or p.stem.split("_", 1)[0] == key
        ]
        if not hits:
            have = ", ".join(p.stem for p in notebooks)
            raise ReportError(f"no notebook named {name!r}; notebooks: {have}")
        chosen += [p for p in hits if p not in chosen]
    return [p for p in notebooks if p in chosen]


def has_parameters_cell(path: Path) -> bool:
    """True if the notebook has a code cell tagged ``parameters``."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    return any(
        c.get("cell_type") == "code" and PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])
        for c in nb.cells
    )


def brief_title(name: str, lang: str, *, chain: str | None = None) -> str:
    """Title of a brief (:func:`hilir.brief.blocks.catalogue_title`), else its name."""
    from hilir.brief.blocks import catalogue_title

    return catalogue_title(name, lang, chain=chain)[0]


def _links(
    name: str, lang: str, edition: str, *, languages: Iterable[str] = LANGS
) -> list[tuple[str, str]]:
    """Links of a brief's top bar, as relative paths.

    The other edition, the same edition in the other language (when ``languages`` has it),
    the annex, the data and the index.
    """
    names = output_names(name)
    other = "analyst" if edition == "policymaker" else "policymaker"
    links = [(say(f"index.kind.{other}", lang), names[other])]
    links += [
        (say("edition.other_language", lang), f"../{code}/{names[edition]}")
        for code in LANGS
        if code != lang and code in set(languages)
    ]
    links += [
        (say("index.kind.annex", lang), names["annex"]),
        (say("index.kind.data", lang), names["data"]),
        (say("index.all_briefs", lang), "../index.html"),
    ]
    return links


def export_brief(
    executed: Path, folder: Path, *, name: str, lang: str, languages: Iterable[str] = LANGS
) -> list[Path]:
    """Write both HTML editions, the Excel annex and the CSV ZIP of one executed notebook.

    ``languages`` are those the report holds this brief in: each edition links to the same
    edition in the other language when it is among them.
    """
    import nbformat

    from hilir.brief.payload import payloads
    from hilir.fileio import atomic_write_text
    from hilir.report.annex import write_annex, write_data_zip
    from hilir.report.export import export_html

    nb = nbformat.read(str(executed), as_version=4)
    ran = (nb.metadata.get("papermill") or {}).get("parameters") or {}
    title = brief_title(name, lang, chain=ran.get("chain"))
    names = output_names(name)
    written = []
    for edition in ("policymaker", "analyst"):
        text = export_html(
            nb,
            edition=edition,
            lang=lang,
            title=title,
            links=_links(name, lang, edition, languages=languages),
        )
        path = atomic_write_text(folder / names[edition], text)
        path.chmod(0o644)
        written.append(path)
    docs = payloads(nb)
    written.append(
        write_annex(
            docs, folder / names["annex"], title=title, lang=lang, brief_file=names["policymaker"]
        )
    )
    written.append(
        write_data_zip(
            docs, folder / names["data"], title=title, lang=lang, brief_file=names["policymaker"]
        )
    )
    return written


def _carry_over(out: Path, tmp: Path, names: Iterable[str]) -> None:
    """Link (or copy) the files ``names`` of the old report ``out`` into the new one ``tmp``."""
    for name in sorted(names):
        src, dest = out / name, tmp / name
        if not src.is_file() or dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)


def build_report(
    out: str | Path = "reports",
    *,
    langs: Sequence[str] = LANGS,
    only: Iterable[str] | None = None,
    jobs: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    notebooks: str | Path | None = None,
    pdf: bool = True,
    progress: bool = True,
    build_data: bool = True,
    reuse: bool = True,
    params: Mapping[str, Any] | None = None,
) -> ReportResult:
    """Run the brief notebooks and write the reports.

    Parameters
    ----------
    out : str or pathlib.Path, default "reports"
        Output folder. A full build replaces it; a build with ``only`` replaces just the
        files of those briefs and rewrites the index. Only a folder an earlier build wrote
        (its marker lists every file in it) may be replaced: see
        :func:`hilir.report.outdir.check_out_dir`.
    langs : sequence of {"id", "en"}, default ("id", "en")
    only : iterable of str, optional
        Notebook names (``01_coffee``, ``coffee`` or ``01``).
    jobs : int, default 1
        Notebooks executed (and PDFs printed) at the same time.
    timeout : float, default 600
        Seconds per notebook run.
    notebooks : str or pathlib.Path, optional
        Folder of the notebooks (default :func:`notebooks_dir`).
    pdf : bool, default True
        Print the policymaker editions to PDF when Chromium is installed.
    progress : bool, default True
        Progress bar on stderr.
    build_data : bool, default True
        Build ``data/processed`` first (once, so the notebooks never build it in parallel).
    reuse : bool, default True
        Carry over from the earlier report in ``out`` every notebook run whose inputs are
        unchanged (notebook, hilir code, processed data, parameters, language) instead of
        executing it again; False (``--force``) executes every notebook
        (:mod:`hilir.report.reuse`).
    params : mapping of str to object, optional
        Values injected into every selected notebook (``--param NAME=VALUE``); each name
        must be in the ``parameters`` cell of each of them, and the data the values need are
        checked before any notebook runs (:mod:`hilir.report.params`).

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        An output folder hilir did not write (or the working, home, data or notebooks
        folder), a notebook without a ``parameters`` cell, a notebook that fails (the
        message names the notebook, the cell and the error), an export or PDF step that
        fails. Nothing is written to ``out`` then.
    """
    t_start = time.perf_counter()
    langs = list(dict.fromkeys(langs))
    folder = Path(notebooks) if notebooks is not None else notebooks_dir()
    chosen = _check_request(langs, jobs, folder, only)
    values = resolve_params(chosen, params)  # unknown names are refused before any work
    result = ReportResult(out_dir=Path(out).resolve())
    check_out_dir(result.out_dir, keep=[folder])
    if build_data:
        t0 = time.perf_counter()
        from hilir.data.pipeline import build

        build(progress=False)
        result.seconds["data"] = time.perf_counter() - t0
    check_data(values, params or {})  # missing data are named before any notebook runs

    out_dir = result.out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_work_dirs(out_dir)  # left by a build that was killed
    tmp = make_work_dir(out_dir)
    try:
        work = [
            Job(
                name=f"{p.stem} [{lang}]",
                notebook=p.resolve(),
                output=tmp / "notebooks" / lang / p.name,
                parameters={"lang": lang, **dict(params or {})},
                cwd=p.resolve().parent,
            )
            for p in chosen
            for lang in langs
        ]
        t0 = time.perf_counter()
        plans = _plan(
            work, tmp, out_dir, folder, reuse=reuse, langs=langs, only=bool(only), pdf=pdf
        )
        to_run = [plan.job for plan in plans if not plan.reused]
        result.reused = [plan.job.name for plan in plans if plan.reused]
        result.executed = [job.name for job in to_run]
        if progress and result.reused:
            print(
                f"hilir report: reused {len(result.reused)}, executing {len(to_run)} "
                f"notebook runs (reused: {_grouped(result.reused)})",
                file=sys.stderr,
            )
        result.seconds["fingerprint"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        ran = iter(
            run_jobs(to_run, workers=jobs, timeout=timeout, progress=progress and bool(to_run))
        )
        runs = [RunResult(plan.job, "reused") if plan.reused else next(ran) for plan in plans]
        result.seconds["execute"] = time.perf_counter() - t0
        result.runs = runs
        failed = [r for r in runs if not r.ok and r.status != "cancelled"]
        if failed:
            raise ReportError(
                "report build stopped; nothing was written to "
                f"{out_dir}:\n" + "\n".join(r.describe() for r in failed)
            )

        t0 = time.perf_counter()
        written: list[Path] = []
        for plan in plans:
            if plan.carried:
                continue
            job = plan.job
            lang, stem = job.parameters["lang"], job.notebook.stem
            written += export_brief(
                job.output, tmp / lang, name=stem, lang=lang, languages=plan.languages
            )
        result.seconds["export"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        if pdf:
            unprinted = [plan.job for plan in plans if not plan.has_pdf]
            if unprinted:
                written += _print_pdfs(unprinted, tmp, jobs=jobs, result=result)
        result.seconds["pdf"] = time.perf_counter() - t0

        records = {plan.rel: plan.record(tmp) for plan in plans}
        _write_index(tmp, out_dir, chosen, folder, only=bool(only), result=result, records=records)
        result.files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    result.seconds["total"] = time.perf_counter() - t_start
    return result


def _languages_held(out_dir: Path, name: str, langs: Sequence[str], *, partial: bool) -> list[str]:
    """Languages the new report holds brief ``name`` in.

    Those built now and, for a partial build (``only``), those of the earlier report it keeps.
    """
    file = output_names(name)["policymaker"]
    kept = [code for code in LANGS if partial and (out_dir / code / file).is_file()]
    return [code for code in LANGS if code in langs or code in kept]


def _check_request(
    langs: list[str], jobs: int, folder: Path, only: Iterable[str] | None
) -> list[Path]:
    """The notebooks a build runs, after checking the languages, workers and notebooks."""
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise ReportError(f"languages must be among {list(LANGS)}, not {langs}")
    if jobs < 1:
        raise ReportError(f"--jobs must be >= 1, not {jobs}")
    chosen = select_notebooks(find_notebooks(folder), only)
    if not chosen:
        raise ReportError(f"no notebooks matching {PATTERN} in {folder}")
    missing = [p.name for p in chosen if not has_parameters_cell(p)]
    if missing:
        raise ReportError(
            f"notebooks without a cell tagged '{PARAMETERS_TAG}': {', '.join(missing)} "
            "(papermill would silently run them with their defaults)"
        )
    return chosen


@dataclass
class _Plan:
    """What a build does with one job: run it, or carry its earlier run (and its files)."""

    job: Job
    rel: str  # the executed notebook, relative to the report folder
    fingerprint: str
    export: str
    languages: list[str]
    reused: bool = False  # the executed notebook is carried over, not run
    carried: bool = False  # its HTML, annex and CSV files too, not exported again
    has_pdf: bool = False  # and its PDF

    def record(self, tmp: Path) -> dict[str, Any]:
        """The marker's record of this job in the finished work folder ``tmp``."""
        from hilir.report.reuse import file_sha256

        lang = self.job.parameters["lang"]
        names = [f"{lang}/{n}" for n in output_names(self.job.notebook.stem).values()]
        return {
            "fingerprint": self.fingerprint,
            "sha256": file_sha256(tmp / self.rel),
            "export": self.export,
            "outputs": {n: file_sha256(tmp / n) for n in names if (tmp / n).is_file()},
        }


def _plan(
    work: Sequence[Job],
    tmp: Path,
    out_dir: Path,
    folder: Path,
    *,
    reuse: bool,
    langs: Sequence[str],
    only: bool,
    pdf: bool,
) -> list[_Plan]:
    """Fingerprint every job; carry into ``tmp`` the earlier runs that can be reused."""
    from hilir.report import reuse as r

    code, data = r.code_fingerprint(), r.data_fingerprint()
    support = r.folder_fingerprint(folder, recursive=False, exclude=find_notebooks(folder))
    earlier = r.Earlier.read(out_dir) if reuse else r.Earlier(out_dir)
    plans = []
    for job in work:
        lang, stem = job.parameters["lang"], job.notebook.stem
        fp = r.job_fingerprint(job.notebook, job.parameters, code=code, data=data, support=support)
        held = _languages_held(out_dir, stem, langs, partial=only)
        rel = job.output.relative_to(tmp).as_posix()
        plan = _Plan(job, rel, fp, r.export_key(fp, held), held)
        if reuse and r.reusable_notebook(earlier, rel, fp):
            _carry_over(out_dir, tmp, [rel])
            plan.reused = (tmp / rel).is_file()
            outputs = r.reusable_outputs(earlier, rel, plan.export) if plan.reused else None
            if outputs is not None:
                pdf_name = f"{lang}/{output_names(stem)['pdf']}"
                names = [n for n in outputs if pdf or n != pdf_name]
                _carry_over(out_dir, tmp, names)
                plan.carried = all((tmp / n).is_file() for n in names)
                plan.has_pdf = pdf_name in names and plan.carried
        plans.append(plan)
    return plans


def _write_index(
    tmp: Path,
    out_dir: Path,
    chosen: Sequence[Path],
    folder: Path,
    *,
    only: bool,
    result: ReportResult,
    records: dict[str, dict[str, Any]],
) -> None:
    """Write ``index.html`` and move the build into ``out_dir`` (merged for ``only``)."""
    # The work folder becomes the report folder; it keeps TMP_MARKER until swapped in.
    (tmp / CHILDREN).unlink(missing_ok=True)  # every child it recorded has finished
    titles = {p.stem: {lang: brief_title(p.stem, lang) for lang in LANGS} for p in chosen}
    if only:
        check_out_dir(out_dir, keep=[folder])  # again: the folder may have changed meanwhile
        earlier = listed_files(out_dir) or set()
        new = {p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()}
        new -= {TMP_MARKER}
        _carry_over(out_dir, tmp, earlier - new - {"index.html"})  # a complete new folder
        all_titles = {
            p.stem: {lang: brief_title(p.stem, lang) for lang in LANGS}
            for p in find_notebooks(folder)
        }
        entries = scan_entries(tmp, {**all_titles, **titles}, LANGS)
        write_index(tmp, entries, notice_keys=result.notice_keys)
        files = earlier | new | {"index.html"}
        from hilir.report.reuse import Earlier

        kept = {k: v for k, v in Earlier.read(out_dir).jobs.items() if k in files - new}
        write_marker(tmp, files, jobs={**kept, **records})
    else:
        entries = scan_entries(tmp, titles, LANGS)
        write_index(tmp, entries, notice_keys=result.notice_keys)
        write_marker(tmp, jobs=records)
    check_out_dir(out_dir, keep=[folder])  # again: the folder may have changed meanwhile
    swap_in(tmp, out_dir)  # out_dir is the old or the new complete report at every moment


def _print_pdfs(work: Sequence[Job], tmp: Path, *, jobs: int, result: ReportResult) -> list[Path]:
    from hilir.report.pdf import find_chromium, print_pdf

    if find_chromium() is None:
        result.notices.append(
            "PDFs skipped: Chromium is not installed (Debian: apt-get install chromium)"
        )
        result.notice_keys.append("index.notice.no_pdf")
        return []
    pairs = []
    for job in work:
        lang = job.parameters["lang"]
        names = output_names(job.notebook.stem)
        pairs.append((tmp / lang / names["policymaker"], tmp / lang / names["pdf"]))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda p: print_pdf(p[0], p[1]), pairs))
