"""sitrep's performance figures against the targets of issue 13, measured in one run on this machine.

    python benchmarks/run.py            # every figure (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer runs and smaller sizes, for a first look

Every figure is of whole processes, started afresh as a user starts them, and read from the operating
system's own accounting of each (``os.wait4``): CPU time (user + system) and peak resident memory of the
process and every process it waited for (a build's worker included), wall time from start to exit. The
benchmark's own memory is never counted.

Comparisons are paired and interleaved: the two commands run in turn (A B B A, A B B A...), after a warm-up
run of each, so that a drift of the machine's speed touches both alike; a ratio is taken pair by pair and its
median quoted, with its min and max. Templates are compiled into a fresh cache folder by the warm-up, as they
are by a user's first build. sitrep's modules are compiled to bytecode first and read from it, as after a pip
install (a PYTHONDONTWRITEBYTECODE set in the environment is left out: with it, every process would compile
sitrep's source again, about 0.06 s that no installed copy spends).

(a) cold `sitrep build -f md` of the example (its three editions, and its English one alone), `sitrep --help`
    and `sitrep validate`, each against the bare import of the libraries sitrep is built on
    (`python -c "import yaml, jinja2, click; from pydantic import BaseModel"`);
(b) cold `sitrep build -f pdf --lang en` against the `weasyprint` command with the same options (PDF tags,
    PDF/A-3b, the same fonts style sheet and base folder) on sitrep's own HTML of that edition; the weasyprint
    command is checked to give the same bytes on every run and the same pages and text as sitrep's PDF;
(c) 50 PDFs with -j1 and -j2 (`benchmarks/batch.py`, one round);
(d) `sitrep watch`: from a save of the example to its new output renamed into place, Markdown and PDF;
(e) growth: the example with 10, 100, 1,000 and 10,000 more events, and separately more figures (its charts
    and maps still drawn), as Markdown (the least CPU of two runs) and as PDF (up to 1,000), then 1,000 and
    10,000 events and figures together as PDF (with `--memory 8192`, to see what they need against the
    default limit): CPU, peak memory, and how the CPU a size adds (above the example's with 10 more) grows
    per tenfold size.

The load average is printed before and after: figures taken while others use the machine are for comparison
only. The script prints what it measures beside each target; it asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
TEMPLATES = ROOT / "templates"
SITREP = [sys.executable, "-m", "sitrep"]
BARE = [sys.executable, "-c", "import yaml, jinja2, click; from pydantic import BaseModel"]


@dataclass(frozen=True)
class Run:
    cpu: float
    wall: float
    peak_mib: float
    code: int


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """One run of ``command`` in a new process: its CPU, wall time and peak memory, with its children's."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, process.returncode)


def paired(a: list[str], b: list[str], pairs: int, env: dict[str, str]) -> tuple[list[Run], list[Run]]:
    """``pairs`` runs of each, in turn (A B B A ...), after one warm-up run of each."""
    run(a, env), run(b, env)
    first, second = [], []
    for index in range(pairs):
        if index % 2:
            second.append(run(b, env))
            first.append(run(a, env))
        else:
            first.append(run(a, env))
            second.append(run(b, env))
    return first, second


def spread(values: list[float], unit: str = " s", digits: int = 3) -> str:
    return f"min {min(values):.{digits}f}{unit}, median {statistics.median(values):.{digits}f}{unit}"


def ratio_line(name: str, a: list[Run], b: list[Run], target: float | None) -> str:
    cpu = [x.cpu / y.cpu for x, y in zip(a, b, strict=True)]
    wall = [x.wall / y.wall for x, y in zip(a, b, strict=True)]
    median = statistics.median(cpu)
    verdict = "" if target is None else f"  target <= {target:.2f}x: {'met' if median <= target else 'MISSED'}"
    return (
        f"    {name}: CPU {statistics.median(cpu):.2f}x (min {min(cpu):.2f}, max {max(cpu):.2f}), "
        f"wall {statistics.median(wall):.2f}x (min {min(wall):.2f}, max {max(wall):.2f}){verdict}"
    )


def figures_line(name: str, runs: list[Run]) -> str:
    failed = sum(r.code != 0 for r in runs)
    return (
        f"    {name:<44} CPU {spread([r.cpu for r in runs])}; wall {spread([r.wall for r in runs])}; "
        f"peak {max(r.peak_mib for r in runs):.0f} MiB" + (f"; {failed} runs FAILED" if failed else "")
    )


