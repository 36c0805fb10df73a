"""Domain exceptions: each carries a message a reader understands."""

from __future__ import annotations


class EnfaceError(Exception):
    """Base of every error Enface reports to a person; ``str(exc)`` is the message."""

    status = 400
    title: str | None = None  # the heading a page shows (else one by status)


class ImportFailed(EnfaceError):
    """A file, folder or URL could not be imported."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class TooLarge(ImportFailed):
    """Input over the configured size limit."""

    status = 413


class NotFound(EnfaceError):
    """A document, unit, job or model that does not exist."""

    status = 404
    title = "Not found"


class Conflict(EnfaceError):
    """A stale edit: the unit changed since the revision the edit was based on."""

    status = 409
    title = "Changed in the meantime"

    def __init__(self, message: str, current: dict | None = None) -> None:
        super().__init__(message)
        self.current = current


class ModelError(EnfaceError):
    """A translation model is missing, invalid, or could not be installed."""


class NoModel(ModelError):
    """No installed model covers a language pair."""

    title = "No translation model yet"

    def __init__(self, from_code: str, to_code: str) -> None:
        super().__init__(
            f"No translation model for {from_code} → {to_code} is installed. "
            f"Install one with “enface models install {from_code} {to_code}” (online) or "
            f"“enface models install --file PATH.argosmodel”, or upload it on the Models page."
        )
        self.from_code = from_code
        self.to_code = to_code


class Offline(ModelError):
    """The Argos package index or a model download could not be reached."""



class WrongDocument(EnfaceError):
    """An exchange file (TMX/XLIFF) made for another document or another language pair."""

    status = 409
