"""The question plan against the keyword router it replaced, and warm answer latency.

In one run, on the questions of tests/data/questions.jsonl (both halves, reported apart):

- reading: the plan parser against the old keyword router (bench/baseline_router.py, kept
  only here) on the same questions: accuracy of the handler each picks, and p50/p95 time;
- answers: the corpus ingested into a temporary data dir (embedded Chroma), warmed up, then
  every question asked `--repeat` times: p50/p95 of deterministic answers (numbers from the
  tables), of drafts and exports, and of retrieval answers next to a bare hybrid search; the
  share of answers that hold the expected handler, facts and words, per half.

Goals: deterministic answer p95 <= 20 ms warm; retrieval p95 <= 300 ms. Each group also
prints its CPU time per answer: on a busy machine (other jobs on the same cores) the wall
clock measures the neighbours, the CPU time still measures the answer.

    .venv/bin/python bench/assistant.py [--repeat 5] [--no-answers]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.handlers.registry import route  # noqa: E402
from assistant.plan import PlanParser  # noqa: E402
from assistant.plan.evaluation import corpus_catalog, differences, load, plan_for  # noqa: E402
from bench.baseline_router import parse_question  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
OLD_INTENTS = {"target_changes", "below_target", "achievement", "indicator", "count", "financial", "interventions",
               "resources", "findings", "retrieval"}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(fn, items, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds per call; with `cpu`, the process's CPU seconds per call are added to
    it (on a busy machine the wall clock measures the neighbours; CPU time stays the answer's)."""
    samples = []
    for _ in range(repeat):
        for item in items:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(item)
            samples.append(time.perf_counter() - start)
            if cpu is not None:
                cpu.append(time.process_time() - start_cpu)
    return samples


def reading(cases, repeat: int) -> None:
    parser = PlanParser(corpus_catalog(ROOT / "corpus"))
    plan_right, new_right, old_right, old_known = Counter(), Counter(), Counter(), Counter()
    sizes = Counter(c.half for c in cases)
    for case in cases:
        plan = plan_for(parser, case)
        plan_right[case.half] += not differences(plan, case.plan)
        new_right[case.half] += route(plan).name == case.handler
        old = parse_question(case.q).intent  # the old router had no conversation: chains unseen
        old_right[case.half] += old == case.handler
        old_known[case.half] += case.handler in OLD_INTENTS
    singles = [c for c in cases if not c.chain]
    new_t = timed(lambda c: parser.parse(c.q), singles, repeat)
    old_t = timed(lambda c: parse_question(c.q), singles, repeat)
    n50, n95 = percentiles(new_t)
    o50, o95 = percentiles(old_t)
    print(f"questions: {len(cases)} (dev {sizes['dev']}, held-out {sizes['held-out']}; {sum(1 for c in cases if c.chain)} follow-ups)")
    for half in ("dev", "held-out"):
        print(f"  {half:8s} plan exact {plan_right[half]:3d}/{sizes[half]}   handler: plan {new_right[half]:3d}/{sizes[half]}"
              f"   old router {old_right[half]:3d}/{sizes[half]} (of which {old_known[half]} it could route)")
    print(f"plan parser   p50 {n50:6.2f} ms   p95 {n95:6.2f} ms")
    print(f"old router    p50 {o50:6.2f} ms   p95 {o95:6.2f} ms   (parser p95 = {n95 / o95:.1f}x the old router's)")


def answers(cases, repeat: int) -> None:
    from assistant.chat import Assistant, Session, passage_search
    from assistant.settings import Settings
    from assistant.workspace import Workspace, expand

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp)))
        start = time.perf_counter()
        for path in expand([ws.settings.corpus_dir]):
            ws.ingest(path)
        ingest_s = time.perf_counter() - start
        assistant = Assistant(ws, search=passage_search(ws))

        def ask(case):
            session = Session()
            for q in case.chain:
                assistant.ask(q, session=session)
            return assistant.ask(case.q, session=session)

        right, sizes = Counter(), Counter(c.half for c in cases)
        for case in cases:  # warm-up (views, facts, BM25), and the accuracy of the answers
            answer = ask(case)
            ok = (answer.intent == case.handler and answer.verified and (not case.year or answer.year == case.year)
                  and set(case.facts) <= {f.id for f in answer.facts} and all(c in answer.markdown() for c in case.contains))
            right[case.half] += ok
        groups = {
            "deterministic answers": [c for c in cases if c.handler not in ("retrieval", "draft", "export") and not c.chain],
            "drafts and exports": [c for c in cases if c.handler in ("draft", "export") and not c.chain],
            "retrieval answers": [c for c in cases if c.handler == "retrieval" and not c.chain],
        }
        print(f"corpus ingest (model load included)   {ingest_s:6.2f} s")
        print(f"answers right: dev {right['dev']}/{sizes['dev']}, held-out {right['held-out']}/{sizes['held-out']}")
        bare = timed(lambda c: ws.search(c.q, 3), groups["retrieval answers"], repeat)
        b50, b95 = percentiles(bare)
        print(f"bare hybrid search (baseline)   p50 {b50:6.1f} ms   p95 {b95:6.1f} ms")
        for name, group in groups.items():
            cpu: list[float] = []
            samples = timed(lambda c: assistant.ask(c.q), group, repeat if name != "drafts and exports" else 1, cpu)
            g50, g95 = percentiles(samples)
            c50, c95 = percentiles(cpu)
            note = {"deterministic answers": "goal p95 <= 20 ms",
                    "retrieval answers": f"goal p95 <= 300 ms; {g95 / b95:.2f}x the bare search p95"}.get(name, "")
            print(f"{name:30s}  p50 {g50:6.1f} ms   p95 {g95:6.1f} ms   (CPU p50 {c50:6.1f} ms, p95 {c95:6.1f} ms; "
                  f"{len(group)} questions) {note}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-answers", action="store_true", help="only the reading of the questions")
    args = parser.parse_args()
    cases = load(QUESTIONS)
    reading(cases, args.repeat)
    if not args.no_answers:
        answers(cases, args.repeat)


if __name__ == "__main__":
    main()
