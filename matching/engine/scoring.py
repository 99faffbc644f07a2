"""The exact engine: one seeker, one vacancy, a score that says why."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from matching.engine import rules
from matching.engine.records import (
    COMPONENT_KEYS,
    ENGINE_VERSION,
    Component,
    Eligibility,
    EmploymentType,
    MatchResult,
    MobilityScope,
    Reason,
    ReferenceData,
    RemotePreference,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    Weights,
    WorkMode,
)


def score(
    seeker: SeekerFeatures,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    weights: Weights | None = None,
) -> MatchResult:
    w = weights or Weights()
    reasons: list[Reason] = []
    flags: list[str] = []

    remote_access = is_remote_accessible(seeker.country, vacancy)
    _check_mobility(seeker, vacancy, ref, remote_access, reasons)
    _check_work_right(seeker, vacancy, ref, reasons, flags)
    for code, requirement in sorted(vacancy.languages.items()):
        if requirement.hard and seeker.languages.get(code, 0) < requirement.min_rank:
            reasons.append(
                Reason("language_required", {"language": code, "level": requirement.min_rank})
            )

    skills_value, missing = skills_match(seeker.skills, vacancy, ref, w)
    location, must_move = _location(seeker, vacancy, ref, w, remote_access)
    if must_move:
        flags.append("relocation_needed")
    values = (
        skills_value,
        rules.occupation_value(seeker.desired_occupations, vacancy.occupation, w),
        location,
        _languages(seeker.languages, vacancy),
        _salary(seeker, vacancy, ref, w, remote_access),
        rules.experience_value(seeker.experience_years, vacancy.min_experience_years),
        _employment(seeker.employment_types, vacancy.employment_type),
        rules.availability_value(days_late(seeker, vacancy, ref), w),
    )
    points = [weight * value for weight, value in zip(w.component_weights(), values, strict=True)]
    raw = 0.0
    for p in points:
        raw += p
    total = rules.tenths(raw)
    shares = _apportion(points, total)
    components = tuple(
        Component(key, weight, value, share / 10)
        for key, weight, value, share in zip(
            COMPONENT_KEYS, w.component_weights(), values, shares, strict=True
        )
    )
    return MatchResult(
        seeker_id=seeker.id,
        vacancy_id=vacancy.id,
        score=total / 10,
        eligible=not reasons,
        reasons=tuple(reasons),
        flags=tuple(sorted(flags)),
        components=components,
        missing_skills=tuple(missing),
        version=f"{ENGINE_VERSION}+{w.version}",
    )


def rank(
    seekers: Iterable[SeekerFeatures],
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    weights: Weights | None = None,
    *,
    k: int,
) -> list[MatchResult]:
    """The eligible seekers' top k by (−score, id): the naive way, one score at a time."""
    results = [r for r in (score(s, vacancy, ref, weights) for s in seekers) if r.eligible]
    results.sort(key=lambda r: (-r.score, r.seeker_id))
    return results[:k]


# --- hard filters -----------------------------------------------------------------


def is_remote_accessible(seeker_country: str, vacancy: VacancyFeatures) -> bool:
    if vacancy.work_mode != WorkMode.REMOTE:
        return False
    return seeker_country in (vacancy.remote_countries or {vacancy.country})


def scope_allows(seeker: SeekerFeatures, vacancy: VacancyFeatures, ref: ReferenceData) -> bool:
    """Would the seeker go to the vacancy's region? Staying at home is always allowed."""
    scope = seeker.mobility_scope
    if seeker.region is not None and seeker.region == vacancy.region:
        return True
    if scope == MobilityScope.REGION:
        return False
    if scope == MobilityScope.COUNTRY:
        return seeker.country == vacancy.country
    if scope == MobilityScope.LISTED:
        return (
            vacancy.country in seeker.mobility_countries
            or vacancy.region in seeker.mobility_regions
        )
    if scope == MobilityScope.EAEU:
        return seeker.country == vacancy.country or vacancy.country in ref.eaeu_members
    return True


