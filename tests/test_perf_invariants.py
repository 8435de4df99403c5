"""What the speed-ups promise besides speed: the same bytes, and never stale or broken by their own state.

The compiled templates and catalogs kept in the cache folder (sitrep.cache) give the outputs a fresh
compile gives, are never used for a changed template or catalog, another Jinja or other settings, and a
cache folder that cannot be written or holds damaged entries costs only the compiling. `sitrep cache
--clear` removes what sitrep keeps there, and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sitrep import cache, language
from sitrep.cli import main
from sitrep.render import TemplateCache, fingerprint

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


@pytest.mark.slow
def test_a_new_process_reads_the_compiled_templates_and_writes_the_same_bytes(tmp_path):
    folder = tmp_path / "cache"
    first = _built(tmp_path / "first", folder)
    entries = _entries(folder)
    assert len(entries) >= 2, "the Markdown template and the charts' templates are kept"
    second = _built(tmp_path / "second", folder)
    assert second == first
    assert _entries(folder) == entries, "the second build compiled its templates again instead of reading them"


@pytest.mark.slow
def test_the_outputs_are_the_same_without_a_cache(tmp_path):
    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder", encoding="utf-8")
    uncached = _built(tmp_path / "uncached", unwritable / "cache")  # cannot be made: nothing is kept
    cached = _built(tmp_path / "cached", tmp_path / "cache")
    assert uncached == cached
    assert unwritable.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.slow
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


@pytest.mark.slow
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


# One WeasyPrint font configuration per process, and pydyf's page list made once while WeasyPrint tags.

TEXT = "".join(f"<p>Paragraph {n}.</p>" for n in range(8))
PAGES = "".join(f'<section style="break-after: page"><h2>Part {n}</h2>{TEXT}</section>' for n in range(12))
HTML = f'<html lang="en"><head><title>t</title></head><body>{PAGES}</body></html>'


def _pdf(folders: list[Path] | None = None) -> bytes:
    from sitrep.pdf import html_to_pdf
    from sitrep.render import builtin_templates

    return html_to_pdf(HTML, folders or [builtin_templates()])


def _counting_font_configurations(monkeypatch) -> list:
    from weasyprint.text import fonts

    made = []
    original = fonts.FontConfiguration

    def counted():
        made.append(original())
        return made[-1]

    monkeypatch.setattr(fonts, "FontConfiguration", counted)
    return made


@pytest.mark.slow
def test_one_font_configuration_serves_every_pdf_of_a_process(monkeypatch):
    from sitrep import pdf

    pdf._FONTS.clear()
    made = _counting_font_configurations(monkeypatch)
    first, second = _pdf(), _pdf()
    assert len(made) == 1
    pdf._FONTS.clear()
    assert _pdf() == first == second, "a shared font configuration changed the PDF's bytes"
    assert len(made) == 2


@pytest.mark.slow
def test_a_changed_template_folder_gets_fresh_fonts_and_a_broken_fonts_css_fails_every_build(tmp_path, monkeypatch):
    from sitrep.errors import BuildError
    from sitrep.render import builtin_templates

    made = _counting_font_configurations(monkeypatch)
    folders = [tmp_path, builtin_templates()]
    _pdf(folders)
    (tmp_path / "fonts.css").write_text('@font-face { font-family: "X"; src: url(fonts/none.ttf); }', "utf-8")
    for _ in range(2):
        with pytest.raises(BuildError, match="none.ttf"):
            _pdf(folders)
    assert len(made) == 3, "each build with the broken fonts.css made its own fonts"


def _upstream_page_references():
    """pydyf's own ``PDF.page_references``, under sitrep's workaround once a PDF was written."""
    import inspect

    import pydyf

    _pdf()
    found = inspect.getattr_static(pydyf.PDF, "page_references", None)
    assert isinstance(found, property), (
        "pydyf's PDF has no page_references property any more: remove sitrep.pdf._pages_listed_once"
    )
    upstream = inspect.unwrap(found.fget)
    assert upstream is not found.fget, "sitrep.pdf._pages_listed_once no longer applies"
    return upstream


def test_the_workaround_for_pydyfs_page_list_is_still_needed():
    import inspect

    import pydyf
    from weasyprint.pdf import tags

    upstream = _upstream_page_references()
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert upstream(document) == upstream(document)
    assert upstream(document) is not upstream(document), (
        "pydyf now keeps PDF.page_references instead of rebuilding it: remove sitrep.pdf._pages_listed_once"
    )
    assert "pdf.page_references[" in inspect.getsource(tags), (
        "WeasyPrint's tagging no longer reads pdf.page_references: remove sitrep.pdf._pages_listed_once"
    )


@pytest.mark.slow
def test_tagging_lists_the_pages_once_and_writes_the_same_bytes(monkeypatch):
    import pydyf
    from weasyprint import pdf as writer

    from sitrep import pdf

    upstream = _upstream_page_references()

    def calls() -> tuple[int, bytes]:
        count = 0

        def profile(frame, event, _arg):
            nonlocal count
            count += event == "call" and frame.f_code is upstream.__code__

        sys.setprofile(profile)
        try:
            written = _pdf()
        finally:
            sys.setprofile(None)
        return count, written

    listed_once, with_workaround = calls()
    monkeypatch.setattr(pdf, "_pages_listed_once", lambda: None)
    monkeypatch.setattr(pydyf.PDF, "page_references", property(upstream))
    monkeypatch.setattr(writer, "add_tags", writer.add_tags.__wrapped__)
    rebuilt, without = calls()
    assert with_workaround == without
    assert rebuilt > 10 * listed_once, (
        "the test document no longer makes WeasyPrint read the page list for every element"
    )
    assert listed_once <= 12 + 1, (
        f"the page list was made {listed_once} times for a 12-page PDF: once a page, once to tag"
    )


@pytest.mark.slow
def test_the_shared_font_configuration_leaves_no_folder_behind(tmp_path):
    script = "import sys; sys.path.insert(0, sys.argv[1]); from test_perf_invariants import _pdf; _pdf()"
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)], env=environment, check=True)
    assert list(tmp_path.iterdir()) == []


def test_help_loads_no_model_no_template_and_no_yaml():
    probe = (
        "import sys\nfrom sitrep.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sitrep.model', 'sitrep.build', 'pydantic', 'jinja2', 'yaml', 'weasyprint')"
        " if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _catalog(language_code: str):
    """The catalog of a language as a new process reads it (not the one this process already holds)."""
    return language._translations.__wrapped__(language_code)


def test_a_catalog_is_compiled_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "cache"))
    assert _catalog("fr").gettext("Key figures") == "Chiffres clés"
    [entry] = (tmp_path / "cache" / "catalogs").iterdir()
    inode = entry.stat().st_ino
    assert _catalog("fr").gettext("Key figures") == "Chiffres clés"
    assert _catalog("ar").gettext("Key figures") == "الأرقام الرئيسية"
    assert entry.stat().st_ino == inode, "the French catalog was compiled again instead of read"
    assert len(list((tmp_path / "cache" / "catalogs").iterdir())) == 2


def test_an_edited_catalog_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "cache"))
    catalogs = tmp_path / "locale"
    po = catalogs / "fr" / "LC_MESSAGES" / "sitrep.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((language.CATALOGS / "fr" / "LC_MESSAGES" / "sitrep.po").read_bytes())
    monkeypatch.setattr(language, "CATALOGS", catalogs)
    assert _catalog("fr").gettext("Key figures") == "Chiffres clés"
    po.write_text(po.read_text(encoding="utf-8").replace('"Chiffres clés"', '"Chiffres principaux"'), "utf-8")
    assert _catalog("fr").gettext("Key figures") == "Chiffres principaux"


def test_a_damaged_catalog_entry_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path / "cache"))
    _catalog("fr")
    [entry] = (tmp_path / "cache" / "catalogs").iterdir()
    good = entry.read_bytes()
    for damage in (b"", good[:40], good[: len(good) // 2], b"\x00garbage" * 10):
        entry.write_bytes(damage)
        assert _catalog("fr").gettext("Key figures") == "Chiffres clés"
        assert entry.read_bytes() == good, "the damaged entry was not replaced"


def test_cache_says_where_it_is_and_clears_only_its_own(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SITREP_CACHE", str(folder))
    _catalog("fr")
    (folder / "templates" / "abc").mkdir(parents=True)
    (folder / "templates" / "abc" / "t.cache").write_bytes(b"x" * 2048)
    (folder / "notes.txt").write_text("the user's own", encoding="utf-8")
    shown = CliRunner().invoke(main, ["cache"])
    assert shown.exit_code == 0
    assert shown.output.startswith(f"{folder}: 2 files (")
    cleared = CliRunner().invoke(main, ["cache", "--clear"])
    assert cleared.exit_code == 0
    assert cleared.output.startswith("removed 2 files (") and cleared.output.rstrip().endswith(str(folder))
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    (folder / "notes.txt").unlink()
    _catalog("fr")
    assert CliRunner().invoke(main, ["cache", "--clear"]).exit_code == 0
    assert not folder.exists(), "a folder holding only sitrep's entries is removed"
    assert CliRunner().invoke(main, ["cache"]).output == f"{folder}: 0 files (0 KiB)\n"
