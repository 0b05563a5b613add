"""Make a scan of a digital PDF: what a printer and a scanner do to a Relazione.

Each page is rendered (pypdfium2) at the given resolution, turned by a small random angle,
blurred a little, given sensor noise and a few specks, and saved as a greyscale JPEG; the
pages become an image-only PDF with no text layer. Used to check the OCR on scans other
than the shared one (bench/ingest.py --ocr, and by hand):

    .venv/bin/python scripts/make_scan.py corpus/relazione-performance-2019-ravenna.pdf /tmp/scan.pdf \
        [--dpi 150] [--max-angle 1.0] [--noise 12] [--seed 7] [--pages 5-8]
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageFilter


def scan_page(image: Image.Image, rng: random.Random, max_angle: float, noise: float) -> Image.Image:
    grey = image.convert("L")
    angle = rng.uniform(0.2, max_angle) * rng.choice((-1, 1))
    turned = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
    pixels = np.asarray(blurred, dtype=np.float32)
    np_rng = np.random.default_rng(rng.randrange(2**32))
    pixels = pixels * rng.uniform(0.9, 1.0) + np_rng.normal(0, noise, pixels.shape)  # paper tone, sensor noise
    specks = np_rng.random(pixels.shape) < 0.0004
    pixels[specks] = np_rng.uniform(0, 120, int(specks.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def make_scan(source: Path, target: Path, *, dpi: int = 150, max_angle: float = 1.0, noise: float = 12.0,
              seed: int = 7, pages: range | None = None, quality: int = 70) -> None:
    rng = random.Random(seed)
    doc = pypdfium2.PdfDocument(source)
    try:
        numbers = pages or range(1, len(doc) + 1)
        scanned = []
        for number in numbers:
            image = doc[number - 1].render(scale=dpi / 72).to_pil()
            page = scan_page(image, rng, max_angle, noise)
            buffer = io.BytesIO()
            page.save(buffer, format="JPEG", quality=quality)  # what scanners write
            scanned.append(Image.open(io.BytesIO(buffer.getvalue())))
    finally:
        doc.close()
    scanned[0].save(target, format="PDF", save_all=True, append_images=scanned[1:], resolution=dpi)


def _pages(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--max-angle", type=float, default=1.0, help="degrees")
    parser.add_argument("--noise", type=float, default=12.0, help="standard deviation of the grey noise")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages", type=_pages, default=None, help="e.g. 5-8")
    args = parser.parse_args()
    make_scan(args.source, args.target, dpi=args.dpi, max_angle=args.max_angle, noise=args.noise,
              seed=args.seed, pages=args.pages)


if __name__ == "__main__":
    main()
