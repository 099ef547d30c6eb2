"""Regenerate the chart image baselines in tests/baseline_images/.

Run from the repository root, with the pinned versions of constraints.txt installed:

    python -m tests.regenerate_baselines            # every chart, both languages
    python -m tests.regenerate_baselines uplift jobs  # some charts

Only regenerate after a deliberate change of a chart; look at the new pictures before
committing them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plots_conftest import CASES, regenerate


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in CASES]
    if unknown:
        print(f"unknown chart cases {unknown}; cases: {sorted(CASES)}", file=sys.stderr)
        return 2
    for path in regenerate(argv or None):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
