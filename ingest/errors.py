"""Errors that refuse a whole file. Each carries one clear Italian sentence for the user."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested. `str(err)` is the one line shown to the user."""

    def __init__(self, message: str, *, path: str | None = None):
        self.message = message
        self.path = path
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
