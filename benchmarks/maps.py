"""What the maps add to a build, measured in one process on this machine.

    python benchmarks/maps.py [--runs N]

Builds the Markdown of the earthquake's No. 2 (inputs/syria-earthquake-2023-02-21.yaml: a locator map
and an areas map of Syria's 14 governorates) with and without its maps, in turn (with, without, with...),
after one build of each that is not counted: so the world's outlines are already loaded, as in `watch`,
`serve` or a batch worker. Prints CPU and wall time (min and median) of each and the difference. Then,
in a new process each time, what reading the world's outlines costs once, its modules already imported
(min of the runs). Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from sitrep import build
from sitrep.build import check_file, render_outputs

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "syria-earthquake-2023-02-21.yaml"


def timed(action) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    checked = check_file(EXAMPLE)
    with_maps = build.PRODUCTS["sitrep"]
    without = replace(with_maps, charts=tuple(c for c in with_maps.charts if c not in ("map", "areas")))

    def markdown(product) -> None:
        build.PRODUCTS["sitrep"] = product
        try:
            files = render_outputs(checked, ("md",), language="en")
        finally:
            build.PRODUCTS["sitrep"] = with_maps
        assert ("-map.svg" in files) == (product is with_maps)

    samples: dict[str, list[tuple[float, float]]] = {"with maps": [], "without": []}
    markdown(with_maps), markdown(without)  # warm-up, not counted
    for _ in range(runs):
        samples["with maps"].append(timed(lambda: markdown(with_maps)))
        samples["without"].append(timed(lambda: markdown(without)))
    print(f"{EXAMPLE.name}, Markdown, {runs} interleaved runs each (ms):")
    for name, values in samples.items():
        cpu, wall = [v[0] * 1000 for v in values], [v[1] * 1000 for v in values]
        print(
            f"  {name:10} cpu min {min(cpu):6.1f} median {statistics.median(cpu):6.1f}   "
            f"wall min {min(wall):6.1f} median {statistics.median(wall):6.1f}"
        )
    added = statistics.median(a[0] - b[0] for a, b in zip(samples["with maps"], samples["without"], strict=True))
    print(f"  the maps add {added * 1000:.1f} ms of CPU (median of the pairs' differences)")
    load = (
        "import time; from sitrep.maps import world; t = time.process_time(); world.countries(); "
        "print(time.process_time() - t)"
    )
    once = min(
        float(subprocess.run([sys.executable, "-c", load], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    )
    print(f"loading the world's outlines, once per process: {once * 1000:.0f} ms of CPU (min of 5 new processes)")


if __name__ == "__main__":
    main()
