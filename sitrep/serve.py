"""A preview in the browser: `sitrep serve` builds the HTML of the files, serves it at a local address, and
rebuilds on every save (through `sitrep.watch`); each open page reloads itself when a build has finished.

While a file's last build failed, its pages show that build's located messages instead of the report,
with the last good report one click away (the outputs of a failed build are never written, so it is still
there); once the mistake is fixed the page shows the report again. Only the HTML pages the builds wrote are
served, from the output folder, to this machine only (127.0.0.1 by default); the script that reloads a
page is added as it is served, never written into the file.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import settings
from .batch import DEFAULT_LIMITS, Limits, Outcome
from .build import DEFAULT_OPTIONS, Options
from .errors import BuildError, Style, messages, plain, printable
from .watch import BuildFile, watch

WAIT_SECONDS = 20.0
"""How long a page's question "has anything been built since?" is held open before it is asked again."""

CHANGES = "/_sitrep/changes"

_RELOAD = """<script>
/* sitrep serve: reload this page when a build has finished. */
(() => {
  const seen = %d;
  const wait = () => fetch("%s?since=" + seen, {cache: "no-store"})
    .then(answer => answer.text())
    .then(now => Number(now) === seen ? wait() : location.reload())
    .catch(() => setTimeout(wait, 1000));
  wait();
})();
</script>
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title>
<style>
body { font: 11pt/1.5 "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; max-width: 52em; margin: 0 auto;
       padding: 1.5em 1em; color: #1b1b1b; }
h1 { font-size: 1.4em; color: #0a5a9c; }
.problems { border-inline-start: 4px solid #a61b1b; padding-inline-start: 1em; }
.problems li { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; white-space: pre-wrap;
               overflow-wrap: anywhere; margin-bottom: 0.5em; }
a { color: #0a5a9c; }
</style>
</head>
<body>
<main>
%(body)s
</main>
%(reload)s</body>
</html>
"""


@dataclass(frozen=True)
class _State:
    """What came of an input's last build."""

    pages: tuple[str, ...] = ()
    """The names of the HTML files its last good build wrote (still in the output folder)."""
    problems: tuple[str, ...] = ()
    """The located messages of its last build, if that build failed."""


class Previews:
    """The state of every input's build, and a count of the builds finished, which a page waits on."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.inputs: dict[str, _State] = {}

    def record(self, outcome: Outcome) -> None:
        """A build finished: it wrote its pages, or failed with the messages it shows instead."""
        pages = tuple(target.name for target in outcome.written if target.suffix == ".html")
        problems = tuple(messages(outcome.path, outcome.error)) if outcome.error is not None else ()
        with self._changed:
            before = self.inputs.get(str(outcome.path), _State())
            self.inputs[str(outcome.path)] = _State(before.pages if problems else pages, problems)
            self.version += 1
            self._changed.notify_all()

    def wait(self, since: int, seconds: float) -> int:
        """The count of finished builds, as soon as it differs from ``since`` or after ``seconds``."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != since, timeout=seconds)
            return self.version

    def states(self) -> list[tuple[str, _State]]:
        """Every input's state, by path (a copy: builds go on meanwhile)."""
        with self._changed:
            return sorted(self.inputs.items())

    def state_of(self, page: str) -> tuple[str, _State] | None:
        """The input whose last good build wrote ``page``, and its state; None for a page no build wrote."""
        with self._changed:
            return next(((path, state) for path, state in self.inputs.items() if page in state.pages), None)


