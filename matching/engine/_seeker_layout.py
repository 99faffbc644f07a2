"""How the seeker index lays a seeker out: columns, bits, postings lists."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.engine.records import EmploymentType, MobilityScope, RemotePreference

SCOPES = tuple(MobilityScope)
PREFERENCES = tuple(RemotePreference)
EMPLOYMENT = tuple(EmploymentType)
FLAG_ROTATIONAL, FLAG_GROSS, FLAG_HOURLY, FLAG_SALARY = 1, 2, 4, 8

# Citizenships held as bits of one byte: the five members and the two main origin
# states of labour migrants; any other citizenship goes to a postings list and sets
# the last bit.
CITIZENSHIP_BITS = ("AM", "BY", "KZ", "KG", "RU", "UZ", "TJ")
OTHER_CITIZENSHIP = 1 << 7
# Languages kept as one column of CEFR ranks each; others go to a postings list.
DENSE_LANGUAGES = ("ru", "en", "kk", "ky", "hy", "be", "uz", "tg")
# The most common skills (by how many seekers hold them, at build time) are kept as one
# column of levels each: a query for a popular skill is then a few vector operations
# over a column instead of a scatter of hundreds of thousands of postings entries.
DENSE_SKILLS = 64
# Skill credits are sums of factor × min(level, asked). With the factors multiples of
# 1/8 (the defaults are 1/2 and 1/4) they are exact integers in eighths, summed in
# uint16; other factors take the float64 path, in the engine's order of operations.
EIGHTHS = 8

COLUMNS: dict[str, Any] = {
    "id": np.int64,
    "alive": np.bool_,
    "country": np.uint8,
    "place": np.uint16,
    "scope": np.uint8,
    "preference": np.uint8,
    "flags": np.uint8,
    "citizenship": np.uint8,
    "salary": np.float64,
    "currency": np.uint8,
    "experience": np.uint16,
    "employment": np.uint8,
    "available": np.int32,
}
POSTINGS: dict[str, dict[str, Any]] = {
    "skills": {"level": np.uint8},
    "occupations": {},
    "listed_countries": {},
    "listed_regions": {},
    "permits": {"until": np.int32},
    "foreign": {},
    "languages": {"rank": np.uint8},
}
