"""Rules across fields: ids that point at nothing, and breakdowns that loop.

Unknown source, location and figure ids are reported by the model with the other errors of the
file (``parse_report``); rules that need the whole valid report (``part_of`` cycles) run in
``sitrep.checks.run``. Inputs are in tests/data/model/checks-*.yaml, each minimal.yaml with one
change named in its first line; expected lines and columns are read off those files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.checks import Finding, run
from sitrep.errors import InputError, Problem
from sitrep.load import load_file
from sitrep.model import parse_report

DATA = Path(__file__).parent / "data" / "model"
EXAMPLE = Path(__file__).parent.parent / "inputs" / "syria-coast-2025-03.yaml"

ESTIMATE = "figures.killed-civilians.estimates[0]"


def problems(name: str) -> list[Problem]:
    loaded = load_file(DATA / name, display=name)
    with pytest.raises(InputError) as caught:
        parse_report(loaded)
    return caught.value.problems


def only_problem(name: str) -> Problem:
    found = problems(name)
    assert len(found) == 1, found
    return found[0]


def located_findings(name: str) -> list[Problem]:
    """Findings of the rules about a valid file, located in it as the CLI shows them."""
    loaded = load_file(DATA / name, display=name)
    findings = run(parse_report(loaded))
    assert all(isinstance(finding, Finding) for finding in findings)
    return sorted(loaded.problem(f.loc, f.message, severity=f.severity) for f in findings)


def located(problem: Problem) -> tuple[int, int, str]:
    return problem.line, problem.column, problem.field


# ---------------------------------------------------------------------------
# Valid reports have no findings


def test_valid_report_has_no_findings():
    assert run(parse_report(load_file(DATA / "minimal.yaml"))) == []


def test_the_example_is_warned_only_of_its_total_overtaken_by_a_part():
    [finding] = run(parse_report(load_file(EXAMPLE)))
    assert (finding.loc, finding.severity) == (("figures", "killed-total", "estimates", 0, "as_of"), "warning")
    assert finding.message == (
        "the total's current number, 1,018 from sohr on 2025-03-08, is older and smaller than its part "
        "'killed-civilians': 1,068 from sohr on 2025-03-09; look for a newer total (the report notes this beside it)"
    )


# ---------------------------------------------------------------------------
# Sources


def test_unknown_source_of_an_estimate_gets_did_you_mean():
    problem = only_problem("checks-source-estimate.yaml")
    assert located(problem) == (31, 17, f"{ESTIMATE}.source")
    assert problem.message == "no source with id 'sohrr': did you mean 'sohr'?"


def test_unknown_via_of_an_estimate_lists_the_sources():
    problem = only_problem("checks-source-via.yaml")
    assert located(problem) == (32, 14, f"{ESTIMATE}.via")
    assert problem.message.startswith("no source with id 'afp': ")
    assert "add it under `sources:`" in problem.message
    assert "sohr" in problem.message
    assert "reuters-0308" in problem.message


def test_unknown_source_of_an_event():
    problem = only_problem("checks-source-event.yaml")
    assert located(problem) == (39, 29, "events[0].sources[1]")
    assert problem.message.startswith("no source with id 'bbc': ")
    assert "add it under `sources:`" in problem.message


def test_unknown_source_of_a_statement():
    problem = only_problem("checks-source-statement.yaml")
    assert located(problem) == (44, 13, "statements[0].source")
    assert problem.message.startswith("no source with id 'bbc': ")
    assert "add it under `sources:`" in problem.message


# ---------------------------------------------------------------------------
# Locations


def test_unknown_location_of_an_event():
    problem = only_problem("checks-location-event.yaml")
    assert located(problem) == (38, 26, "events[0].locations[1]")
    assert problem.message.startswith("no location with id 'tartus': ")
    assert "add it under `locations:`" in problem.message
    assert "latakia" in problem.message


def test_misspelt_location_of_a_figure_gets_did_you_mean():
    problem = only_problem("checks-location-figure.yaml")
    assert located(problem) == (29, 15, "figures.killed-civilians.location")
    assert problem.message == "no location with id 'latakai': did you mean 'latakia'?"


def test_location_when_no_location_is_defined():
    problem = only_problem("checks-no-locations.yaml")
    assert located(problem) == (33, 17, "events[0].locations[0]")
    assert problem.message.startswith("no location with id 'latakia': ")
    assert "add it under `locations:`" in problem.message


# ---------------------------------------------------------------------------
# Every section that points at ids


def test_ids_are_checked_in_every_section():
    found = problems("checks-every-section.yaml")
    assert [located(problem) for problem in found] == [
        (45, 10, "statements[0].via"),
        (49, 21, "highlights[0].sources[1]"),
        (55, 17, "services[0].locations[0]"),
        (60, 15, "displacement[0].figures[0]"),
        (67, 26, "access[0].locations[1]"),
    ]
    via, highlight, service, movement, access = (problem.message for problem in found)
    assert via == "no source with id 'reuters': did you mean 'reuters-0308'?"
    assert highlight == "no source with id 'reuter-0308': did you mean 'reuters-0308'?"
    assert service.startswith("no location with id 'tartus': ")
    assert movement.startswith("no figure with id 'displaced': ")
    assert "add it under `figures:`" in movement
    assert access.startswith("no location with id 'banias': ")


# ---------------------------------------------------------------------------
# Breakdowns: part_of


def test_unknown_part_of_gets_did_you_mean():
    problem = only_problem("checks-part-of-unknown.yaml")
    assert located(problem) == (33, 14, "figures.killed-civilians.part_of")
    assert problem.message == "no figure with id 'killed-totl': did you mean 'killed-total'?"


def test_part_of_cycle_is_reported_once_on_its_first_figure_and_nothing_else():
    # killed-children (line 40) is a part of killed-civilians but not in the loop itself; the loop's
    # members are not also compared as part and total, which would point at lines with no mistake.
    [problem] = located_findings("checks-part-of-cycle.yaml")
    assert located(problem) == (28, 14, "figures.killed-total.part_of")
    assert problem.is_error
    assert problem.message == (
        "'killed-total' ends up as a part of itself through `part_of` (killed-total -> killed-civilians -> "
        "killed-total): a breakdown must point at a larger total"
    )


def test_figure_that_is_a_part_of_itself():
    [problem] = located_findings("checks-part-of-self.yaml")
    assert located(problem) == (29, 14, "figures.killed-civilians.part_of")
    assert problem.is_error
    assert "'killed-civilians' ends up as a part of itself" in problem.message
    assert "a breakdown must point at a larger total" in problem.message


def test_finding_reads_as_path_line_column_field_message():
    [problem] = located_findings("checks-part-of-self.yaml")
    assert str(problem).startswith(
        "checks-part-of-self.yaml:29:14: figures.killed-civilians.part_of: 'killed-civilians' ends up"
    )
