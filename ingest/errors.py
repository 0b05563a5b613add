"""Errors that refuse a whole file. Each carries one clear Italian sentence for the user."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested. `str(err)` is the one line shown to the user."""

    def __init__(self, message: str, *, path: str | None = None, details: tuple[str, ...] = ()):
        self.message = message
        self.path = path
        # what the libraries reported while reading (shown with --verbose), never printed raw
        self.details = details
        super().__init__(message)

    def __str__(self) -> str:
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class UnreadableFile(IngestError):
    """Empty, encrypted, malformed, not text, or a scan with no text layer."""


class NotAPerformanceDocument(IngestError):
    """Readable, but it holds no performance tables (indicators with weights and targets)."""


class UnsupportedFormat(IngestError):
    """A file type the product does not read."""


class InvalidDocument(IngestError):
    """Read, but holding data that cannot be right (NaN, infinity, 1e308, the year 1899)."""


class IncompleteDocument(IngestError):
    """Read, but lacking parts its own overview table or its Piano say it has."""
