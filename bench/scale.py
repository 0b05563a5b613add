"""Flat with scale: ingestion and question latency as the store grows from 1 to 200 documents.

Synthetic Enti are made here, in memory, from the bundled Relazione 2019 (Ravenna): the text
with another Camera's name and another year (every year in it shifted alike) and every
amount in euro perturbed by up to 2% (weights and percentages are left, so that the
documents stay complete). Nothing is written to the repository. Documents are
added Ente by Ente (10 years each), on SQLite and on a throwaway PostgreSQL server, with
embedded Chroma; embeddings are not computed (a hashed vector stands in for the model, in
this bench only), so the figures are the parser's, the store's and the index's.

At each size it prints the seconds per document of the last ingestions (parse + store +
index, and store + index alone) and the p50/p95 of warm questions: deterministic answers
and hybrid searches on the first Ente and on the Ente ingested last. Goal: at 200 documents
at most 1.2x the figures at 10.

    .venv/bin/python bench/scale.py [--sizes 1,10,50,100,200] [--rounds 15] [--backends sqlite,postgresql]
        [--clock cpu|wall]

The schedule (sizes, rounds, backends) is configurable: a full run of both backends up to 200
documents takes about 10 minutes of CPU.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.chat import Assistant, passage_search  # noqa: E402
from assistant.index import ChromaIndex  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.workspace import Workspace  # noqa: E402
from ingest.checks import check_report  # noqa: E402
from ingest.italian import fmt_number  # noqa: E402
from ingest.scoring import DEFAULT_POLICY, score_report  # noqa: E402

TEMPLATE = ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"
CAMERE = [
    "Bologna", "Ferrara", "Modena", "Parma", "Piacenza", "Reggio Emilia", "Rimini", "Torino", "Genova",
    "Bergamo", "Brescia", "Como", "Cremona", "Lecco", "Lodi", "Mantova", "Pavia", "Sondrio", "Varese", "Trento",
    "Bolzano", "Verona", "Vicenza", "Padova",
]
YEARS_PER_ENTE = 10
FIRST_YEAR = 2010
QUESTIONS = ["Qual è il grado di raggiungimento dell'Ente?", "Quali indicatori sono sotto target?"]
SEARCHES = ["perché è stato eliminato il progetto?", "come è andata l'occupazione in provincia?"]
# what is timed: this process's CPU time by default (the machine is shared: other processes'
# load inflates wall time, not CPU time; PostgreSQL's own work is then left out), or wall time
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]
_YEAR = re.compile(r"\b20[0-2]\d\b")
_EUROS = re.compile(r"\b\d{1,3}(?:\.\d{3})*,\d+(?= ?€)")  # amounts; weights and percentages stay


class HashedVectors:
    """Stands in for the embedding model in this bench only: a fixed pseudo-random unit vector
    per text (from its hash), so that Chroma stores and searches real vectors at no model cost."""

    model_path = None
    DIM = 32

    def _vector(self, text: str) -> list[float]:
        rng = random.Random(hashlib.sha256(text.encode()).digest())
        v = [rng.gauss(0, 1) for _ in range(self.DIM)]
        norm = sum(x * x for x in v) ** 0.5
        return [x / norm for x in v]

    def encode(self, texts, progress=None):
        return [self._vector(t) for t in texts]

    def encode_query(self, text):
        return self._vector(text)


def synthetic(template: str, camera: str, year: int, rng: random.Random) -> tuple[str, bytes]:
    """(file name, text) of the template as printed by `camera` for `year`."""
    shift = year - 2019
    text = template.replace("Ravenna", camera).replace("RAVENNA", camera.upper())
    text = _YEAR.sub(lambda m: str(int(m.group()) + shift), text)

    def perturb(m: re.Match) -> str:
        raw = m.group()
        decimals = len(raw.split(",")[1])
        value = float(raw.replace(".", "").replace(",", ".")) * (1 + rng.uniform(-0.02, 0.02))
        return fmt_number(round(value, decimals), decimals)

    text = _EUROS.sub(perturb, text)
    slug = camera.lower().replace(" ", "-")
    return f"relazione-performance-{year}-{slug}.txt", text.encode("utf-8")


def documents(n: int):
    """The first `n` synthetic documents, Ente by Ente (10 years each)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    rng = random.Random(14)
    for i in range(n):
        camera = CAMERE[i // YEARS_PER_ENTE % len(CAMERE)] + ("" if i < YEARS_PER_ENTE * len(CAMERE) else f" {i}")
        yield f"Camera di commercio di {camera}", synthetic(template, camera, FIRST_YEAR + i % YEARS_PER_ENTE, rng)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def reference(report) -> float:
    """A fixed CPU workload whose cost does not depend on the store (scoring and checking one
    report), timed between the questions: the machine's load at that moment."""
    t = clock()
    check_report(report, DEFAULT_POLICY, score_report(report, DEFAULT_POLICY))
    return clock() - t


def measure(ws: Workspace, assistant: Assistant, enti: list[str], rounds: int, ref) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"ask": [], "search": [], "ref": []}
    for ente in enti:  # warm: the first question on a new Ente builds its view and its BM25
        assistant.ask(QUESTIONS[0], ente=ente)
        ws.search(SEARCHES[0], 5, ente=ente)
    for _ in range(rounds):
        times["ref"].append(reference(ref))
        for ente in enti:
            for q in QUESTIONS:
                t = clock()
                assistant.ask(q, ente=ente)
                times["ask"].append(clock() - t)
            for q in SEARCHES:
                t = clock()
                ws.search(q, 5, ente=ente)
                times["search"].append(clock() - t)
    return times


