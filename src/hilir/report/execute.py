"""Run the brief notebooks: each in its own process and kernel, with a timeout, in parallel.

Each notebook run is a child process (``python -m hilir.report.execute``) that injects the
parameters with papermill and executes the notebook in a fresh kernel. The parent waits
with a timeout per notebook, shows a progress bar, and then reads every executed notebook
back and checks it for error outputs itself, because papermill has been seen to exit
without raising on an error (papermill issues 330 and 501) and a kernel can die in a batch
run (issues 476 and 478). The first failure stops the run: pending notebooks are not
started and running ones are stopped.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Tag of the cell that holds a notebook's parameters (papermill's convention).
PARAMETERS_TAG = "parameters"
#: Tags of cells that papermill adds to an executed notebook.
INJECTED_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})
#: Default timeout of one notebook run, in seconds.
DEFAULT_TIMEOUT = 600.0
#: Exit code of a child whose notebook raised in a cell.
_CELL_ERROR = 3
#: Exit code of a child that failed for another reason (kernel death, bad notebook).
_OTHER_ERROR = 4
#: Prefix of the stderr line on which a runner names the cell it was running when it failed.
_CELL_LINE = "hilir-cell: "


class ReportError(RuntimeError):
    """A report step failed: a notebook raised, timed out or its kernel died.

    The message names the notebook, the cell (its position in the notebook, its execution
    count and its first line) and the error.
    """


@dataclass(frozen=True)
class Job:
    """One notebook run.

    Attributes
    ----------
    name : str
        Label for messages, e.g. ``01_coffee [en]``.
    notebook : pathlib.Path
        The source notebook (never modified).
    output : pathlib.Path
        Where the executed notebook is written.
    parameters : dict
        Values injected after the ``parameters`` cell.
    cwd : pathlib.Path, optional
        Working directory of the kernel (default: the notebook's folder).
    """

    name: str
    notebook: Path
    output: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    cwd: Path | None = None


@dataclass(frozen=True)
class CellError:
    """An error output found in an executed notebook.

    Attributes
    ----------
    cell : int
        1-based position of the cell in the source notebook (injected cells not counted).
    execution_count : int or None
        The ``In [n]`` number of the cell.
    first_line : str
        First non-empty line of the cell's source.
    ename, evalue : str
        Exception class and message.
    """

    cell: int
    execution_count: int | None
    first_line: str
    ename: str
    evalue: str

    def describe(self) -> str:
        """``cell 7 (In [6]: `fig = plots.plot_uplift(...)`): KeyError: 'x'``."""
        count = f"In [{self.execution_count}]: " if self.execution_count is not None else ""
        return f"cell {self.cell} ({count}`{self.first_line}`): {self.ename}: {self.evalue}"


@dataclass
class RunResult:
    """What happened to one :class:`Job`.

    Attributes
    ----------
    job : Job
    status : {"ok", "reused", "error", "timeout", "crashed", "cancelled"}
        ``reused``: not run; the report build carried the run of an earlier build, whose
        inputs are unchanged (:mod:`hilir.report.reuse`).
    seconds : float
        Wall-clock time of the run.
    errors : list of CellError
        Error outputs found in the executed notebook.
    message : str
        Extra detail (kernel death, timeout, the child's last stderr lines).
    """

    job: Job
    status: str
    seconds: float = 0.0
    errors: list[CellError] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        """True if the notebook ran to the end without an error output (now or reused)."""
        return self.status in ("ok", "reused")

    def describe(self) -> str:
        """One paragraph naming the notebook, the cell and the error."""
        head = f"notebook {self.job.notebook.name} ({self.job.name})"
        if self.status == "ok":
            return f"{head}: ok in {self.seconds:.1f} s"
        if self.status == "reused":
            return f"{head}: reused (unchanged since the last build)"
        if self.status == "cancelled":
            return f"{head}: not run (stopped after another notebook failed)"
        parts = [f"{head} failed ({self.status})"]
        parts += [f"  {e.describe()}" for e in self.errors]
        if self.message:
            parts += [f"  {line}" for line in self.message.strip().splitlines()[-8:]]
        return "\n".join(parts)


def first_line(source: str | Sequence[str]) -> str:
    """First non-empty line of a cell source, shortened to 80 characters."""
    text = "".join(source) if not isinstance(source, str) else source
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return ""


def source_cells(nb: Any) -> list[tuple[int, Any]]:
    """The cells of an executed notebook with their 1-based position in the source notebook.

    Cells that papermill added (injected parameters, the error banner) are skipped.
    """
    out = []
    pos = 0
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & INJECTED_TAGS:
            continue
        pos += 1
        out.append((pos, cell))
    return out


def find_errors(nb: Any) -> list[CellError]:
    """Every error output of an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    list of CellError
        In cell order; empty when no cell has an ``error`` output.
    """
    found = []
    for pos, cell in source_cells(nb):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(
                    CellError(
                        cell=pos,
                        execution_count=cell.get("execution_count"),
                        first_line=first_line(cell.get("source", "")),
                        ename=str(out.get("ename", "")),
                        evalue=str(out.get("evalue", "")),
                    )
                )
    return found


def unexecuted_cells(nb: Any) -> list[int]:
    """Positions of non-empty code cells that did not run (an aborted execution)."""
    return [
        pos
        for pos, cell in source_cells(nb)
        if cell.get("cell_type") == "code"
        and first_line(cell.get("source", ""))
        and cell.get("execution_count") is None
    ]


def check_executed(path: Path) -> tuple[list[CellError], list[int]]:
    """Read an executed notebook; return its error outputs and the code cells that never ran."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    return find_errors(nb), unexecuted_cells(nb)


# ---- the child process ----------------------------------------------------------------------


def _child(args: Sequence[str]) -> int:
    """Run one notebook (``python -m hilir.report.execute IN OUT PARAMS_JSON CWD TIMEOUT``).

    The kernel dies with this process (:mod:`hilir.report.children`). When the run fails,
    the cell that was running is named on stderr (:data:`_CELL_LINE`), so a cell that timed
    out or killed its kernel is named although no executed notebook was written.
    """
    nb_in, nb_out, params_json, cwd, timeout = args

    def stop(signum: int, frame: object) -> None:  # the parent's timeout: clean up the kernel
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    import warnings

    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from hilir.report.children import kernel_manager_class

    warnings.simplefilter("ignore", DeprecationWarning)
    tracker = _CellTracker(Path(nb_in))
    try:
        pm.execute_notebook(
            nb_in,
            nb_out,
            parameters=json.loads(params_json),
            kernel_name="python3",
            cwd=cwd,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=float(timeout),
            kernel_manager_class=kernel_manager_class(nb_out),
            on_cell_start=tracker.start,
        )
    except PapermillExecutionError as exc:
        print(f"cell error: {exc.ename}: {exc.evalue}", file=sys.stderr)
        return _CELL_ERROR
    except KeyboardInterrupt:
        print(f"stopped\n{tracker.line()}", file=sys.stderr)
        return _OTHER_ERROR
    except Exception as exc:  # kernel death, cell timeout, unreadable notebook
        print(f"{type(exc).__name__}: {exc}\n{tracker.line()}", file=sys.stderr)
        return _OTHER_ERROR
    return 0


class _CellTracker:
    """Remembers the cell a runner is executing (an nbclient ``on_cell_start`` hook)."""

    def __init__(self, source: Path) -> None:
        import nbformat

        self.sources = [c.get("source", "") for c in nbformat.read(str(source), as_version=4).cells]
        self.current: tuple[int, str] | None = None

    def start(self, cell: Any, cell_index: int, **_: Any) -> None:
        """Record ``cell`` by its 1-based position in the source notebook.

        papermill may have inserted a cell of parameters: the source cell of the same text
        nearest the executed position wins.
        """
        if set(cell.get("metadata", {}).get("tags", [])) & INJECTED_TAGS:
            self.current = None
            return
        text = cell.get("source", "")
        hits = [i for i, s in enumerate(self.sources) if s == text]
        index = min(hits, key=lambda i: abs(i - cell_index)) if hits else cell_index
        self.current = (index + 1, first_line(text))

    def line(self) -> str:
        """The stderr line naming the running cell ('' before the first cell)."""
        if self.current is None:
            return ""
        pos, text = self.current
        return _CELL_LINE + json.dumps({"cell": pos, "first_line": text})


def running_cell(stderr: str) -> tuple[int, str] | None:
    """The cell a failed runner named on stderr: (1-based position, first line), or None."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(_CELL_LINE):
            try:
                rec = json.loads(line[len(_CELL_LINE) :])
                return int(rec["cell"]), str(rec["first_line"])
            except (ValueError, KeyError, TypeError):
                return None
    return None


# ---- the parent -------------------------------------------------------------------------------


def run_job(
    job: Job, *, timeout: float = DEFAULT_TIMEOUT, stop: threading.Event | None = None
) -> RunResult:
    """Execute one notebook in a child process and check the result.

    Parameters
    ----------
    job : Job
    timeout : float, default 600
        Seconds the whole notebook may take (also the limit of any one cell).
    stop : threading.Event, optional
        When set (another notebook failed), the run is stopped and reported cancelled.

    Returns
    -------
    RunResult
        ``status`` is ``ok`` only if the child succeeded, the executed notebook exists,
        holds no error output and every code cell ran.
    """
    from hilir.report.children import child_environment, die_with_parent, kill_tree, record_child

    job.output.parent.mkdir(parents=True, exist_ok=True)
    cwd = job.cwd or job.notebook.parent
    cmd = [
        sys.executable,
        "-W",
        "ignore:'hilir.report.execute' found in sys.modules:RuntimeWarning",
        "-m",
        "hilir.report.execute",
        str(job.notebook),
        str(job.output),
        json.dumps(dict(job.parameters)),
        str(cwd),
        str(timeout),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_environment(),
        start_new_session=True,
        preexec_fn=die_with_parent(),  # never outlives the build (Linux)
    )
    record_child(job.output, proc.pid, str(job.output))  # or the next build stops it
    err_chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: err_chunks.append(proc.stderr.read() if proc.stderr else b""),
        daemon=True,
    )
    reader.start()
    status = ""
    deadline = t0 + timeout + 30.0  # the child enforces the cell timeout; this is a backstop
    while proc.poll() is None:
        if stop is not None and stop.is_set():
            kill_tree(proc)
            status = "cancelled"
            break
        if time.perf_counter() > deadline:
            kill_tree(proc)
            status = "timeout"
            break
        time.sleep(0.1)
    reader.join(timeout=5)
    seconds = time.perf_counter() - t0
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    if status == "cancelled":
        return RunResult(job, "cancelled", seconds)
    return _judge(job, status, proc.returncode, stderr, timeout=timeout, seconds=seconds)


def _judge(
    job: Job, status: str, returncode: int | None, stderr: str, *, timeout: float, seconds: float
) -> RunResult:
    """The result of a finished runner: its executed notebook, stderr and exit code."""
    running = running_cell(stderr)
    stderr = "\n".join(x for x in stderr.splitlines() if not x.startswith(_CELL_LINE))
    errors: list[CellError] = []
    never_ran: list[int] = []
    if job.output.is_file():
        try:
            errors, never_ran = check_executed(job.output)
        except Exception as exc:  # a truncated notebook
            stderr += f"\nexecuted notebook unreadable: {exc}"
    else:
        stderr += "\nno executed notebook was written"
    if status == "timeout" or "CellTimeoutError" in stderr or "Cell execution timed out" in stderr:
        if running and not errors:
            why = f"timed out after {timeout:g} s"
            errors = [CellError(running[0], None, running[1], "CellTimeoutError", why)]
        return RunResult(
            job, "timeout", seconds, errors, f"timed out after {timeout:g} s\n{stderr}"
        )
    if errors:
        return RunResult(job, "error", seconds, errors, "")
    if returncode != 0 or not job.output.is_file() or never_ran:
        detail = stderr
        died = "DeadKernelError" in stderr or "Kernel died" in stderr
        if died:
            detail = "the kernel died\n" + stderr
        if never_ran:
            detail += f"\ncode cells {never_ran} never ran"
        found = []
        if running:
            ename = "DeadKernelError" if died else "RunnerError"
            why = "the kernel died running this cell" if died else "the run stopped in this cell"
            found = [CellError(running[0], None, running[1], ename, why)]
        return RunResult(job, "crashed", seconds, found, detail)
    return RunResult(job, "ok", seconds)


def run_jobs(
    jobs: Iterable[Job],
    *,
    workers: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    fail_fast: bool = True,
    on_done: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Execute notebooks in parallel, each in its own process and kernel.

    Parameters
    ----------
    jobs : iterable of Job
    workers : int, default 1
        Notebooks run at the same time.
    timeout : float, default 600
        Seconds per notebook.
    progress : bool, default True
        Show a tqdm progress bar on stderr.
    fail_fast : bool, default True
        Stop everything after the first failure.
    on_done : callable, optional
        Called with each result as it arrives.

    Returns
    -------
    list of RunResult
        In the order of ``jobs``; ``cancelled`` for notebooks not run after a failure.
    """
    from hilir.progress import progress_bar as tqdm

    jobs = list(jobs)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, not {workers}")
    stop = threading.Event()
    results: dict[int, RunResult] = {}
    bar = tqdm(total=len(jobs), desc="notebooks", unit="nb", disable=not progress, leave=True)

    def one(i: int) -> RunResult:
        if stop.is_set():
            return RunResult(jobs[i], "cancelled")
        return run_job(jobs[i], timeout=timeout, stop=stop)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[RunResult], int] = {pool.submit(one, i): i for i in range(len(jobs))}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                res = fut.result()
                results[futures[fut]] = res
                if res.status != "cancelled":
                    bar.update(1)
                    bar.set_postfix_str(f"{res.job.name}: {res.status}", refresh=True)
                if not res.ok and res.status != "cancelled" and fail_fast:
                    stop.set()
                if on_done is not None:
                    on_done(res)
    bar.close()
    return [results[i] for i in range(len(jobs))]


if __name__ == "__main__":  # pragma: no cover - exercised through run_job
    sys.exit(_child(sys.argv[1:]))
