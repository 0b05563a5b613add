"""Retrieval benchmark: dense, lexical, hybrid, and the naive baseline a user would build.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/retrieval.py [--repeat 20] [--grid] [--misses]

One run, on the bundled Relazione 2019 and the questions of
tests/data/retrieval-questions.jsonl (a hit is relevant when its text contains the expected
passage's substring):

- recall@1/@3/@5 and MRR (first relevant hit within the top 10) for each system;
- index build times: the project's ingestion of the .txt (parse, chunk, store, embed, Chroma)
  and its BM25 build, against the baseline's split + embed + Chroma;
- warm query latency p50/p95 (each question `--repeat` times after a warm-up round);
- with --grid, hybrid under other fusion settings (RRF constant and dense weight), on the
  odd-numbered questions, the even-numbered ones and all: how the defaults were chosen.

The baseline: langchain's RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
on the raw .txt, the same packaged embedder, an in-memory Chroma collection, top-k by cosine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant import retrieval  # noqa: E402
from assistant.index import Embedder, load_embedder  # noqa: E402
from assistant.retrieval import SearchFilters  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.workspace import Workspace  # noqa: E402

RELAZIONE = ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"
OTHERS = [ROOT / "corpus" / "piano-performance-2019-2021-ravenna-SINTETICO.txt"]
QUESTIONS = ROOT / "tests" / "data" / "retrieval-questions.jsonl"
DEPTH = 10  # hits looked at for MRR

SearchFn = Callable[[str], list[str]]  # question -> texts of the top DEPTH hits


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def first_relevant(texts: list[str], contains: str) -> int | None:
    return next((rank for rank, text in enumerate(texts, 1) if contains in text), None)


def evaluate(search: SearchFn, questions: list[dict]) -> dict[str, float]:
    ranks = [first_relevant(search(q["question"]), q["expected"]["contains"]) for q in questions]
    n = len(questions)
    out = {f"recall@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 3, 5)}
    out["mrr"] = sum(1 / r for r in ranks if r is not None) / n
    out["misses@5"] = [q["question"] for q, r in zip(questions, ranks) if r is None or r > 5]
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def latency(search: SearchFn, questions: list[dict], repeat: int) -> tuple[float, float]:
    for q in questions:  # warm-up: model, caches, BM25
        search(q["question"])
    times: list[float] = []
    for _ in range(repeat):
        for q in questions:
            start = time.perf_counter()
            search(q["question"])
            times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50), percentile(times, 95)


class Baseline:
    """What a user would build with langchain and Chroma in a few lines."""

    def __init__(self, path: Path, embedder: Embedder):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        start = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.texts = splitter.split_text(path.read_text(encoding="utf-8"))
        self.embedder = embedder
        vectors = embedder.encode(self.texts)
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.collection = client.get_or_create_collection(
            "baseline-bench", metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        ids = [str(i) for i in range(len(self.texts))]
        self.collection.add(ids=ids, documents=self.texts, embeddings=vectors)
        self.build_s = time.perf_counter() - start

    def search(self, question: str) -> list[str]:
        got = self.collection.query(
            query_embeddings=[self.embedder.encode_query(question)], n_results=DEPTH, include=["documents"]
        )
        return got["documents"][0]


def main() -> None:  # long: argument parsing and the printed table
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="rounds of all questions for the latency")
    parser.add_argument("--grid", action="store_true", help="hybrid under other RRF constants and dense weights")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at 5")
    args = parser.parse_args()
    questions = load_questions()

    start = time.perf_counter()
    embedder = Embedder()
    load_embedder()
    model_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="relazione-bench-") as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp)))
        start = time.perf_counter()
        outcome = ws.ingest(RELAZIONE)
        ingest_s = time.perf_counter() - start
        ente = outcome.document.ente
        start = time.perf_counter()
        ws.retriever.search("riscaldamento", 1, SearchFilters(ente=ente), "lexical")  # builds the BM25 catalog
        bm25_s = time.perf_counter() - start
        for path in OTHERS:  # the rest of the corpus, so that the search sees more than one document
            ws.ingest(path)

        def system(mode: str, **fusion) -> SearchFn:
            retriever = ws.retriever if not fusion else retrieval.Retriever(ws.store, ws.index, **fusion)
            return lambda q: [h.text for h in retriever.search(q, DEPTH, SearchFilters(ente=ente), mode)]

        baseline = Baseline(RELAZIONE, embedder)
        systems: dict[str, SearchFn] = {m: system(m) for m in retrieval.MODES}
        systems["baseline"] = baseline.search
        results = {name: evaluate(fn, questions) for name, fn in systems.items()}
        latencies = {name: latency(fn, questions, args.repeat) for name, fn in systems.items()}
        chunks = len(ws.store.chunks(ente))
        grid = []
        if args.grid:
            halves = {"odd": questions[0::2], "even": questions[1::2], "all": questions}
            for rrf_k in (1, 5, 10, 20, 60):
                for dense_weight in (1.0, 0.5):
                    fn = system("hybrid", rrf_k=rrf_k, dense_weight=dense_weight, lexical_weight=1.0)
                    grid.append((rrf_k, dense_weight, {h: evaluate(fn, qs) for h, qs in halves.items()}))

    r = ws.retriever
    print(f"questions: {len(questions)}   model load: {model_s:.2f} s   "
          f"fusion: RRF k={r.rrf_k:g}, weights dense {r.weights['dense']:g} / lexical {r.weights['lexical']:g}")
    print()
    print(f"{'system':<14} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name, r in results.items():
        p50, p95 = latencies.get(name, (float("nan"), float("nan")))
        print(f"{name:<14} {r['recall@1']:>6.3f} {r['recall@3']:>6.3f} {r['recall@5']:>6.3f} {r['mrr']:>6.3f} {p50:>8.1f} {p95:>8.1f}")
    print()
    print(f"index build, project: ingest of the .txt {ingest_s:.2f} s ({outcome.chunks} chunks: parse, store, embed, Chroma)"
          f" + BM25 {bm25_s * 1000:.1f} ms over {chunks} chunks of the Ente")
    print(f"index build, baseline: {baseline.build_s:.2f} s ({len(baseline.texts)} chunks: split, embed, Chroma)")
    b, h = results["baseline"], results["hybrid"]
    print()
    print("hybrid vs baseline: " + ", ".join(
        f"{m} {h[m]:.3f} vs {b[m]:.3f} ({h[m] - b[m]:+.3f})" for m in ("recall@1", "recall@3", "recall@5", "mrr")
    ))
    hp, bp = latencies["hybrid"], latencies["baseline"]
    print(f"warm latency hybrid vs baseline: p50 {hp[0]:.1f} vs {bp[0]:.1f} ms (x{hp[0] / bp[0]:.2f}), "
          f"p95 {hp[1]:.1f} vs {bp[1]:.1f} ms (x{hp[1] / bp[1]:.2f})")
    goals = [
        ("hybrid recall@5 >= 0.95", h["recall@5"] >= 0.95),
        ("hybrid recall@5 >= baseline", h["recall@5"] >= b["recall@5"]),
        ("warm hybrid p95 <= 150 ms", hp[1] <= 150),
    ]
    print("goals: " + ", ".join(f"{name}: {'ok' if ok else 'NOT MET'}" for name, ok in goals))
    if grid:
        print()
        print("hybrid fusion grid (lexical weight 1): MRR and recall@1 on odd / even / all questions")
        for rrf_k, dense_weight, by_half in grid:
            cells = "   ".join(f"{h} {m['mrr']:.3f} {m['recall@1']:.3f}" for h, m in by_half.items())
            print(f"  k={rrf_k:<3} dense weight {dense_weight:<4g} {cells}   recall@5 all {by_half['all']['recall@5']:.3f}")
    if args.misses:
        for name, r in results.items():
            for q in r["misses@5"]:
                print(f"  missed@5 [{name}]: {q}")


if __name__ == "__main__":
    main()
