"""Reading a team's weekly results: three file kinds, two notations, and every bad input.

Also home of the helpers the other calibration tests share: weeks of a team simulated with
known values, written as English CSV, Dutch CSV or Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from thermosim.calibrate import DataError, read_weekly
from thermosim.calibrate.example import data_text, team_run, truth_scenario
from thermosim.calibrate.reader import MIN_WEEKS
from thermosim.engine import Run

# A small, cheap team (the default plant) for the fast tests; the example's known values for
# the slow recovery test.
SMALL: Mapping[str, float] = {
    "lead_rate": 22.0,
    "win_probability": 0.25,
    "deal_mean": 23_900.0,
    "deal_sigma": 0.6,
    "repeat_scale": 1.0,
    "trend": 0.0,
}


def simulated_run(
    weeks: int = 52,
    variant: Mapping[str, Any] | None = None,
    seed: int = 3,
    values: Mapping[str, float] = SMALL,
    team_size: int = 10,
    target: float = 108_500.0,
) -> Run:
    """One replication of a team with known ``values`` (the reactive preset by default)."""
    scenario = truth_scenario(
        values, variant or {"name": "team", "preset": "reactive"}, weeks, team_size, target
    )
    return team_run(scenario, seed=seed)


def write_csv(path: Path, run: Run, dutch: bool, target: float = 108_500.0) -> Path:
    path.write_text(data_text(run, target, dutch=dutch), encoding="utf-8", newline="\n")
    return path


def write_xlsx(path: Path, run: Run, target: float = 108_500.0) -> Path:
    """The run's weeks as an Excel sheet: real dates and numbers, English headers."""
    import openpyxl

    from thermosim.calibrate.example import FIRST_MONDAY, weekly_actions

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Week", "Revenue", "Deals won", "New leads", "Headcount", "Target", "Actions"])
    s = run.series
    actions = weekly_actions(run, len(s["revenue"]), dutch=False)
    for t in range(len(s["revenue"])):
        day = dt.datetime.combine(FIRST_MONDAY + dt.timedelta(weeks=t), dt.time())
        sheet.append(
            [
                day,
                round(float(s["revenue"][t]), 2),
                int(s["won"][t]),
                int(s["leads"][t]),
                int(s["headcount"][t]),
                target,
                actions[t] or None,
            ]
        )
    book.save(path)
    return path


def lines(n: int = MIN_WEEKS, header: str = "week;omzet;gewonnen") -> list[str]:
    """A valid small Dutch CSV: ``n`` Mondays, revenue with decimal commas."""
    rows = [header]
    for t in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(weeks=t)
        rows.append(f"{day:%d-%m-%Y};{100_000 + 1000 * t:_}".replace("_", ".") + f",50;{t % 4}")
    return rows


def write_lines(tmp_path: Path, rows: list[str], name: str = "weeks.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run52() -> Run:
    return simulated_run()


# --- the three readers agree --------------------------------------------------------------


def test_english_csv_dutch_csv_and_xlsx_read_the_same_weeks(run52: Run, tmp_path: Path) -> None:
    english = read_weekly(write_csv(tmp_path / "en.csv", run52, dutch=False))
    dutch = read_weekly(write_csv(tmp_path / "nl.csv", run52, dutch=True))
    excel = read_weekly(write_xlsx(tmp_path / "team.xlsx", run52))
    for other in (dutch, excel):
        assert other.labels == english.labels
        for field in ("revenue", "deals_won", "new_leads", "headcount", "target"):
            assert np.array_equal(getattr(other, field), getattr(english, field)), field
        assert [bool(a) for a in other.actions or ()] == [bool(a) for a in english.actions or ()]
    # Revenue survives the notation to the cent (1.234,56 and 1,234.56 alike).
    assert np.allclose(english.revenue, np.round(run52.series["revenue"], 2))
    assert english.labels[0] == "2023-01-02" and english.weeks == 52
    assert any("decimal comma" in n for n in dutch.notes)


def test_headers_are_matched_in_english_and_dutch_whatever_their_case(tmp_path: Path) -> None:
    rows = lines(header="Week Nr;OMZET;Deals_Won")
    data = read_weekly(write_lines(tmp_path, rows))
    assert data.columns == {"week": "Week Nr", "revenue": "OMZET", "deals_won": "Deals_Won"}
    assert data.revenue[0] == 100_000.5  # "100.000,50" with a decimal comma
    assert data.new_leads is None and data.actions is None


def test_column_option_maps_any_header(tmp_path: Path) -> None:
    rows = lines(header="Period;Bookings;Closed")
    path = write_lines(tmp_path, rows)
    data = read_weekly(path, ["revenue=Bookings", "deals_won=closed", "week=Period"])
    assert data.columns["revenue"] == "Bookings" and data.columns["deals_won"] == "Closed"
    assert data.deals_won is not None and data.deals_won[3] == 3


def test_week_numbers_iso_weeks_and_a_new_year_are_read_in_order(tmp_path: Path) -> None:
    numbers = [f"{w};1000" for w in [*range(40, 53), *range(1, 20)]]
    data = read_weekly(write_lines(tmp_path, ["week;revenue", *numbers]))
    assert data.weeks == 32 and data.labels[0] == "week 40" and data.present.all()
    iso = [f"2024-W{w:02d},1000" for w in range(1, 31)]
    data = read_weekly(write_lines(tmp_path, ["week,revenue", *iso], "iso.csv"))
    assert data.labels[0] == "2024-01-01" and data.weeks == 30


def test_english_thousands_need_no_quotes_in_a_semicolon_file(tmp_path: Path) -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(weeks=t) for t in range(MIN_WEEKS)]
    rows = ["date;revenue", *(f"{d.isoformat()};1,234.5" for d in days)]
    data = read_weekly(write_lines(tmp_path, rows))
    assert data.revenue[0] == 1234.5


