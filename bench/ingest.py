"""Extraction speed and memory on the bundled Relazione, against a bare pdfplumber pass.

Prints, for the corpus text and PDF: median wall time of `read_report` (read + tables +
sections + metadata) and of scoring plus checks; the ratio of the PDF extract to a bare
pdfplumber pass (open + extract_tables + extract_text on every page) timed in the same
run; and the peak Python memory (tracemalloc) of each.

Goals: PDF extract <= 1.5x the bare pass; text extract < 0.5 s.

With --layouts, every layout of the same document (the corpus PDF, ../shared/layouts and the
zoo in tests/data/layouts, or the files given): per file, the median `read_report` time against
a bare pdfplumber pass over the same file in the same run, the two run in turn (open + extract_words + lines and
rects of every page: what any reader of the page must do), the strategies used and the field
accuracy of the 128 rows. A .docx is timed alone (goal < 0.5 s) and against a bare python-docx
open of the same file. Goal: each PDF <= 1.5x its bare pass.

With --ocr, a scan (default: ../shared/layouts/scanned-grid-merged.pdf; any image-only PDF,
e.g. one made by scripts/make_scan.py): a bare ocrmypdf run with the same options as the
reader's (`ingest.readers.ocr.ocr_options`) and `read_report` on the same file, in the same
run; OCR seconds per page (the OCR stage of `read_report`, timed from its progress calls),
the ratio of the whole ingestion to the bare run (wall time, and CPU time of the process and its
children, which the load of a shared machine does not inflate), and the field accuracy of the indicator rows
against tests/data/indicators-2019.json when the scan is of the 2019 Relazione.
Goal: ingestion <= 1.3x the bare ocrmypdf run. With --ocr-cache DIR (development only), the
OCR of the scan comes from DIR when the same file, options, Tesseract and OCR-side code were
seen before (bench/ocr_cache.py): no timing, the accuracy and every field that differs, in
seconds, to work on the stages after OCR.

    .venv/bin/python bench/ingest.py [--repeat 5] [--layouts [FILE ...]] [--ocr [SCAN.pdf] [--ocr-cache DIR]]
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pdfplumber

# This script shares its name with the `ingest` package: import the package, not itself.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from ingest.checks import check_report
from ingest.pipeline import read_report
from ingest.scoring import score_report

ROOT = Path(__file__).resolve().parents[1]
SHARED_SCAN = Path(os.environ.get("RELAZIONE_SHARED_DIR") or ROOT.parent / "shared") / "layouts" / "scanned-grid-merged.pdf"
TRUTH = ROOT / "tests" / "data" / "indicators-2019.json"
TXT = ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"
PDF = ROOT / "corpus" / "relazione-performance-2019-ravenna.pdf"
SHARED_LAYOUTS = SHARED_SCAN.parent
ZOO = ROOT / "tests" / "data" / "layouts"


def bare_pass(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()


def bare_words(data: bytes) -> None:
    """What any reader of a PDF page does once: its words, lines and rectangles."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()
            _ = page.lines, page.rects
            page.close()


def bare_docx(data: bytes) -> None:
    from docx import Document

    document = Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            _ = [c.text for c in row.cells]


def layout_files() -> list[Path]:
    shared = [SHARED_LAYOUTS / n for n in ("grid-merged.pdf", "borderless-zebra.pdf")]
    return [PDF] + [p for p in shared if p.exists()] + sorted(ZOO.glob("*.pdf")) + sorted(ZOO.glob("*.docx"))


def layouts_bench(files: list[Path], repeat: int) -> None:
    """Per layout: extract time against a bare pass over the same file, and field accuracy."""
    import json

    from bench.accuracy import field_accuracy
    from ingest.records import indicator_record

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["indicators"]
    print(f"{'layout':34} {'bare':>9} {'extract':>9} {'ratio':>7}  {'rows':>4} {'accuracy':>8}  strategies")
    for path in files:
        data = path.read_bytes()
        docx = path.suffix.lower() == ".docx"
        bare = bare_docx if docx else bare_words
        bare_t, ours_t = interleaved(functools.partial(bare, data), functools.partial(read_report, data, path.name), repeat)
        report = read_report(data, path.name)
        card = score_report(report)
        rows = [indicator_record(report, i, card.indicators[i.key].pct).model_dump(mode="json") for i in report.indicators()]
        accuracy, _ = field_accuracy(truth, rows)
        strategies = ",".join(sorted({t.strategy for t in report.layout.tables})) if report.layout else "-"
        goal = "goal < 0.5 s" if docx else "goal <= 1.50x"
        print(f"{path.name[:34]:34} {bare_t * 1000:7.0f}ms {ours_t * 1000:7.0f}ms {ours_t / bare_t:6.2f}x  "
              f"{len(rows):4d} {accuracy:8.3f}  {strategies} ({goal})")


