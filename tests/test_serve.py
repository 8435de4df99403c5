"""`sitrep serve` in the browser readers use (Chromium): a save shows in the open page, a mistake shows its
located message there instead of the report, with the last good report one click away.

The server runs in a thread on a free port of this machine and is stopped with its stop_event.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DEADLINE_S, located, replace_once, wait_until
from test_watch import EXAMPLE, STOP_WITHIN_S

from sitrep.cli import main
from sitrep.serve import serve

TITLE = '    en: "Syria: Violence on the western coast"\n'
WAIT_MS = 15_000  # a rebuild and a reload, on a busy machine


@contextlib.contextmanager
def serving(inputs: Path, output: Path) -> Iterator[tuple[str, list[str]]]:
    """Run serve() in a thread on a free port; yield its address once the first build is done, and the lines
    it echoed; then stop it and check it ended cleanly."""
    lines: list[str] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve([inputs], output, port=0, echo=lines.append, debounce_ms=50, stop_event=stop)
        except BaseException as error:  # handed to the test, below
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: any(line.startswith("built ") for line in lines) or bool(failures), "first build", lines)
        assert not failures, failures
        address = re.fullmatch(r"serving (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)", lines[0])
        assert address, lines[0]
        yield address.group(1), lines
    finally:
        stop.set()
        thread.join(STOP_WITHIN_S + DEADLINE_S)
    assert not thread.is_alive(), "serve() did not end after its stop_event was set"
    if failures:
        raise failures[0]


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    source = inputs / "syria.yaml"
    shutil.copy(EXAMPLE, source)
    return inputs, source, tmp_path / "out"


@pytest.mark.slow
def test_a_save_shows_in_the_open_page_and_a_mistake_shows_where_it_is(project, browser):
    inputs, source, output = project
    with serving(inputs, output) as (address, lines):
        page = browser.new_page()
        page.goto(address + "syria.html")
        assert page.locator("h1").inner_text() == "Syria: Violence on the western coast"

        # a save: the open page reloads with the new text, nobody touching it
        replace_once(source, TITLE, TITLE.replace('coast"', 'coast, revised"'))
        page.wait_for_function("document.querySelector('h1').textContent.endsWith('coast, revised')", timeout=WAIT_MS)

        # a mistake: the page shows the located message instead of the report
        text = replace_once(source, "  number: 1\n", "  number: one\n")
        problems = page.locator("ol.problems li")
        problems.first.wait_for(timeout=WAIT_MS)
        assert re.search(rf"syria\.yaml:{located(text, 'one')}: report\.number: ", problems.first.inner_text())
        assert page.locator("h1").inner_text().endswith("syria.yaml was not built")

        # the last good report, one click away
        page.get_by_role("link", name="The last good report").click()
        page.wait_for_function("document.querySelector('h1').textContent.endsWith('coast, revised')", timeout=WAIT_MS)

        # fixed: the report is back in the page that showed the mistake
        page.goto(address + "syria.html")
        assert page.locator("ol.problems li").count() >= 1
        replace_once(source, "  number: one\n", "  number: 2\n")
        page.wait_for_function("document.querySelector('.edition') !== null", timeout=WAIT_MS)
        assert re.search(r"No\.\s2\b", page.locator(".edition").inner_text())
        page.close()
    assert any(line.endswith("not rebuilt, the last good output is kept") for line in lines)


def test_the_index_lists_each_file_its_pages_or_its_mistakes_and_nothing_else_is_served(project):
    inputs, source, output = project
    broken = source.read_text(encoding="utf-8").replace("  number: 1\n", "  number: one\n")
    (inputs / "broken.yaml").write_text(broken, encoding="utf-8")
    with serving(inputs, output) as (address, lines):
        wait_until(
            lambda: any(line.endswith("broken.yaml: not built, the last good output is kept") for line in lines),
            "the broken file's build",
            lines,
        )
        index = urllib.request.urlopen(address).read().decode("utf-8")
        for page in ("syria.html", "syria-ar.html", "syria-fr.html"):
            assert f'href="/{page}"' in index
        # a file that never built: its messages on the index, located
        assert re.search(rf"<li>\S*broken\.yaml:{located(broken, 'one')}: report\.number: ", index)
        assert "broken.html" not in index
        (output / "secret.txt").write_text("not a report", encoding="utf-8")
        for path in ("secret.txt", "../in/syria.yaml", "%2e%2e/in/syria.yaml", "syria.md"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(address + path)
            assert refused.value.code == 404, path
        served = urllib.request.urlopen(address + "syria.html").read().decode("utf-8")
        assert served.count("<script>") == 1 and "<script>" not in (output / "syria.html").read_text("utf-8")


def test_a_port_in_use_is_a_message_not_a_traceback(project, monkeypatch):
    inputs, _source, output = project
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(inputs), "-o", str(output), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot serve at 127.0.0.1:{port}" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


def test_a_host_is_printed_escaped(project):
    inputs, _source, output = project
    result = CliRunner().invoke(main, ["serve", str(inputs), "-o", str(output), "--host", "\x1b[2Jlocal\x07host"])
    assert result.exit_code == 1
    assert "cannot serve at \\x1b[2Jlocal\\x07host:" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
