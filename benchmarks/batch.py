"""Batch builds with warm workers: N PDFs with -j1 and -j2, against a baseline revision's -j1.

    python benchmarks/batch.py                     # 50 PDFs, 3 rounds, baseline f2efb03
    python benchmarks/batch.py --files 10 --rounds 1 --baseline HEAD~3

Each round runs, one after the other (interleaved, so that a drift of the machine's speed touches all
three alike): the baseline's `sitrep build -f pdf --lang en -j1`, this tree's with -j1, and this tree's with
-j2, each a fresh process building copies of the example into a fresh folder. CPU time is the whole process
tree's (the command and every worker it waited for: ``RUSAGE_CHILDREN``), wall time from start to exit.
Prints min and median of each, per-file CPU, and the two targets of issue 13 item 4 beside their figures:
-j2 at least 1.8x faster than -j1 (wall, on an idle 2-core machine), and per-file CPU at least 25 % below the
baseline's -j1. The baseline (by default f2efb03, before warm workers) is taken from git into a temporary
folder and run from there. The load average is printed before and after: figures from a busy machine are
for comparison only. Each command has a temporary folder of its own (TMPDIR); what is left in it at the end is
printed (issue 14 item 5: nothing should be).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
BUILD = 'from sitrep import cli; (getattr(cli, "run", None) or cli.main)()'  # the command as each revision runs it


def run(tree: Path, inputs: Path, output: Path, jobs: int, temporary: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `sitrep build` of ``inputs`` run from the source ``tree``, with ``temporary``
    as its temporary folder."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-c", BUILD, "build", str(inputs), "-f", "pdf", "--lang", "en", "-q"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "-j", str(jobs), "-o", str(output)],
        env=dict(os.environ, PYTHONPATH=str(tree), TMPDIR=str(temporary)),
        cwd=output.parent,  # not this checkout: `python -c` would import sitrep from the current folder first
        stderr=subprocess.DEVNULL,
        check=False,  # the example has warnings only: exit 0; checked below through the outputs
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def summary(samples: list[float]) -> str:
    return f"min {min(samples):6.2f} s, median {statistics.median(samples):6.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50, help="PDFs per build (default 50)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three builds (default 3)")
    parser.add_argument("--baseline", default="f2efb03", help="git revision to compare with (default f2efb03)")
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    try:
        baseline = work / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", arguments.baseline], capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
        inputs = work / "inputs"
        inputs.mkdir()
        for index in range(arguments.files):
            shutil.copy(EXAMPLE, inputs / f"report-{index:03d}.yaml")

        trees = {"baseline -j1": (baseline, 1), "warm -j1": (ROOT, 1), "warm -j2": (ROOT, 2)}
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # each child reads the bytecode, as after a pip install
        for tree in (baseline, ROOT):
            compileall.compile_dir(tree / "sitrep", quiet=1)
        temporary = {name: work / f"tmp-{name.replace(' ', '')}" for name in trees}
        for folder in temporary.values():
            folder.mkdir()
        walls: dict[str, list[float]] = {name: [] for name in trees}
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        print(f"{arguments.files} PDFs, {arguments.rounds} rounds; {os.cpu_count()} cores")
        print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        for round_ in range(arguments.rounds):
            for name, (tree, jobs) in trees.items():
                output = work / f"out-{round_}-{name.replace(' ', '')}"
                wall, cpu = run(tree, inputs, output, jobs, temporary[name])
                built = len(list(output.glob("*.pdf")))
                assert built == arguments.files, f"{name}: {built} of {arguments.files} PDFs built"
                walls[name].append(wall)
                cpus[name].append(cpu)
        one, two = work / "out-0-warm-j1", work / "out-0-warm-j2"
        same = all((one / path.name).read_bytes() == path.read_bytes() for path in two.glob("*.pdf"))
        print(f"load average after:  {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        print()
        for name in trees:
            per_file = [cpu / arguments.files for cpu in cpus[name]]
            print(
                f"{name:13} wall {summary(walls[name])}; CPU {summary(cpus[name])}; "
                f"CPU per file median {statistics.median(per_file):.3f} s"
            )
        print()
        speedup = statistics.median(walls["warm -j1"]) / statistics.median(walls["warm -j2"])
        saved = 1 - statistics.median(cpus["warm -j1"]) / statistics.median(cpus["baseline -j1"])
        pairs = [a / b for a, b in zip(walls["warm -j1"], walls["warm -j2"], strict=True)]
        print(
            f"-j2 against -j1, wall: {speedup:.2f}x (medians; round by round {', '.join(f'{p:.2f}' for p in pairs)})"
            f"  target >= 1.80x: {'met' if speedup >= 1.8 else 'MISSED'}"
        )
        print(
            f"CPU per file, warm -j1 against baseline -j1: {-saved:+.0%}  target <= -25 %: "
            f"{'met' if saved >= 0.25 else 'MISSED'}"
        )
        print(f"-j1 and -j2 PDFs byte for byte the same: {same}")
        builds = arguments.files * arguments.rounds
        for name, folder in temporary.items():
            left = list(folder.rglob("*"))
            size = sum(path.stat().st_size for path in left if path.is_file()) / 2**20
            print(
                f"{name}: left {len(left)} files and folders ({size:.1f} MiB) in its temporary folder after "
                f"{builds} builds"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
