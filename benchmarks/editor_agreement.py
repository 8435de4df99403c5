"""How often an editor and `sitrep validate` agree on a file, measured with yaml-language-server.

    npm install --prefix /tmp/yls yaml-language-server     # once; needs node
    python benchmarks/editor_agreement.py --server /tmp/yls/node_modules/.bin/yaml-language-server

(without --server, `yaml-language-server` is looked for on the PATH.) yaml-language-server is the
YAML support of VS Code, Neovim, Emacs, Helix, Zed and JetBrains IDEs' LSP clients; it reads YAML 1.2
and validates against the JSON Schema a file's first line names. The script drives it through the
language server protocol (standard input and output, JSON-RPC): it opens every case of
tests/editor_cases.py (the bundled examples, the corpus of hand-editing mistakes, and values written
field by field) and collects the problems the editor would underline, then runs `sitrep validate`
on the same files. A case agrees when both accept it or both refuse it. It prints each disagreement,
what the editor shows on hovering a few fields, and the count. It installs nothing and asserts
nothing; the pure-Python check of the same cases is tests/test_schema.py.

The examples are opened where they are, so that the schema line they carry, and the
inputs/sitrep.schema.json it names, are what is measured; an example the schema does not reach
counts as a disagreement. The other cases are written to a temporary folder beside the schema
`sitrep schema` writes, with the schema line `sitrep new` writes put first.
"""

from __future__ import annotations

import argparse
import json
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from editor_cases import ACCEPT, BEYOND_SCHEMA, REFUSE, cases  # noqa: E402

from sitrep.schema import SCHEMA_FILE, modeline, schema_text  # noqa: E402

SETTINGS = {
    "validate": True,
    "hover": True,
    "completion": True,
    "yamlVersion": "1.2",
    "schemaStore": {"enable": False},
    "schemas": {},
}
HOVERED = [
    ("report", "report:"),
    ("produced_by", "  produced_by:"),
    ("value", "      - value:"),
    ("key", "    key:"),
    ("as_of", "        as_of:"),
]
"""Fields whose hover text is printed, each found in the value cases' template by how its line starts."""
WAIT = 30.0
"""Seconds to wait for the server's answer about one file before giving up on the run."""


class LanguageServer:
    """A language server process, spoken to in JSON-RPC over its standard input and output."""

    def __init__(self, command: list[str], root: Path) -> None:
        self.process = subprocess.Popen(
            [*command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}, "publishDiagnostics": {}},
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == self.next_id and "method" not in message)["result"]

    def wait(self, wanted) -> dict[str, Any]:
        """The next message ``wanted`` accepts, answering the server's own requests meanwhile."""
        while True:
            message = self.messages.get(timeout=WAIT)
            if "method" in message and "id" in message:  # a request from the server
                self._send({"id": message["id"], "result": self._answer(message)})
            elif wanted(message):
                return message

    @staticmethod
    def _answer(message: dict[str, Any]) -> Any:
        if message["method"] == "workspace/configuration":
            return [SETTINGS if item.get("section") == "yaml" else {} for item in message["params"]["items"]]
        return None

    def diagnostics(self, path: Path, text: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The problems the server reports in ``text`` (opened as the file ``path``), and its hover texts."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        published = self.wait(
            lambda message: (
                message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
            )
        )
        hovers = {}
        lines = text.split("\n")
        for name, start in HOVERED:
            line = next((number for number, written in enumerate(lines) if written.startswith(start)), None)
            if line is not None:
                result = self.request(
                    "textDocument/hover",
                    {"textDocument": {"uri": uri}, "position": {"line": line, "character": len(start) - 2}},
                )
                hovers[name] = (result or {}).get("contents", {}).get("value", "") if result else ""
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self.wait(
            lambda message: (
                message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
            )
        )
        return [d for d in published["params"]["diagnostics"] if d.get("severity", 1) <= 2], hovers

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.process.wait(timeout=WAIT)


def validator_verdicts(paths: list[Path]) -> dict[Path, str]:
    """What `sitrep validate` says of each file: accept (it says ok) or refuse."""
    command = [sys.executable, "-c", "from sitrep.cli import main; main()", "validate", *map(str, paths)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    accepted = {line.removesuffix(": ok") for line in result.stdout.splitlines() if line.endswith(": ok")}
    return {path: ACCEPT if str(path) in accepted else REFUSE for path in paths}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", help="yaml-language-server's command (default: found on the PATH)")
    parser.add_argument("--hover", action="store_true", help="print the hover texts of a few fields")
    options = parser.parse_args()
    server_command = options.server or shutil.which("yaml-language-server")
    if not server_command or not Path(server_command).exists():
        print(
            "yaml-language-server not found: npm install --prefix /tmp/yls yaml-language-server, then "
            "--server /tmp/yls/node_modules/.bin/yaml-language-server",
            file=sys.stderr,
        )
        return 2
    version = subprocess.run(
        [
            "node",
            "-e",
            "console.log(require(process.argv[1]).version)",
            str(Path(server_command).resolve().parent.parent / "package.json"),
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
        all_cases = cases()
        paths = {}
        for number, case in enumerate(all_cases):
            if case.path is not None and case.path.parent == ROOT / "inputs":
                paths[case] = case.path
            else:
                paths[case] = folder / f"case-{number:03d}.yaml"
                text = case.text if case.text.startswith(modeline()) else f"{modeline()}\n{case.text}"
                paths[case].write_text(text, encoding="utf-8")
        verdicts = validator_verdicts(list(paths.values()))
        server = LanguageServer([server_command], ROOT)
        agree, rows = 0, []
        hover_texts: dict[str, str] = {}
        try:
            for case in all_cases:
                problems, hovers = server.diagnostics(paths[case], paths[case].read_text(encoding="utf-8"))
                hover_texts = hover_texts or (hovers if "value" in hovers else {})
                editor = REFUSE if problems else ACCEPT
                sitrep = verdicts[paths[case]]
                reached = bool(hovers.get("report"))
                if editor == sitrep and reached:
                    agree += 1
                else:
                    rows.append((case, sitrep, editor if reached else "no schema", problems))
        finally:
            server.close()
    for case, sitrep, editor, problems in rows:
        said = "; ".join(f"line {p['range']['start']['line'] + 1}: {p['message']}" for p in problems[:2])
        why = BEYOND_SCHEMA.get(case.name, said)
        print(
            f"disagree  {case.name}: sitrep {sitrep}s, the editor {editor}{'s' if editor != 'no schema' else ''}"
            + (f" ({why})" if why else "")
        )
    if options.hover:
        for name, text in hover_texts.items():
            print(f"\nhover on {name}:\n{text}")
    kinds = [("examples", "inputs/"), ("mistakes", "mistakes/")]
    print(f"\nyaml-language-server {version}, schema of sitrep {sitrep_version()}")
    for label, prefix in [*kinds, ("values", None)]:
        group = [
            case
            for case in all_cases
            if (case.name.startswith(prefix) if prefix else not any(case.name.startswith(p) for _, p in kinds))
        ]
        missed = sum(1 for row in rows if row[0] in group)
        print(f"{label:9} {len(group) - missed:4} of {len(group)} agree")
    print(f"{'all':9} {agree:4} of {len(all_cases)} agree")
    return 0


def sitrep_version() -> str:
    from sitrep import __version__

    return __version__


if __name__ == "__main__":
    sys.exit(main())
