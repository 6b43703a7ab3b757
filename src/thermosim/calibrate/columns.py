"""Which column of a data file holds which weekly figure: header names in English and Dutch.

Owns the fields a calibration reads (``week`` and ``revenue`` required; ``deals_won``,
``new_leads``, ``headcount``, ``target`` and ``actions`` optional), the header names each is
known by in English and Dutch (case, spaces, underscores, hyphens and dots not mattering), and
the ``--column FIELD=HEADER`` mappings that name any other header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import get_close_matches

from thermosim.calibrate.problems import data_error, problem

REQUIRED: tuple[str, ...] = ("week", "revenue")
OPTIONAL: tuple[str, ...] = ("deals_won", "new_leads", "headcount", "target", "actions")
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL

# Header names as people write them, normalised (see `normalise`). The Dutch ones are those of
# the issue (omzet, gewonnen, leads, fte, target, acties) and their common variants.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "week": ("week", "weeknr", "weeknummer", "date", "datum", "weekstart", "wk", "period"),
    "revenue": ("revenue", "revenueeur", "omzet", "omzeteur"),
    "deals_won": ("dealswon", "won", "gewonnen", "dealsgewonnen", "gewonnendeals", "wins"),
    "new_leads": ("newleads", "leads", "nieuweleads"),
    "headcount": ("headcount", "fte", "teamsize", "teamgrootte", "verkopers"),
    "target": ("target", "targeteur", "doel", "norm"),
    "actions": ("actions", "action", "acties", "actie", "maatregelen", "maatregel"),
}


def normalise(header: str) -> str:
    """A header as compared: lower case, without spaces, underscores, hyphens, dots, (EUR)."""
    text = header.strip().lower().replace("€", "eur")
    return re.sub(r"[\s_\-.()/\[\]]+", "", text)


def field_name(word: str) -> str | None:
    """The field ``word`` names (a field or any alias, e.g. ``omzet`` -> ``revenue``)."""
    key = normalise(word)
    for field in FIELDS:
        if key == normalise(field) or key in ALIASES[field]:
            return field
    return None


def parse_mappings(given: Sequence[str], source: str) -> dict[str, str]:
    """``--column FIELD=HEADER`` options as ``{field: header}``.

    Raises
    ------
    DataError
        For an option without ``=``, an unknown field (with "did you mean") or a field mapped
        twice.
    """
    found: dict[str, str] = {}
    problems = []
    for option in given:
        name, sep, header = option.partition("=")
        field = field_name(name)
        if not sep or not header.strip():
            problems.append(
                problem(
                    f"--column {option}",
                    "expected FIELD=HEADER",
                    "e.g. --column revenue=Bookings (the header as it is in the file)",
                )
            )
        elif field is None:
            close = get_close_matches(name.strip().lower(), FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else ""
            problems.append(
                problem(
                    f"--column {option}",
                    f"unknown field '{name}'" + (f"; {hint}" if hint else ""),
                    f"fields: {', '.join(FIELDS)}",
                )
            )
        elif field in found:
            problems.append(
                problem(f"--column {option}", f"{field} is mapped twice", "map each field once")
            )
        else:
            found[field] = header.strip()
    if problems:
        raise data_error(source, problems)
    return found


def match_columns(
    headers: Sequence[str], mappings: Mapping[str, str], source: str, header_row: int
) -> dict[str, int]:
    """Which column (0-based) holds each field found: mappings first, then the known names.

    Raises
    ------
    DataError
        When a mapped header is not in the file, two columns claim one field, or a required
        field has no column; each with the headers found and the ``--column`` that fixes it.
    """
    shown = ", ".join(f"'{h}'" for h in headers if h.strip()) or "none"
    by_name = {normalise(h): i for i, h in reversed(list(enumerate(headers))) if h.strip()}
    chosen: dict[str, int] = {}
    problems = []
    for field, header in mappings.items():
        index = by_name.get(normalise(header))
        if index is None:
            problems.append(
                problem(
                    source,
                    f"--column {field}={header}: no column '{header}' in the header row",
                    f"the columns are {shown}",
                    row=header_row,
                    field=field,
                )
            )
        else:
            chosen[field] = index
    taken = set(chosen.values())
    for i, header in enumerate(headers):
        known = field_name(header) if header.strip() else None
        if known is None or known in mappings or i in taken:
            continue
        field = known
        if field in chosen:
            first = headers[chosen[field]]
            problems.append(
                problem(
                    source,
                    f"columns '{first}' and '{header}' both look like {field}",
                    f"say which one: --column {field}={first}",
                    row=header_row,
                    column=i + 1,
                    field=header,
                )
            )
            continue
        chosen[field] = i
    for field in REQUIRED:
        if field not in chosen and not any(p.field == field for p in problems):
            names = ", ".join(ALIASES[field][:3])
            problems.append(
                problem(
                    source,
                    f"no {field} column (looked for {names}, ...)",
                    f"the columns are {shown}; name the {field} column in the file or map it: "
                    f"--column {field}=HEADER",
                    row=header_row,
                    field=field,
                )
            )
    if problems:
        raise data_error(source, problems)
    return chosen
