"""How the vacancy index lays a vacancy out: columns, bits, postings lists."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.engine.records import Eligibility, EmploymentType, WorkMode

MODES = tuple(WorkMode)
EMPLOYMENT = tuple(EmploymentType)
ELIGIBILITY = tuple(Eligibility)
TRAVEL, HOUSING, REGISTRATION, REGULATED, HOURLY, GROSS, OFFER = 1, 2, 4, 8, 16, 32, 64
HELP = TRAVEL | HOUSING | REGISTRATION
# Languages whose level asked is a column (0: not asked); a bit of "hard" each.
DENSE_LANGUAGES = ("ru", "en", "kk", "ky", "hy", "be", "uz", "tg")
# Skill credits are sums of factor × min(level, asked). With the factors multiples of
# 1/8 (the defaults are 1/2 and 1/4) they are exact integers in eighths, which a query
# sums in uint16; other factors take the float64 path, in the order it always had.
EIGHTHS = 8
# The skills asked by at least one vacancy in DENSE_SHARE (the DENSE_SKILLS commonest at
# most) are also kept as two columns of the level asked, required and optional, made
# from the postings at the first query after a build or compaction: the seeker's credit
# for such a skill is then a few passes over a uint8 column rather than a scatter of
# tens of thousands of postings entries (at 100,000 vacancies, a handful of skills hold
# most of the entries a query reads). Rows appended since come from the postings.
DENSE_SKILLS = 16
DENSE_SHARE = 8
# Postings codes: the level asked (0–5), + OPTIONAL for an optional skill.
OPTIONAL = 6

COLUMNS: dict[str, Any] = {
    "id": np.int64,
    "alive": np.bool_,
    "country": np.uint8,
    "place": np.uint16,
    "occupation": np.uint16,
    "mode": np.uint8,
    "employment": np.uint8,
    "eligibility": np.uint8,
    "flags": np.uint8,
    "experience": np.uint16,
    "offer": np.float64,
    "currency": np.uint8,
    "start": np.int32,
    "required_levels": np.uint16,
    "optional_levels": np.uint16,
    "language_levels": np.uint16,
    "hard_languages": np.uint8,
    **{f"lang.{code}": np.uint8 for code in DENSE_LANGUAGES},
}
POSTINGS: dict[str, dict[str, Any]] = {
    # code: the level asked, plus 6 for an optional skill (a column of a credit table)
    "skills": {"code": np.uint8},
    "languages": {"level": np.uint8, "hard": np.uint8},
    "remote": {},
    "occupations": {},
}
