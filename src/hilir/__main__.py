"""``python -m hilir``: the ``hilir`` command without its console script (e.g. on Windows)."""

from hilir.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
