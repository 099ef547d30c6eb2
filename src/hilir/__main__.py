"""``python -m hilir``: the ``hilir`` command without its console script (e.g. on Windows)."""

from hilir.cli import main

raise SystemExit(main())
