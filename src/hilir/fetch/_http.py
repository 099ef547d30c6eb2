"""The HTTP layer of ``hilir data fetch``: retries with backoff, resumable streamed downloads.

Everything goes through :mod:`requests` (imported lazily: the core install does not need
it; ``pip install "hilir[fetch]"``), so the tests mock it with :mod:`responses`. A download
is written to ``NAME.part`` in the folder of its destination and renamed into place only when
complete; an interrupted download leaves the ``.part`` file, which the next call resumes with
an HTTP ``Range`` request when the server allows it (``206 Partial Content``), and otherwise
starts again.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hilir.fetch._errors import HilirFetchError, HilirFetchKeyError

#: Attempts per request (the first and the retries) and the first wait between them (s).
RETRIES = 4
BACKOFF_S = 1.0
TIMEOUT_S = 120.0
CHUNK = 1 << 20
#: HTTP statuses worth retrying: too many requests and server-side failures.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_KEY_PATTERN = re.compile(r"(subscription-key=|/key/)[^&/]+", re.IGNORECASE)


def mask(url: str) -> str:
    """The address with any API key replaced by ``***`` (for messages and sidecars)."""
    return _KEY_PATTERN.sub(r"\1***", url)


def _requests() -> Any:
    try:
        import requests
    except ImportError as exc:  # pragma: no cover - the fetch extra is missing
        raise HilirFetchError(
            'hilir data fetch needs the "fetch" extra: pip install "hilir[fetch]"'
        ) from exc
    return requests


def _check_status(resp: Any, url: str, key_env: str | None) -> None:
    if resp.status_code in (401, 403):
        hint = f"; check the key in the environment variable {key_env}" if key_env else ""
        raise HilirFetchKeyError(
            f"the service refused the request (HTTP {resp.status_code}){hint}", url=mask(url)
        )
    if resp.status_code == 404:
        raise HilirFetchError(
            "the address does not exist (HTTP 404): the service may have moved the file; "
            "see the source's page and pass the new address with --url",
            url=mask(url),
        )
    if resp.status_code >= 400:
        raise HilirFetchError(f"the service answered HTTP {resp.status_code}", url=mask(url))


def _wait(attempt: int, resp: Any = None) -> None:
    after = getattr(resp, "headers", {}).get("Retry-After") if resp is not None else None
    delay = float(after) if after and str(after).isdigit() else BACKOFF_S * 2**attempt
    time.sleep(min(delay, 60.0))


def request(
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    stream: bool = False,
    key_env: str | None = None,
) -> Any:
    """GET an address, retrying connection failures, 429 and 5xx with exponential backoff.

    Parameters
    ----------
    url : str
        Address.
    params, headers : mapping, optional
        Query parameters and request headers.
    stream : bool, default False
        Stream the body (for large files).
    key_env : str, optional
        Environment variable of the key, named in the message of a 401/403.

    Returns
    -------
    requests.Response
        A response with a status below 400 (206 for a resumed range).

    Raises
    ------
    HilirFetchKeyError
        HTTP 401 or 403.
    HilirFetchError
        No connection after the retries (offline?), a timeout, 404 or another error status.
    """
    requests = _requests()
    last: Exception | None = None
    for attempt in range(RETRIES):
        try:
            resp = requests.get(
                url, params=params, headers=dict(headers or {}), stream=stream, timeout=TIMEOUT_S
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            last = exc
            if attempt < RETRIES - 1:
                _wait(attempt)
            continue
        if resp.status_code in RETRY_STATUS and attempt < RETRIES - 1:
            _wait(attempt, resp)
            continue
        _check_status(resp, resp.url or url, key_env)
        return resp
    raise HilirFetchError(
        f"no connection after {RETRIES} attempts ({type(last).__name__}): is this machine "
        "online? Nothing was written",
        url=mask(url),
    )


def _progress(total: int | None, initial: int, name: str, show: bool) -> Any:
    from hilir.progress import progress_bar as tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=name,
        disable=not show,
        leave=False,
    )


def download(url: str, dest: Path, *, progress: bool = True, key_env: str | None = None) -> Path:
    """Stream an address to ``dest``: resumable, with a progress bar, renamed when complete.

    Parameters
    ----------
    url : str
        Address of the file.
    dest : pathlib.Path
        Final path. The bytes go to ``dest`` + ``.part`` in the same folder first.
    progress : bool, default True
        Show a progress bar (tqdm) on standard error.
    key_env : str, optional
        Environment variable of a key, for the message of a 401/403.

    Returns
    -------
    pathlib.Path
        ``dest``, complete.

    Raises
    ------
    HilirFetchError
        As :func:`request`, or a body shorter than the ``Content-Length`` announced (the
        ``.part`` file is kept, and the next call resumes it).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    resp = request(url, headers=headers, stream=True, key_env=key_env)
    if have and resp.status_code != 206:  # the server ignored the range: start again
        have = 0
    size = resp.headers.get("Content-Length")
    total = have + int(size) if size and size.isdigit() else None
    requests = _requests()
    with (
        part.open("ab" if have else "wb") as out,
        _progress(total, have, dest.name, progress) as bar,
    ):
        try:
            for chunk in resp.iter_content(CHUNK):
                out.write(chunk)
                bar.update(len(chunk))
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise HilirFetchError(
                f"the download stopped after {out.tell():,} bytes ({type(exc).__name__}); run "
                f"the same command again to resume it from {part.name}",
                url=mask(url),
            ) from exc
    got = part.stat().st_size
    if total is not None and got < total:
        raise HilirFetchError(
            f"the download stopped after {got:,} of {total:,} bytes; run the same command "
            f"again to resume it from {part.name}",
            url=mask(url),
        )
    os.replace(part, dest)
    return dest
