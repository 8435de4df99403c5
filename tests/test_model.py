"""The input model: what a valid report is, values as people write them, located problems.

Every file in tests/data/model/ is minimal.yaml with one change, named in its first line; expected
lines and columns are read off those files (1-based).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from sitrep.errors import InputError, Problem
from sitrep.load import load_bytes, load_file
from sitrep.model import (
    Month,
    Report,
    link_scheme,
    parse_count,
    parse_day,
    parse_day_or_month,
    parse_moment,
    parse_money,
    parse_percent,
    parse_report,
)

DATA = Path(__file__).parent / "data" / "model"
EXAMPLE = Path(__file__).parent.parent / "inputs" / "syria-coast-2025-03.yaml"

ESTIMATE = "figures.killed-civilians.estimates[0]"
VALUE = (30, 16, f"{ESTIMATE}.value")  # "      - value: 745" in minimal.yaml


def report_of(name: str) -> Report:
    return parse_report(load_file(DATA / name, display=name))


def problems(name: str) -> list[Problem]:
    loaded = load_file(DATA / name, display=name)
    with pytest.raises(InputError) as caught:
        parse_report(loaded)
    return caught.value.problems


def only_problem(name: str) -> Problem:
    found = problems(name)
    assert len(found) == 1, found
    assert found[0].path == name
    assert found[0].is_error
    return found[0]


def edited(find: str, replace: str) -> str:
    """minimal.yaml with ``find``, which is in it once, replaced by ``replace``."""
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    assert text.count(find) == 1, find
    return text.replace(find, replace)


def only_problem_of(text: str) -> Problem:
    """The one problem of the report ``text``, named report.yaml."""
    with pytest.raises(InputError) as caught:
        parse_report(load_bytes(text.encode("utf-8"), "report.yaml"))
    (problem,) = caught.value.problems
    assert problem.is_error
    return problem


def with_funded(entry: str) -> str:
    """minimal.yaml with an appeal whose one `funded` entry is ``entry``, a flow mapping on line 49 (its `{` at
    column 9)."""
    return edited("narrative:\n", f"funding:\n  - name: Flash Appeal\n    funded:\n      - {entry}\n\nnarrative:\n")


def located(problem: Problem) -> tuple[int, int, str]:
    return problem.line, problem.column, problem.field


def refusal(parse, value) -> str:
    with pytest.raises(PydanticCustomError) as caught:
        parse(value)
    return caught.value.message()


def estimate_of(report: Report):
    return report.figures["killed-civilians"].estimates[0]


# ---------------------------------------------------------------------------
# Valid files


def test_example_report_validates():
    report = parse_report(load_file(EXAMPLE))
    assert report.report.country == "SYR"
    assert report.report.as_of == datetime(2025, 3, 9, 18, 0, tzinfo=timezone(timedelta(hours=3)))
    assert report.report.period.start == date(2025, 3, 6)
    assert report.report.period.end == date(2025, 3, 9)
    assert [e.value for e in report.figures["killed-civilians"].estimates] == [745, 1068]
    assert report.figures["killed-total"].estimates[0].value == 1018
    assert report.figures["killed-civilians"].part_of == "killed-total"
    assert report.statements[0].quote.startswith("Deeply worrying developments")
    assert report.statements[1].quote is None
    assert len(report.sources) == 7
    assert report.locations["latakia"].name == {"en": "Latakia", "fr": "Lattaquié"}
    assert report.locations["latakia"].local_name == "اللاذقية"
    assert report.report.languages == ("en", "ar", "fr")


def test_minimal_report_validates():
    report = report_of("minimal.yaml")
    estimate = estimate_of(report)
    assert (estimate.value, estimate.low, estimate.high) == (745, None, None)
    assert estimate.source == "sohr"
    assert estimate.via == "reuters-0308"
    assert estimate.as_of == date(2025, 3, 8)
    assert estimate.qualifier.value == "exact"
    assert estimate.status.value == "reported"
    assert report.events[0].date == date(2025, 3, 6)
    assert report.report.language == "en"
    assert report.report.number == 1


def test_data_that_is_not_a_mapping_is_refused():
    problem = only_problem("not-a-mapping.yaml")
    assert located(problem) == (2, 1, "")
    assert "the file must be a mapping with `report:`" in problem.message
    assert "start from `sitrep new`" in problem.message


# ---------------------------------------------------------------------------
# Counts


def test_count_with_thousands_comma_is_accepted():
    assert estimate_of(report_of("count-comma.yaml")).value == 1018


def test_count_with_a_point_is_refused_as_ambiguous():
    problem = only_problem("count-point.yaml")
    assert located(problem) == VALUE
    assert "'1.068'" in problem.message
    assert "ambiguous" in problem.message
    assert "write 1068 or 1,068" in problem.message


def test_problem_reads_as_path_line_column_field_message():
    problem = only_problem("count-point.yaml")
    assert str(problem) == f"count-point.yaml:30:16: {ESTIMATE}.value: {problem.message}"
    assert str(problem).startswith("count-point.yaml:30:16: figures.killed-civilians.estimates[0].value: expected")


def test_negative_count_is_refused():
    problem = only_problem("count-negative.yaml")
    assert located(problem) == VALUE
    assert "'-5'" in problem.message
    assert "zero or more" in problem.message


def test_count_with_a_leading_zero_is_refused():
    problem = only_problem("count-leading-zero.yaml")
    assert located(problem) == VALUE
    assert "'012'" in problem.message
    assert "leading zero" in problem.message
    assert "write 12" in problem.message


@pytest.mark.parametrize("name, written", [("count-inf.yaml", "inf"), ("count-nan.yaml", "nan")])
def test_count_that_is_not_a_number_is_refused(name, written):
    problem = only_problem(name)
    assert located(problem) == VALUE
    assert f"'{written}'" in problem.message
    assert "expected a whole number" in problem.message


@pytest.mark.parametrize("name, written", [("count-letters.yaml", "12a"), ("count-bad-grouping.yaml", "1,01,8")])
def test_count_that_is_not_digits_is_refused_with_the_forms_to_write(name, written):
    problem = only_problem(name)
    assert located(problem) == VALUE
    assert f"'{written}'" in problem.message
    assert "write digits only, such as 1018 or 1,018" in problem.message


@pytest.mark.parametrize(
    "written, number",
    [
        ("0", 0),
        ("7", 7),
        ("745", 745),
        ("1018", 1018),
        ("1,018", 1018),
        ("1,234,567", 1234567),
        (" 745 ", 745),
        ("999,999,999,999,999", 999_999_999_999_999),
        ("999999999.999999 million", 999_999_999_999_999),
        ("999999 billion", 999_999_000_000_000),
    ],
)
def test_parse_count_accepts(written, number):
    assert parse_count(written) == number


@pytest.mark.parametrize(
    "written, advice",
    [
        ("1.068", "write 1068 or 1,068"),
        ("12.500", "write 12500 or 12,500"),
        ("012", "write 12"),
        ("00", "write 0"),
        ("12a", "such as 1018 or 1,018"),
        ("1,01,8", "such as 1018 or 1,018"),
        ("10,00", "such as 1018 or 1,018"),
        ("1 018", "such as 1018 or 1,018"),
        ("about 1000", "write `value: 1000` and `qualifier: about`"),
        ("-5", "zero or more"),
        ("inf", "expected a whole number"),
        ("-inf", "expected a whole number"),
        ("nan", "expected a whole number"),
        ("", "such as 1018 or 1,018"),
    ],
)
def test_parse_count_refuses(written, advice):
    # Words such as 'about' get their own advice: the number in `value`, the word in `qualifier`.
    assert advice in refusal(parse_count, written)


def test_count_with_the_arabic_thousands_separator_is_refused_naming_it():
    problem = only_problem_of(edited("value: 745", "value: ١٬٠١٨"))
    assert located(problem) == VALUE
    assert problem.message == (
        "expected a whole number, got '١٬٠١٨': the Arabic thousands separator (٬) is not read here; "
        "write ١٠١٨, without it, or 1,018"
    )


@pytest.mark.parametrize(
    "written, advice",
    [
        ("1٬018", "write 1018, without it, or 1,018"),
        ("١٬٠١٨٬٠٠٠", "write ١٠١٨٠٠٠, without it, or 1,018,000"),
        # not groups of three: no number is guessed
        ("١٬٠١", "write the number without it, such as ١٠١٨, or with commas, such as 1,018"),
        ("1,018٬000", "write the number without it, such as ١٠١٨, or with commas, such as 1,018"),
    ],
)
def test_parse_count_refuses_the_arabic_thousands_separator(written, advice):
    assert refusal(parse_count, written) == (
        f"expected a whole number, got '{written}': the Arabic thousands separator (٬) is not read here; {advice}"
    )


@pytest.mark.parametrize("written", ["١٠١٨", "۱۰۱۸", "١,٠١٨"])
def test_parse_count_still_reads_arabic_indic_digits(written):
    assert parse_count(written) == 1018


@pytest.mark.parametrize(
    "written, shown",
    [
        ("1,000,000,000,000,000", "'1,000,000,000,000,000'"),
        ("1000000000000000", "'1000000000000000'"),
        ("1000000 billion", "'1000000 billion'"),
        ("1" + "0" * 309, "'10000000000000000000...0000000000'"),
        ("9" * 5000, "'99999999999999999999...9999999999'"),  # past the digits Python turns into a number
        (10**20, "'100000000000000000000'"),
        (1e20, "'1e+20'"),
    ],
)
def test_parse_count_refuses_numbers_past_the_bound(written, shown):
    assert refusal(parse_count, written) == (
        f"{shown} is larger than any number sitrep accepts (up to 999,999,999,999,999, a million billion less "
        "one): check the number the source gave"
    )


@pytest.mark.parametrize("value", [None, True, 1.5, float("nan"), float("inf"), -1])
def test_parse_count_refuses_values_that_are_not_text(value):
    assert "expected a" in refusal(parse_count, value)


# ---------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize("name", ["range-en-dash.yaml", "range-hyphen.yaml"])
def test_written_range_becomes_low_and_high(name):
    estimate = estimate_of(report_of(name))
    assert (estimate.value, estimate.low, estimate.high) == (None, 745, 1068)
    assert estimate.bounds == (745, 1068)


def test_range_whose_low_end_is_not_below_its_high_end_is_refused():
    problem = only_problem("range-reversed.yaml")
    assert located(problem) == (30, 9, f"{ESTIMATE}.low")
    assert "`low` must be smaller than `high` (got 1068 and 745): swap them" in problem.message


def test_written_range_with_equal_ends_is_refused_at_the_range_saying_to_write_the_number():
    # `value: 745-745`: swapping the ends would not help; the range is one number.
    problem = only_problem("range-equal.yaml")
    assert located(problem) == VALUE
    assert problem.message == "both ends of the range are 745: write the single number, `value: 745`"


def test_low_and_high_that_are_the_same_number_are_refused_at_low():
    problem = only_problem_of(edited("      - value: 745\n", "      - low: 1 million\n        high: 1.0 million\n"))
    assert located(problem) == (30, 9, f"{ESTIMATE}.low")
    assert problem.message == "both ends of the range are 1,000,000: write the single number, `value: 1,000,000`"


def test_written_range_whose_ends_are_reversed_is_refused_at_the_range():
    problem = only_problem_of(edited("value: 745", "value: 1068-745"))
    assert located(problem) == VALUE
    assert problem.message == "`low` must be smaller than `high` (got 1068 and 745): swap them"


def test_written_range_with_a_bad_end_is_located_at_the_value_written():
    # The analyst wrote `value: 745-1.068`; pointing at `low`/`high`, which are not in the file, would confuse.
    problem = only_problem("range-point.yaml")
    assert located(problem) == VALUE
    assert "write 1068 or 1,068" in problem.message


def test_value_and_range_together_are_refused():
    # Pointed at the key written last of the two that conflict: most likely the one just added.
    problem = only_problem("value-and-range.yaml")
    assert located(problem) == (32, 9, f"{ESTIMATE}.high")
    assert "give either `value` or `low` and `high`, not both" in problem.message


def test_value_written_as_a_range_beside_low_is_refused_as_both():
    # Not "expected a whole number": '100 - 200' is a range, and `low` gives one too.
    problem = only_problem_of(edited("      - value: 745\n", '      - value: "100 - 200"\n        low: 5\n'))
    assert located(problem) == (31, 9, f"{ESTIMATE}.low")
    assert problem.message == "give either `value` or `low` and `high`, not both"


# ---------------------------------------------------------------------------
# Days and moments


def test_dates_written_in_words_are_accepted():
    report = report_of("date-words.yaml")
    assert report.events[0].date == date(2025, 3, 6)  # 6 March 2025
    assert estimate_of(report).as_of == date(2025, 3, 8)  # March 8, 2025


def test_date_with_slashes_is_refused_as_ambiguous():
    problem = only_problem("date-slashes.yaml")
    assert located(problem) == (36, 11, "events[0].date")
    assert "'06/03/2025' is ambiguous" in problem.message
    assert "YYYY-MM-DD" in problem.message
    assert "8 March 2025" in problem.message


def test_day_that_does_not_exist_is_refused():
    problem = only_problem("date-not-real.yaml")
    assert located(problem) == (33, 16, f"{ESTIMATE}.as_of")
    assert "'2025-02-30' is not a real calendar day" in problem.message


@pytest.mark.parametrize(
    "written, day",
    [
        ("2025-03-09", date(2025, 3, 9)),
        ("9 March 2025", date(2025, 3, 9)),
        ("09 March 2025", date(2025, 3, 9)),
        ("9 Mar 2025", date(2025, 3, 9)),
        ("9 march, 2025", date(2025, 3, 9)),
        ("March 9, 2025", date(2025, 3, 9)),
        ("Sept. 30 2024", date(2024, 9, 30)),
        ("29 February 2024", date(2024, 2, 29)),
        (date(2025, 3, 9), date(2025, 3, 9)),
    ],
)
def test_parse_day_accepts(written, day):
    assert parse_day(written) == day


@pytest.mark.parametrize(
    "written, advice",
    [
        ("08/03/2025", "is ambiguous"),
        ("8.3.2025", "is ambiguous"),
        ("03-08-2025", "is ambiguous"),
        ("2025-02-30", "is not a real calendar day"),
        ("30 February 2025", "is not a real calendar day"),
        ("2025-13-01", "is not a real calendar day"),
        ("yesterday", "write YYYY-MM-DD"),
        ("9 Marsch 2025", "write YYYY-MM-DD"),
        ("2025-03", "write YYYY-MM-DD"),
    ],
)
def test_parse_day_refuses(written, advice):
    message = refusal(parse_day, written)
    assert f"'{written}'" in message
    assert advice in message


@pytest.mark.parametrize(
    "find, replace, where, fix",
    [
        (
            "as_of: 2025-03-08",
            "as_of: ٢٠٢٥-٠٣-٠٨",
            (33, 16, f"{ESTIMATE}.as_of"),
            "date in Latin digits (0-9): 2025-03-08",
        ),
        (
            "from: 2025-03-06",
            "from: ٢٠٢٥-٠٣-٠٦",
            (8, 18, "report.period.from"),
            "date in Latin digits (0-9): 2025-03-06",
        ),
        ("to: 2025-03-09", "to: ۲۰۲۵-۰۳-۰۹", (8, 34, "report.period.to"), "date in Latin digits (0-9): 2025-03-09"),
        (
            "    kind: monitor\n",
            "    kind: monitor\n    published: ٢٠٢٥-٠٣-٠٨\n",
            (15, 16, "sources.sohr.published"),
            "date in Latin digits (0-9): 2025-03-08",
        ),
        (
            "    kind: monitor\n",
            "    kind: monitor\n    accessed: ٢٠٢٥-٠٣-٠٩\n",
            (15, 15, "sources.sohr.accessed"),
            "date in Latin digits (0-9): 2025-03-09",
        ),
        (
            "as_of: 2025-03-09 18:00 +03:00",
            "as_of: ٢٠٢٥-٠٣-٠٩ ١٨:٠٠ +٠٣:٠٠",
            (7, 10, "report.as_of"),
            "date and time in Latin digits (0-9): 2025-03-09 18:00 +03:00",
        ),
        (
            "as_of: 2025-03-09 18:00 +03:00",
            "as_of: 2025-03-09 18:٠٠ +03:00",
            (7, 10, "report.as_of"),
            "date and time in Latin digits (0-9): 2025-03-09 18:00 +03:00",
        ),
    ],
)
def test_date_in_other_digits_is_refused_saying_to_write_latin_digits(find, replace, where, fix):
    # Not "is not a real calendar day": the day is real, but Python reads YYYY-MM-DD in the digits 0-9 only.
    problem = only_problem_of(edited(find, replace))
    assert located(problem) == where
    assert problem.message == f"'{replace.rsplit(': ', 1)[1].strip()}': write the {fix}"


@pytest.mark.parametrize(
    "parse, written, fix",
    [
        (parse_day, "٢٠٢٥-٠٣-٠٨", ": 2025-03-08"),
        (parse_day_or_month, "٢٠٢٥-٠٣-٠٨", ": 2025-03-08"),
        (parse_day, "٢٠٢٥-٠٢-٣٠", ", such as 2025-03-08"),  # no day to give: 30 February is none
        (parse_moment, "٢٠٢٥-٠٣-٠٩", ", such as 2025-03-09 18:00 +02:00"),
    ],
)
def test_parse_dates_in_other_digits_say_what_to_write(parse, written, fix):
    what = "date and time" if parse is parse_moment else "date"
    assert refusal(parse, written) == f"'{written}': write the {what} in Latin digits (0-9){fix}"


@pytest.mark.parametrize(
    "parse, written, read",
    [
        (parse_day, "٨ March ٢٠٢٥", date(2025, 3, 8)),
        (parse_day_or_month, "٢٠٢٥-٠٣", Month(2025, 3)),
        (parse_moment, "2025-03-09 ١٨:00 +03:00", datetime(2025, 3, 9, 15, 0, tzinfo=UTC)),
    ],
)
def test_dates_read_in_other_digits_before_are_still_read(parse, written, read):
    # Forms whose digits int() reads, and which were accepted: a file using them stays valid.
    assert parse(written) == read


def test_as_of_without_time_zone_is_refused_with_a_hint():
    problem = only_problem("as-of-no-zone.yaml")
    assert located(problem) == (7, 10, "report.as_of")
    assert "'2025-03-09 18:00' has no time zone" in problem.message
    assert "2025-03-09 18:00 +02:00" in problem.message


def test_as_of_in_utc_is_accepted():
    as_of = report_of("as-of-utc.yaml").report.as_of
    assert as_of == datetime(2025, 3, 9, 15, 0, tzinfo=UTC)
    assert as_of.utcoffset() == timedelta(0)
    assert as_of == report_of("minimal.yaml").report.as_of  # 15:00Z is 18:00 +03:00


def test_as_of_with_offset_is_accepted():
    as_of = report_of("as-of-offset.yaml").report.as_of
    assert (as_of.hour, as_of.minute) == (18, 0)
    assert as_of.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    "written, utc",
    [
        ("2025-03-09 18:00 +02:00", datetime(2025, 3, 9, 16, 0, tzinfo=UTC)),
        ("2025-03-09 18:00+0200", datetime(2025, 3, 9, 16, 0, tzinfo=UTC)),
        ("2025-03-09T18:00Z", datetime(2025, 3, 9, 18, 0, tzinfo=UTC)),
        ("2025-03-09 18:00 Z", datetime(2025, 3, 9, 18, 0, tzinfo=UTC)),
        ("2025-03-09 18:00 UTC", datetime(2025, 3, 9, 18, 0, tzinfo=UTC)),
        ("2025-03-09 08:30:15 -05:30", datetime(2025, 3, 9, 14, 0, 15, tzinfo=UTC)),
    ],
)
def test_parse_moment_accepts(written, utc):
    moment = parse_moment(written)
    assert moment.tzinfo is not None
    assert moment == utc


@pytest.mark.parametrize(
    "written, advice",
    [
        ("2025-03-09 18:00", "add one, for example 2025-03-09 18:00 +02:00"),
        ("2025-03-09", "write for example 2025-03-09 18:00 +02:00"),
        ("9 March 2025 18:00 +02:00", "write for example 2025-03-09 18:00 +02:00"),
        ("2025-02-30 18:00 +02:00", "is not a real date and time"),
        ("2025-03-09 25:00 +02:00", "is not a real date and time"),
    ],
)
def test_parse_moment_refuses(written, advice):
    message = refusal(parse_moment, written)
    assert f"'{written}'" in message
    assert advice in message


def test_parse_moment_refuses_a_naive_datetime():
    assert "add one, for example +02:00" in refusal(parse_moment, datetime(2025, 3, 9, 18, 0))


# ---------------------------------------------------------------------------
# Keys, choices, required fields


def test_misspelt_key_gets_did_you_mean():
    problem = only_problem("unknown-key.yaml")
    assert located(problem) == (17, 5, "sources.reuters-0308.knd")
    assert problem.message == "unknown field 'knd': did you mean 'kind'?"


def test_unknown_key_resembling_nothing_lists_the_fields():
    problem = only_problem("unknown-key-far.yaml")
    assert located(problem) == (17, 5, "sources.reuters-0308.colour")
    assert "unknown field 'colour'" in problem.message
    assert "publisher, short, kind, reliability, title, url, published, accessed" in problem.message


def test_wrong_choice_lists_the_allowed_values():
    problem = only_problem("enum-kind.yaml")
    assert located(problem) == (14, 11, "sources.sohr.kind")
    assert "'newspaper' is not one of the allowed values" in problem.message
    for allowed in ("news", "monitor", "un", "ngo", "government", "armed-group", "social-media", "other"):
        assert f"'{allowed}'" in problem.message


def test_missing_required_field_is_located_at_its_parent_mapping():
    problem = only_problem("missing-as-of.yaml")
    assert located(problem) == (30, 9, f"{ESTIMATE}.as_of")
    assert problem.message.startswith("missing required field 'as_of'")
    assert "add it" in problem.message


def test_missing_section_is_located_at_the_top_mapping():
    problem = only_problem("missing-narrative.yaml")
    assert located(problem) == (2, 1, "narrative")
    assert problem.message.startswith("missing required field 'narrative'")
    assert "add it" in problem.message


def test_id_that_is_not_an_id_is_located_at_the_key():
    problem, *references = problems("bad-source-id.yaml")
    assert located(problem) == (15, 3, "sources.reuters 0308")
    # the places that point at the intended id, reuters-0308, are reported too
    assert [located(p) for p in references] == [(32, 14, f"{ESTIMATE}.via"), (39, 15, "events[0].sources[0]")]
    assert "'reuters 0308' is not a valid id" in problem.message
    assert "use letters, digits, '-', '_' or '.'" in problem.message


def test_an_empty_text_is_refused_in_one_line_with_its_description():
    problem = only_problem_of(
        edited("        as_of: 2025-03-08\n", '        as_of: 2025-03-08\n        withdrawn: ""\n')
    )
    assert located(problem) == (34, 20, f"{ESTIMATE}.withdrawn")
    assert problem.message == (
        "must not be empty: write the source has withdrawn this number: say when and why ('withdrawn by SOHR on "
        "10 March: counted twice'). The estimate stays on record, shown as withdrawn, never as the source's "
        "current number"
    )


def test_a_missing_field_whose_description_has_several_lines_is_refused_in_one_line():
    problem = only_problem_of(
        edited("    estimates:\n      - value: 745\n        source: sohr\n        via: reuters-0308\n", "").replace(
            "        as_of: 2025-03-08\n", ""
        )
    )
    assert located(problem) == (27, 5, "figures.killed-civilians.estimates")
    assert problem.message.splitlines() == [problem.message]
    assert "on different days are its series: the newest is its current number" in problem.message


# ---------------------------------------------------------------------------
# Money and shares


def test_amount_with_the_currency_after_it_is_refused_saying_to_put_it_first():
    problem = only_problem_of(with_funded("{amount: 400 million USD, source: sohr, as_of: 2025-03-08}"))
    assert located(problem) == (49, 10, "funding[0].funded[0].amount")
    assert problem.message == (
        "'400 million USD': put the currency before the amount: write USD 400 million or US$400 million"
    )


@pytest.mark.parametrize(
    "written, forms",
    [
        ("50 million EUR", "EUR 50 million or €50 million"),
        ("50 million €", "EUR 50 million or €50 million"),
        ("1.5 billion SYP", "SYP 1.5 billion"),
        ("400,000 CHF", "CHF 400,000"),
        ("400 million $", "US$400 million (or the currency's code, such as CAD 400 million)"),
    ],
)
def test_parse_money_says_to_put_the_currency_first(written, forms):
    assert refusal(lambda text: parse_money({"amount": text}), written) == (
        f"'{written}': put the currency before the amount: write {forms}"
    )


@pytest.mark.parametrize("written", ["USD 400 million", "US$400 million"])
def test_the_forms_the_advice_gives_are_read(written):
    # What the refusal above says to write is what sitrep reads.
    report = parse_report(
        load_bytes(with_funded(f"{{amount: {written}, source: sohr, as_of: 2025-03-08}}").encode("utf-8"), "r.yaml")
    )
    funded = report.funding[0].funded[0]
    assert (funded.amount, funded.currency) == (400_000_000, "USD")


@pytest.mark.parametrize("written", ["3_8", "1e1"])
def test_percent_that_python_reads_but_people_do_not_write_is_refused(written):
    # Decimal('3_8') is 38 and Decimal('1e1') is 10: neither is how a source writes a share.
    problem = only_problem_of(with_funded(f"{{percent: {written}, source: sohr, as_of: 2025-03-08}}"))
    assert located(problem) == (49, 19, "funding[0].funded[0].percent")
    assert problem.message == (
        "expected a percentage written in digits, with a point for decimals, such as 38, 78.6 or 78.6%, "
        f"got '{written}'"
    )


def test_percent_below_zero_is_refused_saying_to_remove_the_minus():
    problem = only_problem_of(with_funded("{percent: -5, source: sohr, as_of: 2025-03-08}"))
    assert located(problem) == (49, 19, "funding[0].funded[0].percent")
    assert problem.message == "'-5': a share cannot be below zero; write 5, without the minus"


@pytest.mark.parametrize("written", ["-0", "-0%", "-0.0"])
def test_percent_minus_zero_is_zero(written):
    # As an editor reads it (YAML 1.2: the number 0); never shown as -0%.
    share = parse_percent(written)
    assert share == 0 and not share.is_signed()
    assert str(share) in ("0", "0.0")


@pytest.mark.parametrize(
    "written, share", [("38", "38"), ("78.6%", "78.6"), ("٣٨", "38"), (".5", "0.5"), ("+5", "5"), ("0.38", "0.38")]
)
def test_percent_forms_read_before_are_still_read(written, share):
    assert str(parse_percent(written)) == share


# ---------------------------------------------------------------------------
# Statements and addresses


@pytest.mark.parametrize(
    "name, where",
    [
        ("statement-both.yaml", (45, 5, "statements[0].quote")),  # the later of the two keys written
        ("statement-neither.yaml", (42, 5, "statements[0]")),
    ],
)
def test_statement_needs_exactly_one_of_quote_and_summary(name, where):
    problem = only_problem(name)
    assert located(problem) == where
    assert "give either `quote` (the exact words) or `summary` (your words)" in problem.message


@pytest.mark.parametrize(
    "name, written",
    [
        ("url-javascript.yaml", "javascript:alert(1)"),
        ("url-file.yaml", "file:///etc/passwd"),
    ],
)
def test_source_address_must_be_a_web_address(name, written):
    problem = only_problem(name)
    assert located(problem) == (18, 10, "sources.reuters-0308.url")
    assert f"got '{written}'" in problem.message
    assert "starting with https:// or http://" in problem.message


# ---------------------------------------------------------------------------
# All at once


def test_every_problem_of_a_file_is_reported_sorted_by_line():
    found = problems("several-errors.yaml")
    assert [located(problem) for problem in found] == [
        (3, 13, "narrative.overview"),
        (8, 12, "report.country"),
        (17, 11, "sources.sohr.kind"),
        (33, 16, f"{ESTIMATE}.value"),
        (42, 15, "events[0].sources[0]"),
        (46, 5, "statements[0].summry"),
    ]
    messages = [problem.message for problem in found]
    assert messages[0] == "must not be empty: write the situation overview: what happened, where and who is affected"
    assert "'syr' is not in the expected form" in messages[1]
    assert "such as SYR" in messages[1]
    assert "'newspaper' is not one of the allowed values" in messages[2]
    assert "write 1068 or 1,068" in messages[3]
    assert messages[4] == "no source with id 'reuters-0309': did you mean 'reuters-0308'?"
    assert messages[5] == "unknown field 'summry': did you mean 'summary'?"


def test_input_error_text_lists_every_problem_one_per_line():
    with pytest.raises(InputError) as caught:
        parse_report(load_file(DATA / "several-errors.yaml", display="several-errors.yaml"))
    lines = str(caught.value).split("\n")
    assert len(lines) == 6
    assert lines[0] == (
        "several-errors.yaml:3:13: narrative.overview: must not be empty: write the situation "
        "overview: what happened, where and who is affected"
    )
    assert lines[-1] == (
        "several-errors.yaml:46:5: statements[0].summry: unknown field 'summry': did you mean 'summary'?"
    )


@pytest.mark.parametrize(
    "url, scheme",
    [
        ("javascript:alert(1)", "javascript"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        ("javascript&#58;alert(1)", "javascript"),
        ("&#106;avascript:alert(1)", "javascript"),
        ("java%73cript:alert(1)", "javascript"),
        ("java%2573cript:alert(1)", "javascript"),
        ("&amp;#106;avascript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        (" \x01javascript:alert(1)", "javascript"),
        ("vbscript:msgbox", "vbscript"),
        ("data:text/html,x", "data"),
        ("https://example.org/a:b", "https"),
        ("mailto:cell@example.org", "mailto"),
        ("#top", None),
        ("page.html", None),
    ],
)
def test_a_links_scheme_is_read_whatever_its_encoding(url, scheme):
    assert link_scheme(url) == scheme


def test_a_currency_in_small_letters_is_refused_as_a_currency_not_as_a_country():
    example = EXAMPLE.parent / "syria-earthquake-2023-02-21.yaml"  # its appeal's requirement, in US dollars
    written = "{amount: US$397.6 million, source: flash-appeal,"
    text = example.read_text(encoding="utf-8").replace(
        written, "{amount: 397600000, currency: usd, source: flash-appeal,"
    )
    assert written in example.read_text(encoding="utf-8") and "currency: usd" in text
    with pytest.raises(InputError) as caught:
        parse_report(load_bytes(text.encode("utf-8"), str(example)))
    (problem,) = caught.value.problems
    assert problem.field.endswith(".currency")
    assert "'usd' is not in the expected form (an ISO 4217 currency code in capitals, such as USD)" in problem.message


def test_a_long_value_is_quoted_by_its_start_and_end():
    # A refusal quotes what was written; 3,000 pasted characters must not make a 3,000-character line.
    message = refusal(parse_count, "x" * 2_900 + "tail")
    assert f"got '{'x' * 100}...{'x' * 46}tail'" in message
    assert len(message) < 400


@pytest.mark.parametrize(
    "field, line, path",
    [
        ("previous", '  previous: "no1\\e[2J.yaml"\n', "report.previous"),
        ("email", 'contacts:\n  - name: Duty analyst\n    email: "duty\\e]0;x\\a@example.org"\n', "contacts[0].email"),
    ],
)
def test_control_characters_written_as_escapes_are_refused_in_paths_and_addresses(field, line, path):
    text = (Path(__file__).parent / "data" / "model" / "minimal.yaml").read_text(encoding="utf-8")
    text = (
        text.replace(
            "  produced_by: Coastal crisis analysis cell\n", "  produced_by: Coastal crisis analysis cell\n" + line
        )
        if field == "previous"
        else text + line
    )
    with pytest.raises(InputError) as raised:
        parse_report(load_bytes(text.encode("utf-8"), "report.yaml"))
    assert [problem.field for problem in raised.value.problems] == [path]
    assert "\x1b" not in str(raised.value)