def mode_allows(preference: RemotePreference, mode: WorkMode, remote_access: bool) -> bool:
    """Remote-only seekers take only remote work open to where they live; seekers who
    want on-site work take on-site and hybrid work (an office to go to), not remote."""
    if preference == RemotePreference.REMOTE_ONLY:
        return remote_access
    if preference == RemotePreference.ON_SITE:
        return mode != WorkMode.REMOTE
    return True


def _check_mobility(
    seeker: SeekerFeatures,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    remote_access: bool,
    reasons: list[Reason],
) -> None:
    if not mode_allows(seeker.remote_preference, vacancy.work_mode, remote_access):
        key = (
            "remote_work_only"
            if seeker.remote_preference == RemotePreference.REMOTE_ONLY
            else "on_site_work_only"
        )
        reasons.append(Reason(key, {"work_mode": vacancy.work_mode.value}))
    if not remote_access and not scope_allows(seeker, vacancy, ref):
        reasons.append(
            Reason(
                "outside_mobility_scope",
                {"scope": seeker.mobility_scope.value, "region": vacancy.region},
            )
        )
    if vacancy.employment_type == EmploymentType.ROTATIONAL and not seeker.accepts_rotational:
        reasons.append(Reason("rotational_unwilling", {}))


def permit_check_day(vacancy: VacancyFeatures, ref: ReferenceData) -> int:
    """The day a permit must still be valid on: the start of work, and never the past."""
    start = vacancy.start_date or ref.as_of
    return max(start, ref.as_of).toordinal()


def _check_work_right(
    seeker: SeekerFeatures,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    reasons: list[Reason],
    flags: list[str],
) -> None:
    country = vacancy.country
    citizen = country in seeker.citizenships
    # EAEU Treaty art. 97: a member state's citizens need no permit in another member.
    treaty = (
        not citizen
        and country in ref.eaeu_members
        and not seeker.citizenships.isdisjoint(ref.eaeu_members)
    )
    has_permit = country in seeker.work_rights
    until = seeker.work_rights.get(country)
    permit = has_permit and (until is None or until.toordinal() >= permit_check_day(vacancy, ref))
    right = citizen or treaty or permit
    if treaty:
        flags.append("eaeu_treaty")
    if not citizen and _is_regulated(vacancy):
        flags.append("diploma_recognition_needed")

    if vacancy.eligibility == Eligibility.ANYONE:
        if not right:
            flags.append("work_permit_sponsored")
        return
    if vacancy.eligibility == Eligibility.LOCAL and seeker.country != country:
        reasons.append(Reason("local_residents_only", {"country": country}))
    elif not right:
        if has_permit and until is not None:
            params: dict[str, str | int] = {"country": country, "valid_until": until.isoformat()}
            reasons.append(Reason("work_permit_expired", params))
        else:
            reasons.append(Reason("work_permit_required", {"country": country}))


def _is_regulated(vacancy: VacancyFeatures) -> bool:
    if vacancy.regulated is not None:
        return vacancy.regulated
    return rules.is_regulated_occupation(vacancy.occupation)


# --- components ---------------------------------------------------------------------


def skill_denominator(vacancy: VacancyFeatures, weights: Weights) -> float:
    den = 0.0
    for _skill, level in sorted(vacancy.required_skills.items()):
        den += float(level)
    for _skill, level in sorted(vacancy.optional_skills.items()):
        den += weights.optional_skill_factor * level
    return den


def skill_credit(
    skills: Mapping[int, SeekerSkill], skill: int, level: int, ref: ReferenceData, w: Weights
) -> float:
    """Levels met, capped at the level asked; a related skill counts for part of it."""
    held = skills.get(skill)
    credit = float(min(held.level, level)) if held is not None else 0.0
    for other in ref.related_skills(skill):
        near = skills.get(other)
        if near is not None:
            credit = max(credit, w.related_skill_factor * min(near.level, level))
    return credit