class _Handler(BaseHTTPRequestHandler):
    """Answers the browser: the index, each page (or its input's problems), and the wait for a new build."""

    def __init__(self, previews: Previews, output: Path, *args, **kwargs) -> None:
        self.previews, self.output = previews, output
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        if url.path == CHANGES:
            since = query.get("since", ["-1"])[0]
            now = self.previews.wait(int(since) if since.lstrip("-").isdigit() else -1, WAIT_SECONDS)
            self._send(HTTPStatus.OK, str(now), "text/plain")
        elif url.path == "/":
            self._page(HTTPStatus.OK, "sitrep serve", self._index())
        else:
            self._report(unquote(url.path.removeprefix("/")), "last-good" in query)

    def _report(self, name: str, last_good: bool) -> None:
        found = self.previews.state_of(name)
        if found is None:
            self._page(
                HTTPStatus.NOT_FOUND,
                "Not built",
                f"<h1>No page {html.escape(name)} has been built</h1>\n" + self._index(level=2),
            )
            return
        path, state = found
        if state.problems and not last_good:
            self._page(HTTPStatus.OK, f"{path}: not built", _problems(path, state.problems, name))
            return
        try:
            text = (self.output / name).read_text(encoding="utf-8")
        except OSError as error:
            self._page(HTTPStatus.NOT_FOUND, "Not found", f"<h1>{html.escape(str(error))}</h1>")
            return
        at = text.rfind("</body>")
        at = len(text) if at < 0 else at
        self._send(HTTPStatus.OK, text[:at] + self._reload() + text[at:], "text/html")

    def _index(self, level: int = 1) -> str:
        """Each input with links to its pages, and, for one whose last build failed, its messages."""
        items = []
        for path, state in self.previews.states():
            links = ", ".join(f'<a href="/{quote(page)}">{html.escape(page)}</a>' for page in state.pages)
            problems = "".join(f"<li>{html.escape(problem)}</li>" for problem in state.problems)
            trouble = f' <strong>not built</strong>\n<ol class="problems">{problems}</ol>' if problems else ""
            items.append(f"<li>{html.escape(path)}{': ' if links else ''}{links}{trouble}</li>")
        listed = "\n".join(items) or "<li>Building…</li>"
        return f"<h{level}>Reports</h{level}>\n<ul>\n{listed}\n</ul>"

    def _page(self, status: HTTPStatus, title: str, body: str) -> None:
        page = _PAGE % {"title": html.escape(title), "body": body, "reload": self._reload()}
        self._send(status, page, "text/html")

    def _reload(self) -> str:
        """The script that reloads the page once a build after the one it shows has finished."""
        return _RELOAD % (self.previews.version, CHANGES)

    def _send(self, status: HTTPStatus, text: str, kind: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the page was closed or left while it waited
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's name)
        """Requests are not logged: the terminal shows the builds."""


def _problems(path: str, problems: tuple[str, ...], page: str) -> str:
    listed = "\n".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    return (
        f"<h1>{html.escape(path)} was not built</h1>\n"
        "<p>Fix the file and save it: this page shows the report again as soon as it builds.</p>\n"
        f'<ol class="problems">\n{listed}\n</ol>\n'
        f'<p><a href="/{quote(page)}?last-good">The last good report</a> (kept until the file builds)</p>'
    )


def serve(
    paths: list[Path],
    output: Path,
    formats: tuple[str, ...] = ("html",),
    *,
    options: Options = DEFAULT_OPTIONS,
    limits: Limits = DEFAULT_LIMITS,
    host: str = settings.HOST,
    port: int = settings.PORT,
    echo: Callable[[str], None] = print,
    style: Style = plain,
    verbose: bool = False,
    debounce_ms: int = settings.DEBOUNCE_MS,
    stop_event: threading.Event | None = None,
    build: BuildFile | None = None,
) -> None:
    """Serve the HTML of ``paths`` at http://HOST:PORT/ while `sitrep.watch.watch` keeps it built in ``output``.

    The arguments not named here are ``watch``'s. The first line echoed gives the address (with the port
    chosen, when ``port`` is 0). Returns when ``stop_event`` is set; Ctrl-C raises KeyboardInterrupt.
    """
    previews = Previews()
    try:
        server = ThreadingHTTPServer((host, port), partial(_Handler, previews, output))
    except OSError as error:
        raise BuildError(
            f"cannot serve at {printable(host)}:{port} ({error.strerror}): choose another port with --port"
        ) from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="sitrep serve", daemon=True).start()
    echo(f"serving http://{printable(host)}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        watch(
            paths,
            output,
            tuple(dict.fromkeys(("html", *formats))),
            options=options,
            limits=limits,
            echo=echo,
            style=style,
            verbose=verbose,
            debounce_ms=debounce_ms,
            stop_event=stop_event,
            built=previews.record,
            build=build,
        )
    finally:
        server.shutdown()
        server.server_close()
