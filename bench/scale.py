"""Flat with scale: ingestion and question latency as the store grows from 1 to 200 documents.

Synthetic Enti are made here, in memory, from the bundled Relazione 2019 (Ravenna): the text
with another Camera's name and another year (every year in it shifted alike) and every
amount in euro perturbed by up to 2% (weights and percentages are left, so that the
documents stay complete). Nothing is written to the repository. Documents are
added Ente by Ente (10 years each), on SQLite and on a throwaway PostgreSQL server, with
embedded Chroma; embeddings are not computed (a hashed 384-dimension vector, the packaged
model's size, stands in for the model, in this bench only), so the figures are the parser's,
the store's and the index's.

Growth: at each size it prints the seconds per document of the last ingestions (parse +
store + index, and store + index alone) and the p50/p95 of warm questions: deterministic
answers and hybrid searches on the first Ente and on the Ente ingested last.

Same-run comparison (what the goal is judged on; the machine is shared, and sizes measured
minutes apart see another load): a store of 10 documents and the store of 200 are measured
alternately, round by round: each round ingests into each store one more year of its last
Ente (then removes it, so that both stay at their size) and asks the same questions of both.
It prints the ratio 200/10 of each figure, once per repetition. Goal: at most 1.2.

    .venv/bin/python bench/scale.py [--sizes 1,10,50,100,200] [--rounds 15] [--backends sqlite,postgresql]
        [--clock cpu|wall] [--pairs 10] [--repeat 3]

The schedule is configurable: a full run of both backends up to 200 documents takes about
10 minutes of CPU.
"""

from __future__ import annotations

import argparse
import contextlib
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
    per text (from its hash), of the packaged model's size, so that Chroma stores and searches
    vectors like the model's at no model cost."""

    model_path = None
    DIM = 384

    def _vector(self, text: str) -> list[float]:
        import numpy as np

        rng = np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))
        v = rng.standard_normal(self.DIM)
        return (v / np.linalg.norm(v)).tolist()

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


