"""The version of hilir (one place; ``hilir.__version__`` re-exports it)."""

__version__ = "0.1.0"
