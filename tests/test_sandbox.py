"""User templates come from other organisations: they run sandboxed and read only their own folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitrep.build import Options, build_file, check_file
from sitrep.errors import BuildError
from sitrep.render import render
from sitrep.view import make_view

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "syria-coast-2025-03.yaml"


@pytest.fixture(scope="module")
def view():
    return make_view(check_file(EXAMPLE).report)


def template_folder(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "expression",
    [
        "view.__class__.__mro__",
        "view.__init__.__globals__",
        "().__class__.__bases__[0].__subclasses__()",
        "lipsum.__globals__",
    ],
)
def test_a_template_cannot_reach_python_internals(tmp_path, view, expression):
    folder = template_folder(tmp_path, "sitrep.md", "{{ " + expression + " }}\n")
    with pytest.raises(BuildError) as caught:
        render(view, "md", "sitrep", [folder])
    assert "sitrep.md" in str(caught.value)


def test_a_template_cannot_change_anything(tmp_path, view):
    # The view holds tuples already; the immutable sandbox also refuses to change any list or dict.
    folder = template_folder(tmp_path, "sitrep.md", "{% set d = {} %}{% set _ = d.update(a=1) %}\n")
    with pytest.raises(BuildError, match="may not do"):
        render(view, "md", "sitrep", [folder])


def test_a_template_linked_from_outside_its_folder_is_refused(tmp_path, view):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("{{ view.heading }}\n", encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    os.symlink(outside, folder / "sitrep.md")
    with pytest.raises(BuildError, match="is a link to .*outside the template folder"):
        render(view, "md", "sitrep", [folder])


def test_a_template_cannot_include_a_file_above_its_folder(tmp_path, view):
    (tmp_path / "secret.md").write_text("secret\n", encoding="utf-8")
    folder = template_folder(tmp_path, "sitrep.md", '{% include "../secret.md" %}\n')
    with pytest.raises(BuildError, match="not found"):
        render(view, "md", "sitrep", [folder])


def test_built_in_templates_render_in_the_sandbox(view):
    assert render(view, "md").startswith("# Syria: Violence on the western coast\n")


def test_an_output_that_would_overwrite_the_input_is_refused(tmp_path):
    source = tmp_path / "report.md"
    shutil.copy(EXAMPLE, source)
    before = source.read_bytes()
    with pytest.raises(BuildError, match="is the input file itself"):
        build_file(source, tmp_path, ("md",), Options())
    assert source.read_bytes() == before