def camera(i: int) -> str:
    """The Camera of the `i`-th document (0-based), 10 years each."""
    return CAMERE[i // YEARS_PER_ENTE % len(CAMERE)] + ("" if i < YEARS_PER_ENTE * len(CAMERE) else f" {i}")


def documents(n: int):
    """The first `n` synthetic documents, Ente by Ente (10 years each)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    rng = random.Random(14)
    for i in range(n):
        yield f"Camera di commercio di {camera(i)}", synthetic(template, camera(i), FIRST_YEAR + i % YEARS_PER_ENTE, rng)


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


class Lab:
    """One store (SQL + embedded Chroma in a temporary directory) and an assistant on it."""

    def __init__(self, url: str | None, stack: contextlib.ExitStack):
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        settings = Settings(data_dir=tmp / "data", database_url=url)
        self.ws = Workspace(settings, index=ChromaIndex(settings, embedder=HashedVectors()))
        self.assistant = Assistant(self.ws, search=passage_search(self.ws))
        self.first = None  # the first report: the fixed workload that measures the load
        self.last = 0  # documents ingested

    def ingest(self, data: bytes, name: str) -> tuple[float, float, float, object]:
        """(parse + store + index, store + index, parse) seconds, and the outcome."""
        t0 = clock()
        report = self.ws.parse_bytes(data, name)
        t1 = clock()
        outcome = self.ws.ingest_report(report)
        t2 = clock()
        self.first = self.first or report
        return t2 - t0, t2 - t1, t1 - t0, outcome

    def enti(self) -> list[str]:
        return list(dict.fromkeys([self.ws.store.enti()[0], f"Camera di commercio di {camera(self.last - 1)}"]))


def run(backend: str, url, sizes: list[int], rounds: int, pairs: int, repeat: int) -> list[dict[str, float]]:
    """The growth (printed at each size), then the same-run comparison of `pairs` documents
    against the largest size, `repeat` times: the ratios of each repetition."""
    with contextlib.ExitStack() as stack:
        lab = Lab(url(), stack)
        ingest: list[tuple[float, float, float]] = []
        for n, (_, (name, data)) in enumerate(documents(max(sizes)), start=1):
            ingest.append(lab.ingest(data, name)[:3])
            lab.last = n
            if n in sizes:
                window = ingest[-min(n, YEARS_PER_ENTE):]
                got = measure(lab.ws, lab.assistant, lab.enti(), rounds, lab.first)
                print_row(backend, n, summary(got, window))
        if not pairs or pairs >= max(sizes):
            return []
        small = Lab(url(), stack)
        for n, (_, (name, data)) in enumerate(documents(pairs), start=1):
            small.ingest(data, name)
            small.last = n
        return [compare(backend, {pairs: small, max(sizes): lab}, rounds) for _ in range(repeat)]


def summary(got: dict[str, list[float]], window: list[tuple[float, float, float]]) -> dict[str, float]:
    return {
        "ingest": statistics.median(t for t, _, _ in window),
        "save": statistics.median(s for _, s, _ in window),
        "ask50": pct(got["ask"], 0.5), "ask95": pct(got["ask"], 0.95),
        "search50": pct(got["search"], 0.5), "search95": pct(got["search"], 0.95),
        # the load at the time: parsing (constant work) for ingestion, a fixed workload for questions
        "parse": statistics.median(p for _, _, p in window), "ref": statistics.median(got["ref"]),
    }


def compare(backend: str, labs: dict[int, Lab], rounds: int) -> dict[str, float]:
    """One repetition of the same-run comparison: `rounds` rounds, each ingesting into every
    store one more year of its last Ente (removed again) and asking the same questions, the
    stores taken in turn (the order swapped each round). The ratios largest/smallest."""
    template = TEMPLATE.read_text(encoding="utf-8")
    rng = random.Random(5)
    got = {n: {"ask": [], "search": [], "ref": []} for n in labs}
    ingest: dict[int, list[tuple[float, float, float]]] = {n: [] for n in labs}
    order = list(labs)
    for r in range(rounds):
        for n in order if r % 2 == 0 else order[::-1]:
            lab = labs[n]
            name, data = synthetic(template, camera(lab.last - 1), FIRST_YEAR + YEARS_PER_ENTE + r % 5, rng)
            *times, outcome = lab.ingest(data, name)
            ingest[n].append(tuple(times))
            lab.ws.store.remove(outcome.document.id, lab.ws.index)
            for key, values in measure(lab.ws, lab.assistant, lab.enti(), 1, lab.first).items():
                got[n][key] += values
    rows = {n: summary(got[n], ingest[n]) for n in labs}
    small, large = sorted(labs)
    for n in (small, large):
        print_row(f"{backend}=", n, rows[n])  # '=': measured alternately, in the same rounds
    ratios = {k: rows[large][k] / rows[small][k] for k in rows[small]}
    print(f"{backend:<11}{large:>4}/{small:<3} " + "  ".join(f"{label} {ratios[k]:.2f}x" for k, label in COLUMNS),
          flush=True)
    return ratios


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
    parser.add_argument("--rounds", type=int, default=15, help="rounds of questions per size (and per comparison)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (default; not the PostgreSQL server's); wall: elapsed")
    parser.add_argument("--pairs", type=int, default=10,
                        help="size of the store compared, in the same run, with the largest (0: no comparison)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the same-run comparison")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print(f"{'backend':<11}{'docs':>5}  " + "  ".join(label for _, label in COLUMNS))
    results = {}
    for backend in args.backends.split(","):
        if backend == "postgresql":
            from bench.pgserver import new_database, postgres_server

            with postgres_server() as server:
                results[backend] = run(backend, lambda: new_database(server), sizes, args.rounds, args.pairs, args.repeat)
        else:
            results[backend] = run(backend, lambda: None, sizes, args.rounds, args.pairs, args.repeat)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print_ratios(results, sizes, args.pairs)


def print_ratios(results: dict[str, list[dict[str, float]]], sizes: list[int], pairs: int) -> None:
    """The median over the repetitions of each same-run ratio, and in brackets the ratio
    adjusted for the load (ingestion against the parse time of the same documents, questions
    against a fixed workload timed between them)."""
    if not any(results.values()):
        return
    print(f"\nratio {sizes[-1]} docs / {pairs} docs, same run, median of the repetitions (goal <= 1.2); "
          "in brackets against the load:")
    for backend, runs in results.items():
        cells = []
        for k, label in COLUMNS:
            raw = statistics.median(r[k] for r in runs)
            load = statistics.median(r["parse" if k in ("ingest", "save") else "ref"] for r in runs)
            cells.append(f"{label} {raw:.2f}x [{raw / load:.2f}x]")
        print(f"  {backend:<11}" + "  ".join(cells))


if __name__ == "__main__":
    main()