def run(backend: str, url: str | None, sizes: list[int], rounds: int) -> dict[int, dict[str, float]]:
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", database_url=url)
        ws = Workspace(settings, index=ChromaIndex(settings, embedder=HashedVectors()))
        assistant = Assistant(ws, search=passage_search(ws))
        ingest: list[tuple[float, float, float]] = []  # (parse + store + index, store + index, parse) per document
        first = None
        for n, (ente, (name, data)) in enumerate(documents(max(sizes)), start=1):
            t0 = clock()
            report = ws.parse_bytes(data, name)
            t1 = clock()
            ws.ingest_report(report)
            t2 = clock()
            ingest.append((t2 - t0, t2 - t1, t1 - t0))
            first = first or report
            if n in sizes:
                window = ingest[-min(n, YEARS_PER_ENTE):]
                enti = list(dict.fromkeys([ws.store.enti()[0], ente]))
                got = measure(ws, assistant, enti, rounds, first)
                rows[n] = {
                    "ingest": statistics.median(t for t, _, _ in window),
                    "save": statistics.median(s for _, s, _ in window),
                    "ask50": pct(got["ask"], 0.5), "ask95": pct(got["ask"], 0.95),
                    "search50": pct(got["search"], 0.5), "search95": pct(got["search"], 0.95),
                    # the load at the time: parsing (constant work) for ingestion, a fixed workload for questions
                    "parse": statistics.median(p for _, _, p in window), "ref": statistics.median(got["ref"]),
                }
                print_row(backend, n, rows[n])
    return rows


COLUMNS = [("ingest", "ingest s/doc"), ("save", "store+index s/doc"), ("ask50", "ask p50 ms"),
           ("ask95", "ask p95 ms"), ("search50", "search p50 ms"), ("search95", "search p95 ms")]


def _cell(key: str, value: float) -> str:
    return f"{value:.3f}" if key in ("ingest", "save") else f"{value * 1000:.1f}"


def print_row(backend: str, n: int, row: dict[str, float]) -> None:
    cells = "  ".join(f"{_cell(k, row[k]):>{len(label)}}" for k, label in COLUMNS)
    print(f"{backend:<11}{n:>5}  {cells}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,50,100,200", help="store sizes (documents) to measure at")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of questions per size")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (default; not the PostgreSQL server's); wall: elapsed")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    print(f"{'backend':<11}{'docs':>5}  " + "  ".join(label for _, label in COLUMNS))
    results = {}
    for backend in args.backends.split(","):
        if backend == "postgresql":
            from pgserver import new_database, postgres_server

            with postgres_server() as server:
                results[backend] = run(backend, new_database(server), sizes, args.rounds)
        else:
            results[backend] = run(backend, None, sizes, args.rounds)
    print_ratios(results, sizes, adjusted=args.clock == "wall")


def print_ratios(results: dict[str, dict[int, dict[str, float]]], sizes: list[int], adjusted: bool) -> None:
    base, top = (10 if 10 in sizes else sizes[0]), sizes[-1]
    print(f"\nratio {top} docs / {base} docs (goal <= 1.2)" + (
        "; in brackets, adjusted for the machine's load\n(ingestion against the parse time of the same "
        "documents, questions against a fixed workload timed between them):" if adjusted else ":"))
    for backend, rows in results.items():
        ratios = []
        for k, label in COLUMNS:
            raw = rows[top][k] / rows[base][k]
            load = "parse" if k in ("ingest", "save") else "ref"
            ratios.append(f"{label} {raw:.2f}x" + (f" [{raw / (rows[top][load] / rows[base][load]):.2f}x]" if adjusted else ""))
        print(f"  {backend:<11}" + "  ".join(ratios))


if __name__ == "__main__":
    main()
