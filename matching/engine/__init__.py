"""The matching engine: typed records in, explained scores out. Pure Python and NumPy.

Nothing here imports Django or another app; the worker's adapters turn rows into
records (``records``), the engine scores one pair exactly (``scoring.score``), and the
candidate indexes find the top k of a million in milliseconds with the same formulas
(``index``). ``rules`` holds the formulas both share.
"""

from matching.engine.index import (
    IndexDisagreement,
    SeekerIndex,
    Shortlist,
    VacancyIndex,
    merge_top_k,
    shard_of,
    top_seekers,
    top_vacancies,
)
from matching.engine.records import (
    COMPONENT_KEYS,
    ENGINE_VERSION,
    Component,
    Eligibility,
    EmploymentType,
    LanguageRequirement,
    MatchResult,
    MobilityScope,
    Reason,
    ReferenceData,
    RemotePreference,
    Salary,
    SalaryPeriod,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    Weights,
    WorkMode,
)
from matching.engine.scoring import rank, score

__all__ = [
    "COMPONENT_KEYS",
    "ENGINE_VERSION",
    "Component",
    "Eligibility",
    "EmploymentType",
    "IndexDisagreement",
    "LanguageRequirement",
    "MatchResult",
    "MobilityScope",
    "Reason",
    "ReferenceData",
    "RemotePreference",
    "Salary",
    "SalaryPeriod",
    "SeekerFeatures",
    "SeekerIndex",
    "SeekerSkill",
    "Shortlist",
    "VacancyFeatures",
    "VacancyIndex",
    "Weights",
    "WorkMode",
    "merge_top_k",
    "rank",
    "score",
    "shard_of",
    "top_seekers",
    "top_vacancies",
]