def skills_match(
    skills: Mapping[int, SeekerSkill], vacancy: VacancyFeatures, ref: ReferenceData, w: Weights
) -> tuple[float, list[int]]:
    """(coverage 0..1, required skills without any credit)."""
    num = 0.0
    missing: list[int] = []
    for skill, level in sorted(vacancy.required_skills.items()):
        credit = skill_credit(skills, skill, level, ref, w)
        if credit == 0.0:
            missing.append(skill)
        num += credit
    for skill, level in sorted(vacancy.optional_skills.items()):
        num += w.optional_skill_factor * skill_credit(skills, skill, level, ref, w)
    den = skill_denominator(vacancy, w)
    return (num / den if den > 0.0 else 1.0), missing


def _location(
    seeker: SeekerFeatures,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    w: Weights,
    remote_access: bool,
) -> tuple[float, bool]:
    if remote_access:
        return 1.0, False
    return place_location(seeker.country, seeker.region, vacancy, ref, w)


def place_location(
    country: str, region: str | None, vacancy: VacancyFeatures, ref: ReferenceData, w: Weights
) -> tuple[float, bool]:
    """(location value, must move?) for someone living in (country, region), on site."""
    distance = rules.distance_km(ref, region, vacancy.region)
    near, must_move = rules.proximity(distance, same_country=country == vacancy.country, weights=w)
    share = rules.relocation_help_share(
        vacancy.relocation_travel, vacancy.relocation_housing, vacancy.relocation_registration
    )
    return rules.location_value(near, must_move=must_move, help_share=share, weights=w), must_move


def _languages(languages: Mapping[str, int], vacancy: VacancyFeatures) -> float:
    num = 0
    den = 0
    for code, requirement in sorted(vacancy.languages.items()):
        num += min(languages.get(code, 0), requirement.min_rank)
        den += requirement.min_rank
    return num / den if den > 0 else 1.0


def offer_amount(vacancy: VacancyFeatures) -> float | None:
    return vacancy.salary_max if vacancy.salary_max is not None else vacancy.salary_min


def _salary(
    seeker: SeekerFeatures,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    w: Weights,
    remote_access: bool,
) -> float:
    wish = seeker.salary
    if wish is None:
        return 1.0
    amount = offer_amount(vacancy)
    if amount is None or vacancy.salary_currency is None:
        return w.salary_unknown
    offer = rules.monthly_usd(
        amount,
        currency=vacancy.salary_currency,
        period=vacancy.salary_period,
        gross=vacancy.salary_gross,
        ref=ref,
        weights=w,
    )
    expectation = rules.monthly_usd(
        wish.amount,
        currency=wish.currency,
        period=wish.period,
        gross=wish.gross,
        ref=ref,
        weights=w,
    )
    if offer is None or expectation is None:
        return w.salary_unknown
    # A remote worker spends the pay at home; one who moves spends it where the job is.
    work = seeker.country if remote_access else vacancy.country
    home_level, work_level = rules.price_levels(seeker.country, work, ref, w)
    return rules.salary_value(offer * work_level, expectation * home_level, w)


def _employment(wanted: frozenset[EmploymentType], offered: EmploymentType) -> float:
    return 1.0 if not wanted or offered in wanted else 0.0


def days_late(seeker: SeekerFeatures, vacancy: VacancyFeatures, ref: ReferenceData) -> int:
    start = max(vacancy.start_date or ref.as_of, ref.as_of)
    ready = max(seeker.available_from or ref.as_of, ref.as_of)
    return (ready - start).days


def _apportion(points: list[float], total_tenths: int) -> list[int]:
    """Each component's tenths of a point, summing exactly to the rounded score
    (largest remainder), so an explanation always adds up to what it explains."""
    floors = [math.floor(p * 10.0) for p in points]
    spare = total_tenths - sum(floors)
    order = sorted(range(len(points)), key=lambda i: (-(points[i] * 10.0 - floors[i]), i))
    for i in order[: max(spare, 0)]:
        floors[i] += 1
    # Float noise can leave the floors a tenth above the rounded total: take it back
    # from the smallest remainders that still have a tenth to give.
    for i in reversed(order):
        if spare >= 0:
            break
        if floors[i] > 0:
            floors[i] -= 1
            spare += 1
    return floors
