"""sitrep's performance figures, measured in one run on this machine.

    python benchmarks/run.py            # all four figures
    python benchmarks/run.py --quick    # smaller batches, for a first look

The example is written in English, Arabic and French; (a) to (d) build its English edition only
(`--lang en`), as they did before it had other editions; (e) builds all three.

(a) cold `sitrep build -f md` of the example: wall time of a new process, best of 5;
(b) PDF build of the example against bare WeasyPrint rendering the same HTML, warm, as a ratio;
(c) 50 inputs built with -j1 against -j2, as a speedup;
(d) inputs with 10, 100, 1,000 and 10,000 events and figures: time and peak memory of
    `sitrep build -f md` (and of `-f pdf` up to 1,000), to show how cost grows;
(e) the example's three editions (English, Arabic, French) as PDF against its English edition alone.

Targets on this machine kind: (a) <= 0.25 s, (b) <= 1.10x, (c) >= 1.7x, (d) linear growth,
10,000 events under 1 GiB. The script prints what it measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"

# Runs a command and prints the peak resident memory of it and of every process it started.
MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(peak)
"""


def sitrep(*args: str) -> list[str]:
    return [shutil.which("sitrep") or "sitrep", *args]


def wall(command: list[str], repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs of ``command``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def measured(command: list[str]) -> tuple[float, float]:
    """Wall time and peak memory (MiB) of ``command`` and its children."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True)
    return time.perf_counter() - started, int(result.stdout.split()[-1]) / 1024


def cold_markdown(work: Path) -> None:
    seconds = wall(sitrep("build", str(EXAMPLE), "-f", "md", "--lang", "en", "-o", str(work / "a")), repeat=5)
    print(f"(a) cold `sitrep build -f md` of the example: {seconds:.3f} s (target <= 0.25 s)")


def pdf_against_weasyprint() -> None:
    from weasyprint import HTML

    from sitrep.build import Options, build_file, check_file, render_outputs
    from sitrep.render import builtin_templates

    checked = check_file(EXAMPLE)
    html = render_outputs(checked, ("html",), source_name=EXAMPLE.name)[".html"].decode("utf-8")  # charts included
    base = builtin_templates().as_uri() + "/"
    out = Path(tempfile.mkdtemp())

    def ours() -> None:
        build_file(EXAMPLE, out, ("pdf",), Options(languages=("en",)))

    def bare() -> None:
        HTML(string=html, base_url=base).write_pdf()

    timings = {}
    for name, run in (("sitrep", ours), ("weasyprint", bare)):
        run()  # warm
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
        timings[name] = sorted(samples)[len(samples) // 2]
    ratio = timings["sitrep"] / timings["weasyprint"]
    print(
        f"(b) PDF of the example: sitrep {timings['sitrep']:.3f} s, bare WeasyPrint on the same HTML "
        f"{timings['weasyprint']:.3f} s: {ratio:.2f}x (target <= 1.10x)"
    )


def parallel(work: Path, count: int) -> None:
    inputs = work / "batch"
    inputs.mkdir()
    for index in range(count):
        shutil.copy(EXAMPLE, inputs / f"report-{index:03d}.yaml")
    one = wall(sitrep("build", str(inputs), "-f", "pdf", "--lang", "en", "-j", "1", "-o", str(work / "j1")))
    two = wall(sitrep("build", str(inputs), "-f", "pdf", "--lang", "en", "-j", "2", "-o", str(work / "j2")))
    print(
        f"(c) {count} PDFs: -j1 {one:.1f} s, -j2 {two:.1f} s: {one / two:.2f}x speedup on {os.cpu_count()} cores "
        "(target >= 1.7x)"
    )


def scaled(size: int) -> dict:
    """The example with ``size`` events and ``size`` figures, all sourced, all within the period."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["report"]["as_of"] = "2025-03-09 18:00 +03:00"
    data["report"]["period"] = {"from": "2025-03-06", "to": "2025-03-09"}
    data["report"]["next_update"] = "2025-03-12"
    data["report"]["language"] = "en"
    data["events"] = [
        {
            "date": f"2025-03-0{6 + index % 4}",
            "text": f"Event number {index} is reported.",
            "locations": ["latakia"],
            "sources": ["sohr"],
        }
        for index in range(size)
    ]
    data["figures"] = {
        f"figure-{index}": {
            "metric": "killed",
            "group": f"group {index}",
            "location": "tartus",
            "estimates": [{"value": index, "source": "sohr", "as_of": "2025-03-08"}],
        }
        for index in range(size)
    }
    data["narrative"]["overview"] = "The overview."
    data["highlights"] = [{"text": "A highlight.", "sources": ["sohr"]}]
    return data


def growth(work: Path, sizes: list[int], pdf_up_to: int) -> None:
    print("(d) size (events and figures) | md: time, peak memory | pdf: time, peak memory")
    for size in sizes:
        path = work / f"size-{size}.yaml"
        path.write_text(yaml.safe_dump(scaled(size), allow_unicode=True, sort_keys=False), encoding="utf-8")
        md = measured(sitrep("build", str(path), "-f", "md", "-o", str(work / "d")))
        line = f"    {size:>6,} | {md[0]:7.2f} s {md[1]:7.0f} MiB"
        if size <= pdf_up_to:
            pdf = measured(sitrep("build", str(path), "-f", "pdf", "-o", str(work / "d")))
            line += f" | {pdf[0]:7.2f} s {pdf[1]:7.0f} MiB"
        print(line)


def editions(work: Path) -> None:
    english = wall(sitrep("build", str(EXAMPLE), "-f", "pdf", "--lang", "en", "-o", str(work / "e1")), repeat=3)
    three = wall(sitrep("build", str(EXAMPLE), "-f", "pdf", "-o", str(work / "e3")), repeat=3)
    print(
        f"(e) the example's three editions as PDF: {three:.2f} s, its English edition alone {english:.2f} s "
        f"({three / english:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller batches and sizes")
    quick = parser.parse_args().quick
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cold_markdown(work)
        pdf_against_weasyprint()
        parallel(work, 10 if quick else 50)
        growth(work, [10, 100, 1000] if quick else [10, 100, 1000, 10000], 100 if quick else 1000)
        editions(work)


if __name__ == "__main__":
    main()
