"""Errors of ``hilir data fetch``: offline, a missing or refused key, a service that changed."""

from __future__ import annotations

from hilir.errors import HilirDataError


class HilirFetchError(HilirDataError):
    """A download that could not be made or whose answer hilir cannot use.

    The message names the address asked and what went wrong (no connection, an HTTP status,
    the columns that differ from the documented layout). The command line exits with
    :attr:`exit_code` (3: the service or the connection; nothing was written).

    Parameters
    ----------
    message : str
        What went wrong, in plain words.
    url : str, optional
        The address asked (a key in it is masked).
    """

    exit_code = 3

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(f"{message} (URL: {url})" if url else message)


class HilirFetchKeyError(HilirFetchError):
    """An API key that is missing, or that the service refused (HTTP 401/403).

    The command line exits with 2 (a usage error: set the environment variable and retry).
    """

    exit_code = 2
