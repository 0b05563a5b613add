"""One settings class for the whole app: each field from the environment variable
RELAZIONE_<FIELD> (any case), values given to the constructor first, validated by pydantic.

Why not pydantic-settings: it imports every source it supports (AWS, Azure and GCP secrets,
command-line parsing, dotenv, TOML, YAML) when it is imported, about 350 KB of bytecode and a
fifth of the time a bare `import sqlalchemy, pydantic, typer` takes (`bench/startup.py`),
while the app reads flat scalar fields from the environment only. The loader below is what
pydantic-settings does for such fields (prefix, case-insensitive names, constructor values
first, unknown variables ignored); pydantic converts and checks the strings.
"""

from __future__ import annotations

import os
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

if TYPE_CHECKING:  # imported by the two methods that build them: not every command scores or ingests
    from ingest.limits import Limits
    from ingest.scoring import Policy

REPO_ROOT = Path(__file__).resolve().parents[1]
NO_MODEL = "nessuno: risposte deterministiche"
ENV_PREFIX = "RELAZIONE_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    data_dir: Path = Field(default=REPO_ROOT / "data", description="SQLite store and embedded Chroma live here")
    database_url: str | None = Field(default=None, description="any SQLAlchemy URL; default sqlite under data_dir")
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server")
    chroma_collection: str = "relazione_narrative"
    embedding_model: str | None = Field(default=None, description="path of a local sentence-transformers model")
    corpus_dir: Path = REPO_ROOT / "corpus"

    # hybrid search: weighted reciprocal rank fusion (see assistant/retrieval.py)
    rrf_k: float = Field(default=5.0, gt=0, description="reciprocal rank fusion constant")
    dense_weight: float = Field(default=0.5, ge=0, description="weight of the dense (embedding) ranking")
    lexical_weight: float = Field(default=1.0, ge=0, description="weight of the lexical (BM25) ranking")

    llm: str | None = Field(default=None, description="'ollama:qwen2.5:7b', 'openai:<model>'; none = deterministic")
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0

    scoring_method: Literal["proportional", "binary"] = "proportional"
    strategic_basis: Literal["indicators", "operational"] = "indicators"
    band_achieved_from: Decimal = Decimal(90)
    band_partial_from: Decimal = Decimal(70)

    # limits of one ingestion (ingest/limits.py), each refusal one line
    max_file_mb: float = Field(default=50, gt=0, description="largest file accepted (MB)")
    max_pdf_pages: int = Field(default=500, gt=0)
    max_xlsx_uncompressed_mb: float = Field(default=100, gt=0, description=".xlsx size once decompressed (MB)")
    max_xlsx_ratio: float = Field(default=100, gt=1, description="compression ratio of an .xlsx member")
    max_csv_rows: int = Field(default=100_000, gt=0)
    max_csv_field_chars: int = Field(default=10_000, gt=0)
    max_ingest_seconds: float = Field(default=600, gt=0, description="wall-clock time of one ingestion")
    max_ocr_page_seconds: float = Field(
        default=30, ge=0, description="OCR seconds per scanned page not counted against max_ingest_seconds"
    )

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, given: Any) -> Any:
        """RELAZIONE_<FIELD> variables (any case) under the values given to the constructor."""
        if not isinstance(given, dict):
            return given
        from_env = {}
        for key, value in os.environ.items():
            name = key.upper()
            if name.startswith(ENV_PREFIX) and (field := name[len(ENV_PREFIX):].lower()) in cls.model_fields:
                from_env[field] = value
        return {**from_env, **given}

    def limits(self) -> Limits:
        from ingest.limits import Limits

        return Limits(
            max_file_mb=self.max_file_mb, max_pdf_pages=self.max_pdf_pages,
            max_xlsx_uncompressed_mb=self.max_xlsx_uncompressed_mb, max_xlsx_ratio=self.max_xlsx_ratio,
            max_csv_rows=self.max_csv_rows, max_csv_field_chars=self.max_csv_field_chars,
            max_seconds=self.max_ingest_seconds, max_ocr_page_seconds=self.max_ocr_page_seconds,
        )

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'relazione.db').as_posix()}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    def policy(self) -> Policy:
        from ingest.scoring import Policy

        return Policy(
            method=self.scoring_method,
            strategic_basis=self.strategic_basis,
            achieved_from=self.band_achieved_from,
            partial_from=self.band_partial_from,
        )

    def llm_label(self) -> str:
        """The configured language model as the app and the CLI may show it: its name and the
        host it is served from, never the key nor any credentials written in the URL."""
        if not self.llm:
            return NO_MODEL
        host = ""
        if self.llm_base_url:
            parts = urlsplit(self.llm_base_url)
            host = parts.hostname or ""
            if host and parts.port:
                host += f":{parts.port}"
        return self.llm + (f" (server {host})" if host else "")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