# --- bad input: file, row, column and a fix, and what the CLI makes of it -------------------


def _problems(path: Path, **kwargs: Any) -> str:
    with pytest.raises(DataError) as caught:
        read_weekly(path, **kwargs)
    assert caught.value.bad_input
    return str(caught.value)


def test_a_missing_required_column_names_the_columns_found_and_the_option(tmp_path: Path) -> None:
    message = _problems(write_lines(tmp_path, lines(header="week;bookings;gewonnen")))
    assert "weeks.csv:1:1: revenue: no revenue column" in message
    assert "'bookings'" in message and "--column revenue=HEADER" in message


def test_an_unreadable_date_names_row_column_and_formats(tmp_path: Path) -> None:
    rows = lines()
    rows[5] = rows[5].replace(rows[5].split(";")[0], "31-13-2024")
    message = _problems(write_lines(tmp_path, rows))
    assert "weeks.csv:6:1: week:" in message and "dd-mm-yyyy" in message


def test_negative_and_non_numeric_revenue_are_refused_with_their_rows(tmp_path: Path) -> None:
    rows = lines()
    rows[3] = rows[3].replace("102.000,50", "-2.000,50")
    rows[8] = rows[8].replace("107.000,50", "n/a")
    message = _problems(write_lines(tmp_path, rows))
    assert "weeks.csv:4:2: omzet: negative: -2.000,50" in message
    assert "weeks.csv:9:2: omzet: not a number: 'n/a'" in message


def test_a_duplicate_week_names_both_rows(tmp_path: Path) -> None:
    rows = lines()
    rows.append(rows[10])
    message = _problems(write_lines(tmp_path, rows))
    assert f"weeks.csv:{len(rows)}:1: week:" in message and "(also in row 11)" in message


def test_too_few_weeks_says_how_many_are_needed_and_why(tmp_path: Path) -> None:
    message = _problems(write_lines(tmp_path, lines(12)))
    assert f"12 weeks: too few to fit; at least {MIN_WEEKS} are needed" in message
    assert "sales cycles" in message


def test_a_gap_is_an_error_unless_allowed_and_is_then_listed_not_filled(tmp_path: Path) -> None:
    rows = lines(30)
    del rows[11:13]  # two weeks missing after row 11
    path = write_lines(tmp_path, rows)
    message = _problems(path)
    assert "weeks.csv:11:1: week: 2 weeks missing after this row: 2024-03-11, 2024-03-18" in message
    assert "--allow-gaps" in message
    data = read_weekly(path, allow_gaps=True)
    assert data.gaps == [10, 11] and np.isnan(data.revenue[10])
    assert any("2 missing weeks left out of the fit" in n for n in data.notes)


def test_both_number_notations_in_one_column_are_refused(tmp_path: Path) -> None:
    rows = lines()
    rows[4] = rows[4].replace("103.000,50", "103,000.50")
    message = _problems(write_lines(tmp_path, rows))
    assert "numbers are written both ways" in message


def test_unknown_column_option_suggests_the_field(tmp_path: Path) -> None:
    message = _problems(write_lines(tmp_path, lines()), columns=["revenu=Bookings"])
    assert "--column revenu=Bookings: unknown field 'revenu'; did you mean 'revenue'?" in message


def test_a_mapped_header_that_is_not_there_names_the_headers(tmp_path: Path) -> None:
    message = _problems(write_lines(tmp_path, lines()), columns=["revenue=Bookings"])
    assert "no column 'Bookings' in the header row" in message and "'omzet'" in message


def test_a_file_that_is_no_table_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "weeks.pdf"
    odd.write_bytes(b"%PDF")
    assert "cannot read a '.pdf' file" in _problems(odd)
    broken = tmp_path / "weeks.xlsx"
    broken.write_bytes(b"not a zip")
    assert "Excel workbook" in _problems(broken)
    assert "cannot read the file" in _problems(tmp_path / "missing.csv")
