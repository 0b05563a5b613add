"""Reader for files of actual values (consuntivi), CSV or XLSX: see `ingest.actuals`."""

from __future__ import annotations

from ..actuals import read_actuals
from .registry import Reader

READER = Reader(name="actuals", label="CSV/XLSX", formats={".csv": "csv", ".xlsx": "xlsx"}, actuals=read_actuals)
