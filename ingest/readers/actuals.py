"""Reader for files of actual values (consuntivi), CSV or XLSX: see `ingest.actuals`."""

from __future__ import annotations

from ..actuals import read_actuals

__all__ = ["read_actuals"]