def interleaved(first, second, repeat: int) -> tuple[float, float]:
    """Median seconds of two functions run in turn `repeat` times: a machine whose load
    changes during the run weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            gc.collect()
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median seconds over `repeat` runs, and peak traced memory (MiB) of one run."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it waited for (Tesseract, Ghostscript)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ocr", nargs="?", const=SHARED_SCAN, type=Path, default=None, metavar="SCAN.pdf")
    parser.add_argument("--only-ocr", action="store_true", help="skip the digital files")
    parser.add_argument("--ocr-cache", type=Path, default=None, metavar="DIR",
                        help="development: OCR output cached in DIR, accuracy and differing fields only")
    parser.add_argument("--layouts", nargs="*", type=Path, default=None, metavar="FILE",
                        help="every layout of the 2019 Relazione (or these files) against a bare pass")
    args = parser.parse_args()
    if args.layouts is not None:
        layouts_bench(args.layouts or layout_files(), args.repeat)
        return
    if args.ocr and args.ocr_cache:
        ocr_accuracy(args.ocr, args.ocr_cache)
        return
    if args.ocr:
        ocr_bench(args.ocr)
        if args.only_ocr:
            return
    txt, pdf = TXT.read_bytes(), PDF.read_bytes()

    bare_t, bare_m = timed(lambda: bare_pass(pdf), args.repeat)
    pdf_t, pdf_m = timed(lambda: read_report(pdf, PDF.name), args.repeat)
    txt_t, txt_m = timed(lambda: read_report(txt, TXT.name), args.repeat)
    report = read_report(txt, TXT.name)
    score_t, _ = timed(lambda: check_report(report, card=score_report(report)), args.repeat)

    print(f"bare pdfplumber pass (baseline)  {bare_t * 1000:8.1f} ms   peak {bare_m:6.1f} MiB")
    print(f"PDF extract                      {pdf_t * 1000:8.1f} ms   peak {pdf_m:6.1f} MiB   "
          f"ratio {pdf_t / bare_t:.2f}x (goal <= 1.50x)")
    print(f"text extract                     {txt_t * 1000:8.1f} ms   peak {txt_m:6.1f} MiB   "
          f"({txt_t / bare_t:.3f}x the bare PDF pass; goal < 500 ms)")
    print(f"scoring + checks (128 rows)      {score_t * 1000:8.1f} ms")


def ocr_bench(scan: Path) -> None:
    """A scan once through bare ocrmypdf and once through `read_report` (OCR is slow: one run each)."""
    import json
    import tempfile

    import ocrmypdf

    from bench.accuracy import field_accuracy
    from ingest.errors import IngestError
    from ingest.limits import Limits
    from ingest.progress import OCR_STAGE
    from ingest.readers import ocr
    from ingest.records import indicator_record

    data = scan.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    with tempfile.TemporaryDirectory() as tmp, ocr.quiet():
        start, cpu_start = time.perf_counter(), cpu_seconds()
        ocrmypdf.ocr(scan, Path(tmp) / "out.pdf", **ocr.ocr_options(range(1, pages + 1)), progress_bar=False)
        bare, bare_cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now

    start, cpu_start = time.perf_counter(), cpu_seconds()
    try:
        # no wall-clock limit: the bench measures (on a busy machine OCR alone can pass 600 s)
        report, failure = read_report(data, scan.name, progress=progress, limits=Limits(max_seconds=10**6),
                                       allow_partial=True), None  # an incomplete read still gets its accuracy
    except IngestError as exc:
        report, failure = None, str(exc)
    ours, ours_cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    ocr_time = stages[OCR_STAGE][1] - stages[OCR_STAGE][0] if OCR_STAGE in stages else float("nan")
    print(f"scan: {scan.name}, {pages} pages, {ocr.jobs()} OCR jobs")
    print(f"bare ocrmypdf (same options)      {bare:8.1f} s   {bare / pages:5.2f} s/page")
    print(f"read_report (OCR + reading)       {ours:8.1f} s   OCR stage {ocr_time:6.1f} s = {ocr_time / pages:5.2f} s/page   "
          f"ratio {ours / bare:.2f}x (goal <= 1.30x)")
    print(f"CPU time (this process and its Tesseract/Ghostscript children): bare {bare_cpu:.1f} s, "
          f"read_report {ours_cpu:.1f} s, ratio {ours_cpu / bare_cpu:.2f}x (wall time on a shared machine follows its load)")
    if report is None:
        print(f"refused: {failure}")
        return
    print(f"OCR pages: {len(report.ocr_pages)}, indicators: {len(report.indicators())}")
    if report.year == 2019 and TRUTH.exists():
        truth = json.loads(TRUTH.read_text(encoding="utf-8"))["indicators"]
        card = score_report(report)
        rows = [indicator_record(report, i, card.indicators[i.key].pct).model_dump(mode="json") for i in report.indicators()]
        accuracy, mismatches = field_accuracy(truth, rows)
        print(f"field accuracy vs indicators-2019.json: {accuracy:.3f} ({len(mismatches)} fields differ)")


def ocr_accuracy(scan: Path, cache: Path) -> None:
    """The scan read with its OCR output taken from (or stored in) `cache`: accuracy and the
    fields that differ from the truth (development: the stages after OCR in seconds)."""
    import json

    from bench.accuracy import field_accuracy
    from bench.ocr_cache import cached_ocr
    from ingest.limits import Limits
    from ingest.records import indicator_record

    with cached_ocr(cache) as counts:
        start = time.perf_counter()
        report = read_report(scan.read_bytes(), scan.name, limits=Limits(max_seconds=10**6), allow_partial=True)
        took = time.perf_counter() - start
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["indicators"]
    card = score_report(report)
    rows = [indicator_record(report, i, card.indicators[i.key].pct).model_dump(mode="json") for i in report.indicators()]
    accuracy, mismatches = field_accuracy(truth, rows)
    print(f"{scan.name}: read in {took:.1f} s (OCR cache: {counts['hit']} hit, {counts['miss']} miss), "
          f"{len(rows)} indicators, field accuracy {accuracy:.3f} ({len(mismatches)} fields differ)")
    for row_id, field, want, got in mismatches:
        print(f"  {row_id:>4} {field:32} {str(want)[:60]!r:64} {str(got)[:60]!r}")


if __name__ == "__main__":
    main()