def cold(work: Path, pairs: int, env: dict[str, str]) -> None:
    print("(a) cold commands against the bare imports (`import yaml, jinja2, click; from pydantic import BaseModel`)")
    commands = {
        "sitrep build -f md (3 editions)": [*SITREP, "build", str(EXAMPLE), "-f", "md", "-q", "-o", str(work / "a")],
        "sitrep build -f md --lang en": [
            *SITREP,
            "build",
            str(EXAMPLE),
            "-f",
            "md",
            "--lang",
            "en",
            "-q",
            "-o",
            str(work / "a"),
        ],
        "sitrep --help": [*SITREP, "--help"],
        "sitrep validate": [*SITREP, "validate", str(EXAMPLE), "-q"],
    }
    for name, command in commands.items():
        ours, bare = paired(command, BARE, pairs, env)
        print(figures_line(name, ours))
        print(figures_line("bare imports", bare))
        print(ratio_line(f"{name} / bare imports", ours, bare, 1.6))


def pdf_text(path: Path) -> tuple[int, list[str]]:
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    return len(pages), [" ".join(page.extract_text().split()) for page in pages]


def against_weasyprint(work: Path, pairs: int, env: dict[str, str]) -> None:
    print("(b) cold PDF of the example's English edition against the `weasyprint` command on sitrep's own HTML")
    html_folder, ours_folder = work / "html", work / "b"
    subprocess.run(
        [*SITREP, "build", str(EXAMPLE), "-f", "html", "--lang", "en", "-q", "-o", str(html_folder)],
        env=env,
        check=False,
        stderr=subprocess.DEVNULL,
    )
    html = html_folder / f"{EXAMPLE.stem}.html"
    weasyprint = shutil.which("weasyprint") or "weasyprint"
    options = ["--pdf-tags", "--pdf-variant", "pdf/a-3b", "-s", str(TEMPLATES / "fonts.css"), "-u", f"{TEMPLATES}/"]
    bare = [weasyprint, *options, str(html), str(work / "weasyprint.pdf")]
    ours = [*SITREP, "build", str(EXAMPLE), "-f", "pdf", "--lang", "en", "-q", "-o", str(ours_folder)]
    a, b = paired(ours, bare, pairs, env)
    print(figures_line("sitrep build -f pdf --lang en", a))
    print(figures_line("weasyprint " + " ".join(options[:4]) + " ...", b))
    print(ratio_line("sitrep / weasyprint", a, b, 1.05))
    first = (work / "weasyprint.pdf").read_bytes()
    subprocess.run(bare, check=True, stderr=subprocess.DEVNULL)
    same_bytes = (work / "weasyprint.pdf").read_bytes() == first
    ours_pdf = ours_folder / f"{EXAMPLE.stem}.pdf"
    same_text = pdf_text(ours_pdf) == pdf_text(work / "weasyprint.pdf")
    print(
        f"    checks: the weasyprint command gives the same bytes on every run: {'yes' if same_bytes else 'NO'}; "
        f"the same pages and text as sitrep's PDF: {'yes' if same_text else 'NO'} "
        f"({pdf_text(ours_pdf)[0]} pages; {ours_pdf.stat().st_size:,} bytes against {len(first):,}: sitrep's differ, "
        "as it completes the structure PDF/UA asks for, claims PDF/UA-1 and compresses its streams itself)"
    )


def batch(quick: bool) -> None:
    print("(c) batch (benchmarks/batch.py, one round)")
    files = ["--files", "10"] if quick else []
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "batch.py"), "--rounds", "1", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in (result.stdout + result.stderr).splitlines():
        print("    " + line)


