"""Reader options typed and checked against the reader's own signature.

``hilir data import FORMAT FILE --option NAME=VALUE`` gives text; each reader declares what
its options are (``keep_port: bool``, ``hs_prefixes: Sequence[str] | None``, ``year: int``).
:func:`reader_options` turns the text into those types and refuses an unknown, misspelt or
missing option with the valid names, so ``keep_port=false`` is false, ``hs_prefixes=0901``
is the list ``["0901"]`` (not four letters) and ``year=2020`` is a number.
"""

from __future__ import annotations

import collections.abc as cabc
import inspect
import os
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from hilir.errors import HilirOptionError

__all__ = ["reader_options"]

_TRUE = {"true", "yes", "1", "y", "ya"}
_FALSE = {"false", "no", "0", "n", "tidak"}
_NONE = {"none", "null", ""}
_SEQUENCES = (cabc.Sequence, cabc.Iterable, cabc.Collection, list, tuple)


def _arms(hint: object) -> list[object]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return list(typing.get_args(hint))
    return [hint]


def _convert(text: str, hint: object, *, name: str, reader: str) -> object:
    """``text`` as the type ``hint`` declares (the first arm of a union that fits)."""
    arms = _arms(hint)
    if type(None) in arms and text.strip().lower() in _NONE:
        return None
    arms = [a for a in arms if a is not type(None)]
    listy = [a for a in arms if typing.get_origin(a) in _SEQUENCES or a in _SEQUENCES]
    if listy and ("," in text or str not in arms):
        return [part.strip() for part in text.split(",") if part.strip()]
    for arm in arms:
        if typing.get_origin(arm) is typing.Literal:
            allowed = [str(v) for v in typing.get_args(arm)]
            if text in allowed:
                return text
            raise HilirOptionError(
                f"option {name!r} of reader {reader!r} must be one of {allowed}, not {text!r}"
            )
        if arm is bool:
            low = text.strip().lower()
            if low in _TRUE | _FALSE:
                return low in _TRUE
            raise HilirOptionError(
                f"option {name!r} of reader {reader!r} is true or false, not {text!r}"
            )
        if arm in (int, float):
            try:
                return arm(text)  # type: ignore[operator]
            except ValueError:
                continue
        if arm is str or arm is os.PathLike or typing.get_origin(arm) is os.PathLike:
            return text
        if typing.get_origin(arm) in (cabc.Mapping, dict) or arm in (cabc.Mapping, dict):
            raise HilirOptionError(
                f"option {name!r} of reader {reader!r} is a mapping and cannot be given on the "
                "command line; call the reader from Python instead"
            )
    wanted = " or ".join(getattr(a, "__name__", str(a)) for a in arms)
    raise HilirOptionError(f"option {name!r} of reader {reader!r} must be {wanted}, not {text!r}")


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    """The parameter types of ``function``; one it names only for type checkers is left out.

    ``typing.get_type_hints`` fails on the whole signature when one annotation names a type
    imported under ``TYPE_CHECKING`` (``distributed.Client``); such a parameter cannot be
    given as text anyway, so the others are resolved one by one.
    """
    try:
        return typing.get_type_hints(function)
    except NameError:
        pass
    found: dict[str, Any] = {}
    names = getattr(inspect.unwrap(function), "__globals__", {})
    for name, annotation in inspect.get_annotations(function).items():
        probe = types.SimpleNamespace(__annotations__={name: annotation}, __globals__=names)
        try:
            found.update(typing.get_type_hints(probe))
        except NameError:
            continue
    return found


def reader_options(
    function: Callable[..., Any],
    raw: Mapping[str, object],
    *,
    reader: str,
    given: tuple[str, ...] = ("source",),
) -> dict[str, Any]:
    """The options of a reader, typed as its signature declares.

    Parameters
    ----------
    function : callable
        The reader (``read_bps_exports`` ...); its first parameter is the file.
    raw : mapping of str to str
        Options as typed on the command line (values that are not text pass unchanged).
    reader : str
        The reader's name, for errors.
    given : tuple of str, default ("source",)
        Options the importer sets itself (not the user's to give).

    Returns
    -------
    dict
        Option name -> typed value.

    Raises
    ------
    HilirOptionError
        An unknown or misspelt option, a required option left out, or a value that is not
        of the option's type (each naming the valid options or values).
    """
    sig = inspect.signature(function)
    hints = _hints(function)
    params = list(sig.parameters.values())[1:]
    options = {p.name: p for p in params if p.name not in given}
    unknown = sorted(set(raw) - set(options))
    if unknown:
        raise HilirOptionError(
            f"reader {reader!r} has no option {', '.join(map(repr, unknown))}; its options: "
            + (", ".join(sorted(options)) or "none")
        )
    required = [n for n, p in options.items() if p.default is inspect.Parameter.empty]
    missing = [n for n in required if n not in raw]
    if missing:
        raise HilirOptionError(
            f"reader {reader!r} needs the option(s) {', '.join(missing)}: pass "
            + " ".join(f"--option {n}=VALUE" for n in missing)
        )
    out: dict[str, Any] = {}
    for name, value in raw.items():
        hint = hints.get(name, str)
        out[name] = (
            _convert(value, hint, name=name, reader=reader) if isinstance(value, str) else value
        )
    return out
