"""Warm answer latency of the assistant (no language model), against bare retrieval.

Ingests the bundled corpus into a temporary data dir (embedded Chroma), warms up, then asks
each question `--repeat` times and prints p50/p95 for deterministic answers (numbers from the
tables, verified) and for retrieval answers (quoted passages, verified), next to a bare hybrid
search in the same run. Goals: p95 <= 100 ms deterministic, <= 300 ms retrieval.

    .venv/bin/python bench/assistant.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.chat import Assistant, passage_search  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.workspace import Workspace, expand  # noqa: E402

DETERMINISTIC = [
    "Quali obiettivi hanno cambiato target quest'anno?",
    "Quali indicatori sono sotto target nel 2020?",
    "Qual è il grado di raggiungimento dell'Ente?",
    "Confronta i proventi correnti del 2019 con gli anni precedenti",
    "Quanto è stato speso in interventi economici per obiettivo strategico?",
    "Ci sono anomalie nella Relazione 2019?",
    "Qual è il target dell'indicatore N. imprese coinvolte nelle attività di assessment?",
    "Quanti indicatori sono stati misurati nel 2019?",
]
RETRIEVAL = [
    "Perché è stato eliminato il progetto Ultranet?",
    "Come è andata l'occupazione in provincia?",
    "Quando è stato approvato il bilancio dell'esercizio?",
    "Che cosa prevede il regolamento sulla protezione dei dati?",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(fn, questions, repeat) -> list[float]:
    samples = []
    for _ in range(repeat):
        for q in questions:
            start = time.perf_counter()
            fn(q)
            samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp)))
        start = time.perf_counter()
        for path in expand([ws.settings.corpus_dir]):
            ws.ingest(path)
        ingest_s = time.perf_counter() - start
        assistant = Assistant(ws, search=passage_search(ws))
        cold = time.perf_counter()
        first = assistant.ask(DETERMINISTIC[0])
        cold_s = time.perf_counter() - cold
        for q in DETERMINISTIC + RETRIEVAL:  # warm-up: views, facts and the BM25 catalog
            answer = assistant.ask(q)
            assert answer.verified, (q, answer.unverified_numbers)
        assert first.verified

        det = timed(assistant.ask, DETERMINISTIC, args.repeat)
        ret = timed(assistant.ask, RETRIEVAL, args.repeat)
        bare = timed(lambda q: ws.search(q, 3), RETRIEVAL, args.repeat)
        d50, d95 = percentiles(det)
        r50, r95 = percentiles(ret)
        b50, b95 = percentiles(bare)
        print(f"corpus ingest (4 files, model load included)  {ingest_s:6.2f} s")
        print(f"first answer (cold view and facts)            {cold_s * 1000:7.1f} ms")
        print(f"bare hybrid search (baseline)   p50 {b50:6.1f} ms   p95 {b95:6.1f} ms")
        print(f"deterministic answers           p50 {d50:6.1f} ms   p95 {d95:6.1f} ms   (goal p95 <= 100 ms)")
        print(f"retrieval answers               p50 {r50:6.1f} ms   p95 {r95:6.1f} ms   (goal p95 <= 300 ms; "
              f"{r95 / b95:.2f}x the bare search p95)")


if __name__ == "__main__":
    main()