def watch_latency(work: Path, fmt: str, saves: int, env: dict[str, str]) -> list[float]:
    """Seconds from each save of the example (written in place, as most editors do) to its new output renamed
    into place by a running `sitrep watch`."""
    folder = work / f"watch-{fmt}"
    folder.mkdir()
    source = folder / "report.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    output = folder / "out" / f"report.{fmt}"
    command = [*SITREP, "watch", str(source), "-f", fmt, "--lang", "en", "-o", str(folder / "out")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    latencies = []
    try:
        _wait_for(lambda: output.exists(), 60)
        time.sleep(1.5)  # the watcher is running; a first save is then seen as any other
        for index in range(saves):
            before = output.stat().st_ino
            started = time.perf_counter()
            source.write_text(text + f"\n# save {index}\n", encoding="utf-8")
            _wait_for(lambda before=before: output.stat().st_ino != before, 30)  # a renamed file is a new inode
            latencies.append(time.perf_counter() - started)
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return latencies


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("sitrep watch did not write its output in time")
        time.sleep(0.002)


def watching(work: Path, saves: int, env: dict[str, str]) -> None:
    print("(d) `sitrep watch`: from a save of the example to its new output in place")
    for fmt, target in (("md", 0.05), ("pdf", 0.45)):
        latencies = watch_latency(work, fmt, saves, env)
        median = statistics.median(latencies)
        print(
            f"    -f {fmt:<4} {spread(latencies)} over {len(latencies)} saves  "
            f"target <= {target:.2f} s: {'met' if median <= target else 'MISSED'}"
        )


def grown(events: int, figures: int) -> dict:
    """The example with ``events`` more events and ``figures`` more figures, each dated in the period, located
    and sourced as the example's are; its key figures, charts and maps are kept."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    days = ["2025-03-06", "2025-03-07", "2025-03-08", "2025-03-09"]
    data["events"] = data.get("events", []) + [
        {"date": days[n % 4], "text": f"Event number {n} is reported.", "locations": ["latakia"], "sources": ["sohr"]}
        for n in range(events)
    ]
    data["figures"] = dict(data["figures"]) | {
        f"figure-{n}": {
            "metric": "killed",
            "group": f"group {n}",
            "location": "tartus",
            "estimates": [{"value": n, "source": "sohr", "as_of": "2025-03-08"}],
        }
        for n in range(figures)
    }
    return data


def growth(work: Path, sizes: list[int], pdf_up_to: int, together: int | None, env: dict[str, str]) -> None:
    print("(e) growth: the example with more events, or more figures (CPU, peak memory; English edition)")
    for fmt in ("md", "pdf"):  # templates compiled into the cache, as for the other figures
        run([*SITREP, "build", str(EXAMPLE), "-f", fmt, "--lang", "en", "-q", "-o", str(work / "e")], env)
    for kind in ("events", "figures"):
        for fmt in ("md", "pdf"):
            cpu: dict[int, float] = {}
            for size in (s for s in sizes if fmt == "md" or s <= pdf_up_to):
                path = work / f"{kind}-{size}.yaml"
                data = grown(size if kind == "events" else 0, size if kind == "figures" else 0)
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
                command = [*SITREP, "build", str(path), "-f", fmt, "--lang", "en", "-q", "-o", str(work / "e")]
                result = min((run(command, env) for _ in range(2 if fmt == "md" else 1)), key=lambda r: r.cpu)
                cpu[size] = result.cpu
                failed = "" if result.code == 0 else f" (exit {result.code})"
                shown = f"CPU {result.cpu:7.2f} s, peak {result.peak_mib:5.0f} MiB{failed}"
                print(f"    +{size:>6,} {kind:<7} -f {fmt:<3}: {shown}")
            base = cpu[min(cpu)]  # the example itself, nearly: what a size adds is measured above it
            steps = [
                f"{(cpu[b] - base) / (cpu[a] - base):.1f}x from {a:,} to {b:,}"
                for a, b in zip(cpu, list(cpu)[1:], strict=False)
                if b == 10 * a and a >= 1000  # below, what a size adds is lost in the noise
            ]
            if steps:
                print(f"      CPU added per tenfold size: {'; '.join(steps)}  target: linear (<= 10x)")
    if together:
        both = {}
        for size in (together // 10, together):
            path = work / f"both-{size}.yaml"
            path.write_text(yaml.safe_dump(grown(size, size), allow_unicode=True, sort_keys=False), "utf-8")
            command = [*SITREP, "build", str(path), "-f", "pdf", "--lang", "en", "-q", "-o", str(work / "e")]
            both[size] = result = run([*command, "--memory", "8192", "--timeout", "1200"], env)  # what it needs
            print(
                f"    +{size:,} events and {size:,} figures -f pdf (--memory 8192): exit {result.code}, "
                f"CPU {result.cpu:.1f} s, wall {result.wall:.1f} s, peak {result.peak_mib:.0f} MiB"
            )
        small, large = both[together // 10], both[together]
        verdict = (
            "met"
            if large.code == 0 and large.peak_mib <= 2048
            else "over it; the default is kept, and why is in the README's Safety section"
        )
        print(
            f"      CPU per tenfold size: {large.cpu / small.cpu:.1f}x  target: linear (<= 10x); "
            f"peak memory of {together:,}: {large.peak_mib:.0f} MiB  target: within the default 2048 MiB, or the "
            f"default reasoned: {verdict}"
        )


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes")
    quick = parser.parse_args().quick
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    started = time.monotonic()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(ROOT / "sitrep", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "SITREP_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT)}
        cold(work, 3 if quick else 8, env)
        against_weasyprint(work, 3 if quick else 6, env)
        batch(quick)
        watching(work, 3 if quick else 8, env)
        growth(
            work,
            [10, 100, 1000] if quick else [10, 100, 1000, 10000],
            100 if quick else 1000,
            None if quick else 10000,
            env,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}; took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
