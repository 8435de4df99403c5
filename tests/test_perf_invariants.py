"""What the speed-ups promise besides speed: the same bytes, and never stale or broken by their own state.

The compiled templates kept in the cache folder (sitrep.cache) give the outputs a fresh compile gives,
are never used for a changed template, another Jinja or other settings, and a cache folder that cannot
be written or holds damaged entries costs only the compiling.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sitrep import cache
from sitrep.cache import TemplateCache, fingerprint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"


def _build(output: Path, cache_folder: Path, *args: str) -> subprocess.Popen:
    """`sitrep build` of the example's English Markdown in a new process, as a user runs it."""
    environment = {**os.environ, "SITREP_CACHE": str(cache_folder)}
    command = [sys.executable, "-m", "sitrep", "build", str(EXAMPLE), "-f", "md", "--lang", "en", "-o", str(output)]
    return subprocess.Popen([*command, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _built(output: Path, cache_folder: Path, *args: str) -> dict[str, bytes]:
    process = _build(output, cache_folder, *args)
    _out, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()
    return {path.name: path.read_bytes() for path in sorted(output.iterdir())}


def _entries(folder: Path) -> dict[Path, int]:
    """The cache's entries and the inode of each (a rewritten entry is a new file)."""
    return {path: path.stat().st_ino for path in folder.rglob("*.cache")}


def test_a_new_process_reads_the_compiled_templates_and_writes_the_same_bytes(tmp_path):
    folder = tmp_path / "cache"
    first = _built(tmp_path / "first", folder)
    entries = _entries(folder)
    assert len(entries) >= 2, "the Markdown template and the charts' templates are kept"
    second = _built(tmp_path / "second", folder)
    assert second == first
    assert _entries(folder) == entries, "the second build compiled its templates again instead of reading them"


def test_the_outputs_are_the_same_without_a_cache(tmp_path):
    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder", encoding="utf-8")
    uncached = _built(tmp_path / "uncached", unwritable / "cache")  # cannot be made: nothing is kept
    cached = _built(tmp_path / "cached", tmp_path / "cache")
    assert uncached == cached
    assert unwritable.read_text(encoding="utf-8") == "not a folder"


def test_damaged_entries_are_compiled_afresh(tmp_path):
    folder = tmp_path / "cache"
    first = _built(tmp_path / "first", folder)
    damaged = list(_entries(folder))
    damaged[0].write_bytes(b"")
    damaged[1].write_bytes(damaged[1].read_bytes()[:40])
    for path in damaged[2:]:
        path.write_bytes(b"\x00garbage" * 10)
    assert _built(tmp_path / "second", folder) == first
    assert all(path.stat().st_size > 100 for path in damaged), "a damaged entry is replaced by a good one"


def test_two_processes_filling_the_cache_at_once(tmp_path):
    folder = tmp_path / "cache"
    running = [_build(tmp_path / f"out-{n}", folder) for n in range(2)]
    for process in running:
        _out, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()
    assert not list(folder.rglob("*.tmp")), "a temporary file was left in the cache"
    entries = _entries(folder)
    third = _built(tmp_path / "third", folder)
    assert _entries(folder) == entries, "an entry written by two processes at once could not be read"
    assert third == {path.name: path.read_bytes() for path in sorted((tmp_path / "out-0").iterdir())}


def _environment(folder: Path, **settings) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(str(folder)), **settings)
    env.bytecode_cache = TemplateCache(env)
    return env


def test_a_changed_template_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "cache"))
    (tmp_path / "t.md").write_text("first {{ n }}", encoding="utf-8")
    assert _environment(tmp_path).get_template("t.md").render(n=1) == "first 1"
    (tmp_path / "t.md").write_text("second {{ n }}", encoding="utf-8")
    assert _environment(tmp_path).get_template("t.md").render(n=2) == "second 2"


def test_the_cache_is_kept_apart_for_other_settings_jinja_or_python(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "cache"))
    (tmp_path / "t.md").write_text("  {% if n %}\nyes\n  {% endif %}\n", encoding="utf-8")
    plain = _environment(tmp_path)
    trimmed = _environment(tmp_path, trim_blocks=True, lstrip_blocks=True)
    assert plain.get_template("t.md").render(n=1) == "  \nyes\n  "
    assert trimmed.get_template("t.md").render(n=1) == "yes\n"
    assert fingerprint(plain) != fingerprint(trimmed)
    before = fingerprint(plain)
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    assert fingerprint(plain) != before
    monkeypatch.setattr(sys.implementation, "cache_tag", "other-99")
    assert fingerprint(plain) != before


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"
    monkeypatch.delenv("SITREP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "sitrep"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG specification says to ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "sitrep"


def test_a_folder_that_cannot_be_written_costs_only_the_compiling(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", "/proc/self/cannot-be-written")  # not even root makes a folder there
    (tmp_path / "t.md").write_text("ok {{ n }}", encoding="utf-8")
    assert _environment(tmp_path).get_template("t.md").render(n=3) == "ok 3"
