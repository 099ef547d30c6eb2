"""Prove a refactor behaviour-neutral: build the data, the charts and the briefs at two commits.

A check, not a test (it takes minutes): ``python benchmarks/freeze_check.py --before REF``.
For the commit ``REF`` (checked out into a temporary git worktree) and for the current work
tree, each in its own processes with that tree's ``src`` first on ``PYTHONPATH`` and its own
empty data folder (``HILIR_DATA_DIR``), it

1. runs ``hilir data build`` and hashes every processed Parquet file (SHA-256);
2. renders every image-baseline case of ``tests/plots_conftest.py`` that both trees define
   and hashes the PNG files;
3. runs ``hilir report --lang all --no-pdf`` and hashes every CSV inside every data bundle
   (``*.zip``) of the reports (ZIP members, not the archives, whose timestamps differ).

It prints one line per compared file and a summary, and exits 1 when any hash differs or a
file exists on one side only (a new image case of the current tree is listed, not failed).
The worktree and the temporary folders are removed afterwards. ``--hashes FILE`` keeps the
commit's hashes in a JSON file (outside the repository) so that a second comparison against
the same commit builds only the work tree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_RENDER = """
import sys
from pathlib import Path
sys.path.insert(0, str(Path({tests!r})))
from plots_conftest import CASES, render_baseline
out = Path({out!r})
for name in sorted(CASES):
    for lang in ("id", "en"):
        render_baseline(name, lang, out)
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(tree: Path, data: Path, code: str, *args: str) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree / "src")
    env["HILIR_DATA_DIR"] = str(data)
    env["MPLBACKEND"] = "Agg"
    subprocess.run([sys.executable, "-c", code, *args], cwd=tree, env=env, check=True)


def _cli(tree: Path, data: Path, *args: str) -> None:
    _run(tree, data, "import sys; from hilir.cli import main; sys.exit(main(sys.argv[1:]))", *args)


def snapshot(tree: Path, work: Path, *, report: bool) -> dict[str, str]:
    """Hashes of the processed data, the rendered image cases and the annex CSVs of a tree.

    Parameters
    ----------
    tree : pathlib.Path
        A checkout of hilir (its ``src``, ``data/raw``, ``notebooks`` and ``tests`` are used).
    work : pathlib.Path
        An empty folder for this tree's data, images and reports.
    report : bool
        Also build the briefs and hash their CSV bundles.

    Returns
    -------
    dict
        ``{"processed/<file>": sha256, "image/<file>": sha256, "annex/<zip>/<member>": ...}``.
    """
    data = work / "data"
    data.mkdir(parents=True)
    _cli(tree, data, "data", "build", "--quiet")
    hashes = {
        f"processed/{p.name}": _sha(p.read_bytes())
        for p in sorted((data / "processed").glob("*.parquet"))
    }
    images = work / "images"
    images.mkdir()
    _run(tree, data, _RENDER.format(tests=str(tree / "tests"), out=str(images)))
    hashes |= {f"image/{p.name}": _sha(p.read_bytes()) for p in sorted(images.glob("*.png"))}
    if report:
        out = work / "reports"
        _cli(tree, data, "report", "--lang", "all", "--no-pdf", "--quiet", "--out", str(out))
        for archive in sorted(out.rglob("*.zip")):
            with zipfile.ZipFile(archive) as zf:
                for member in sorted(zf.namelist()):
                    if member.endswith(".csv"):
                        key = f"annex/{archive.relative_to(out)}/{member}"
                        hashes[key] = _sha(zf.read(member))
    return hashes


def compare(before: dict[str, str], after: dict[str, str]) -> int:
    """Print the comparison and return the number of differences (new image cases excepted)."""
    bad = 0
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            print(f"MISSING AFTER  {key}")
            bad += 1
        elif key not in before:
            new_image = key.startswith("image/")
            print(f"{'new image' if new_image else 'NEW'}      {key}")
            bad += 0 if new_image else 1
        elif before[key] != after[key]:
            print(f"DIFFERENT      {key}")
            bad += 1
        else:
            print(f"same           {key}")
    kinds = {k.split("/", 1)[0] for k in before}
    counts = {kind: sum(k.startswith(kind + "/") for k in before) for kind in sorted(kinds)}
    print(f"compared {counts}; {bad} difference(s)")
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git commit to compare against")
    parser.add_argument("--no-report", action="store_true", help="skip the briefs (faster)")
    parser.add_argument(
        "--only-before", action="store_true", help="only build (and keep) the commit's hashes"
    )
    parser.add_argument(
        "--hashes",
        type=Path,
        metavar="JSON",
        help="keep the commit's hashes in this file and reuse them when it names the same commit",
    )
    args = parser.parse_args(argv)
    commit = subprocess.run(
        ["git", "rev-parse", args.before], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="hilir-freeze-") as tmp_name:
        tmp = Path(tmp_name)
        before = _before(commit, tmp, args)
        if args.only_before:
            return 0
        print("building the work tree ...", flush=True)
        after = snapshot(REPO, tmp / "after", report=not args.no_report)
    return 1 if compare(before, after) else 0


def _before(commit: str, tmp: Path, args: argparse.Namespace) -> dict[str, str]:
    """The hashes of ``commit``: from ``--hashes`` when it holds them, else built."""
    if args.hashes and args.hashes.is_file():
        saved = json.loads(args.hashes.read_text())
        if saved.get("commit") == commit and saved.get("report") == (not args.no_report):
            print(f"hashes of {commit[:12]} from {args.hashes}", flush=True)
            return saved["hashes"]
    worktree = tmp / "before-tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(worktree), commit],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    try:
        print(f"building {commit[:12]} ...", flush=True)
        before = snapshot(worktree, tmp / "before", report=not args.no_report)
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False
        )
    if args.hashes:
        record = {"commit": commit, "report": not args.no_report, "hashes": before}
        args.hashes.write_text(json.dumps(record, indent=1, sort_keys=True))
    return before


if __name__ == "__main__":
    raise SystemExit(main())
