"""tsukit.Error and its subclasses: one per C status (common/tk_status.h).

Every failure of a tsukit call raises a subclass of :class:`Error` that
carries the C status code (``status``, an int), its symbolic name
(``status_name``, e.g. ``"EINVAL"``) and the one-line message of the C
library or of the Python-side argument check (``message``).  Each
subclass also derives from the closest built-in exception, so
``except ValueError`` catches a bad argument as usual.
"""

# The C list, in enum order (common/tk_status.h): name, message.
STATUS = [
    ("OK", "success"),
    ("EINVAL", "invalid argument"),
    ("ERANGE", "value out of range"),
    ("ENOMEM", "out of memory"),
    ("EIO", "input/output error"),
    ("EFORMAT", "corrupt or unexpected file content"),
    ("ENOTFOUND", "not found"),
    ("EEXIST", "already exists"),
    ("ENUMERIC", "numerical failure (NaN, divergence or no convergence)"),
    ("ESPICE", "ngspice failure"),
    ("EINTERRUPT", "interrupted"),
    ("EUNSUPPORTED", "not supported by this build"),
    ("EINTERNAL", "internal error"),
]
CODE = {name: i for i, (name, _) in enumerate(STATUS)}


class Error(Exception):
    """A tsukit failure: ``status`` (C tk_status code), ``status_name``,
    ``message`` (one line, names the problem)."""

    status = CODE["EINTERNAL"]

    def __init__(self, message: str, status: int = None):
        if status is not None:
            self.status = status
        self.message = message
        super().__init__(message)

    @property
    def status_name(self) -> str:
        if 0 <= self.status < len(STATUS):
            return STATUS[self.status][0]
        return "unknown"

    def __str__(self) -> str:
        return f"{self.message} [{self.status_name}]"


class InvalidArgument(Error, ValueError):
    """TK_EINVAL: a bad argument (wrong dtype, shape, NaN, kind ...)."""
    status = CODE["EINVAL"]


class OutOfRange(Error, ValueError):
    """TK_ERANGE: a value outside its valid range."""
    status = CODE["ERANGE"]


class OutOfMemory(Error, MemoryError):
    """TK_ENOMEM."""
    status = CODE["ENOMEM"]


class IOFailure(Error, OSError):
    """TK_EIO: a file could not be read or written (missing file ...)."""
    status = CODE["EIO"]


class FormatError(Error, ValueError):
    """TK_EFORMAT: a file of the wrong kind or with corrupt content."""
    status = CODE["EFORMAT"]


class NotFound(Error, LookupError):
    """TK_ENOTFOUND: a cell, a model or a dataset that is not there."""
    status = CODE["ENOTFOUND"]


class AlreadyExists(Error, FileExistsError):
    """TK_EEXIST: an output exists (pass force=True to replace it)."""
    status = CODE["EEXIST"]


class NumericalError(Error, ArithmeticError):
    """TK_ENUMERIC: NaN, divergence or no convergence."""
    status = CODE["ENUMERIC"]


class SpiceError(Error):
    """TK_ESPICE: ngspice failed."""
    status = CODE["ESPICE"]


class Interrupted(Error):
    """TK_EINTERRUPT: the run was stopped (a progress callback asked)."""
    status = CODE["EINTERRUPT"]


class Unsupported(Error, NotImplementedError):
    """TK_EUNSUPPORTED: a feature tsukit's engine does not have."""
    status = CODE["EUNSUPPORTED"]


class InternalError(Error):
    """TK_EINTERNAL."""
    status = CODE["EINTERNAL"]


_BY_STATUS = {c.status: c for c in (
    InvalidArgument, OutOfRange, OutOfMemory, IOFailure, FormatError,
    NotFound, AlreadyExists, NumericalError, SpiceError, Interrupted,
    Unsupported, InternalError)}


def from_status(status: int, message: str) -> Error:
    """The exception for a C status and message."""
    cls = _BY_STATUS.get(status, Error)
    return cls(message, status)
