"""The README's promises: its commands are the ones CI runs, and its CLI usage is current."""

from pathlib import Path

from click.testing import CliRunner

from sitrep.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks(text: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append("\n".join(current))
            inside, current = not inside, []
        elif inside:
            current.append(line)
    return blocks


def test_ci_runs_the_readme_test_command():
    test_command = next(block for block in _shell_blocks(README) if "pytest" in block)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.strip() in ci.splitlines()


def test_readme_build_command_builds_the_example_into_out():
    build_command = next(block for block in _shell_blocks(README) if "sitrep build" in block)
    assert build_command.strip() == "python -m pip install . && sitrep build"
    assert (ROOT / "inputs" / "syria-coast-2025-03.yaml").is_file()
    assert "out/syria-coast-2025-03.pdf" in README


def test_readme_picture_of_the_first_page_exists():
    assert "(docs/example-page-1.png)" in README
    assert (ROOT / "docs" / "example-page-1.png").read_bytes().startswith(b"\x89PNG")


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help, f"sitrep {name} has no help text"
        assert f"sitrep {name}" in README, f"sitrep {name} is not documented in the README"
        result = runner.invoke(main, [name, "--help"], prog_name="sitrep")
        assert result.exit_code == 0
        assert f"Usage: sitrep {name}" in result.output
        for option in command.params:
            for flag in getattr(option, "opts", []):
                if flag.startswith("-") and flag not in ("--help",):
                    assert flag in README, f"{flag} of sitrep {name} is not in the README"
