"""How long the clarity check of a 12-megapixel phone JPEG takes, on one core.

    .venv/bin/python bench/bench_materials_check.py [--photos 12] [--rounds 5]

Generates real-size photos (4000×3000, JPEG quality 92, one of each defect in
rotation), then times ``upload_check`` (read, sniff, reduced-scale decode, check)
on each, single-threaded. Prints the median and the spread.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huji.conf.settings_test")
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(name, "1")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    import cv2
    import django

    cv2.setNumThreads(1)  # one core, as the requirement is stated
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from huji.materials.services import upload_check
    from huji.materials.tests.synthetic import DEFECTS, KINDS, make_sample

    cache = ROOT / ".cache" / "materials-bench"
    cache.mkdir(parents=True, exist_ok=True)
    photos = []
    for index in range(options.photos):
        kind = KINDS[index % len(KINDS)]
        defect = DEFECTS[index % len(DEFECTS)]
        if defect == "low_resolution":
            defect = "good"  # the benchmark is about full-size photos
        path = cache / f"{index}-{kind}-{defect}.jpg"
        if not path.exists():
            sample = make_sample(
                500 + index, kind=kind, defect=defect, size=(4000, 3000)
            )
            buffer = io.BytesIO()
            sample.image.save(buffer, "JPEG", quality=92)
            path.write_bytes(buffer.getvalue())
        photos.append((path.read_bytes(), kind))
    print(
        f"{len(photos)} photos, 4000×3000 (12 MP), "
        f"{statistics.mean(len(d) for d, _ in photos) / 1e6:.1f} MB on average"
    )

    timings = []
    for _round in range(options.rounds):
        for data, kind in photos:
            started = time.process_time()
            upload_check(file=SimpleUploadedFile("photo.jpg", data), material_kind=kind)
            timings.append((time.process_time() - started) * 1000)
    timings.sort()
    quartiles = statistics.quantiles(timings, n=4)
    median = statistics.median(timings)
    print(
        f"CPU time per check over {len(timings)} checks: median {median:.0f} ms, "
        f"quartiles {quartiles[0]:.0f}–{quartiles[2]:.0f} ms, "
        f"min {timings[0]:.0f} ms, max {timings[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
