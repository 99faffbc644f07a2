"""Reading ESCO's official CSV release (skills pillar) into skill records.

ESCO publishes, per language, ``skills_<lang>.csv`` (``conceptUri``, ``skillType``,
``preferredLabel``, ``altLabels`` — one label per line —, ``description``, …),
``broaderRelationsSkillPillar_<lang>.csv`` (``conceptUri``, ``broaderType``,
``broaderUri``), ``occupations_<lang>.csv`` (``conceptUri``, ``iscoGroup``) and
``occupationSkillRelations_<lang>.csv`` (``occupationUri``, ``relationType``,
``skillUri``). Everything is checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from taxonomy.services import SkillRecord, TaxonomyDataError, read_csv

SKILLS_FILE = "skills_en.csv"
RUSSIAN_SKILLS_FILE = "skills_ru.csv"
BROADER_FILE = "broaderRelationsSkillPillar_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"

SKILL_TYPES = {"skill/competence", "knowledge"}
SKILL_CONCEPT_TYPE = "KnowledgeSkillCompetence"


@dataclass
class EscoRelease:
    records: list[SkillRecord]
    skipped_relations: int


def _labels(cell: str | None) -> list[str]:
    return [line.strip() for line in (cell or "").splitlines() if line.strip()]


def _check_uri(value: str, where: str) -> str:
    value = (value or "").strip()
    if not value.startswith(("http://", "https://")):
        raise TaxonomyDataError(f"{where}: {value!r} is not a concept URI")
    return value


def read_release(directory: Path) -> EscoRelease:
    """Parse and cross-check a release directory; raise ``TaxonomyDataError`` if malformed."""
    skills_path = directory / SKILLS_FILE
    if not skills_path.is_file():
        raise TaxonomyDataError(f"{directory}: {SKILLS_FILE} not found")
    records: dict[str, SkillRecord] = {}
    rows = read_csv(skills_path, ("conceptUri", "skillType", "preferredLabel", "altLabels"))
    for line, row in enumerate(rows, start=2):
        where = f"{SKILLS_FILE} line {line}"
        uri = _check_uri(row["conceptUri"], where)
        if uri in records:
            raise TaxonomyDataError(f"{where}: {uri} appears twice")
        label = (row["preferredLabel"] or "").strip()
        if not label:
            raise TaxonomyDataError(f"{where}: preferredLabel is empty")
        skill_type = (row["skillType"] or "").strip() or "skill/competence"
        if skill_type not in SKILL_TYPES:
            raise TaxonomyDataError(f"{where}: unknown skillType {skill_type!r}")
        records[uri] = SkillRecord(
            uri=uri,
            skill_type=skill_type,
            label_en=label[:255],
            alt_labels_en=[a[:255] for a in _labels(row["altLabels"])],
            description_en=(row.get("description") or row.get("definition") or "").strip(),
        )
    if not records:
        raise TaxonomyDataError(f"{SKILLS_FILE} holds no skills")

    russian = directory / RUSSIAN_SKILLS_FILE
    if russian.is_file():
        for line, row in enumerate(
            read_csv(russian, ("conceptUri", "preferredLabel", "altLabels")), 2
        ):
            uri = _check_uri(row["conceptUri"], f"{RUSSIAN_SKILLS_FILE} line {line}")
            if uri in records:
                records[uri].label_ru = (row["preferredLabel"] or "").strip()[:255]
                records[uri].alt_labels_ru = [a[:255] for a in _labels(row["altLabels"])]

    broader = directory / BROADER_FILE
    if broader.is_file():
        columns = ("conceptUri", "broaderType", "broaderUri")
        for line, row in enumerate(read_csv(broader, columns), start=2):
            where = f"{BROADER_FILE} line {line}"
            uri = _check_uri(row["conceptUri"], where)
            parent = _check_uri(row["broaderUri"], where)
            # Skill groups are a classification of their own; a skill's broader skill
            # is another skill of this release.
            if row["broaderType"] != SKILL_CONCEPT_TYPE or uri not in records:
                continue
            if parent not in records:
                raise TaxonomyDataError(f"{where}: broader skill {parent} is not in {SKILLS_FILE}")
            records[uri].broader_uri = records[uri].broader_uri or parent
        _check_no_cycles(records)

    skipped = 0
    occupations, relations = directory / OCCUPATIONS_FILE, directory / RELATIONS_FILE
    if occupations.is_file() != relations.is_file():
        raise TaxonomyDataError(f"{OCCUPATIONS_FILE} and {RELATIONS_FILE} come together")
    if occupations.is_file():
        isco: dict[str, str] = {}
        for line, row in enumerate(read_csv(occupations, ("conceptUri", "iscoGroup")), start=2):
            where = f"{OCCUPATIONS_FILE} line {line}"
            group = (row["iscoGroup"] or "").strip()
            if not (group.isdigit() and len(group) == 4):
                raise TaxonomyDataError(
                    f"{where}: iscoGroup {group!r} is not a 4-digit ISCO-08 code"
                )
            isco[_check_uri(row["conceptUri"], where)] = group
        columns = ("occupationUri", "relationType", "skillUri")
        for line, row in enumerate(read_csv(relations, columns), start=2):
            where = f"{RELATIONS_FILE} line {line}"
            occupation = _check_uri(row["occupationUri"], where)
            skill = _check_uri(row["skillUri"], where)
            if occupation not in isco:
                raise TaxonomyDataError(
                    f"{where}: occupation {occupation} is not in {OCCUPATIONS_FILE}"
                )
            if skill not in records:
                skipped += 1  # a relation to a skill outside this release
                continue
            codes = records[skill].occupation_codes
            if isco[occupation] not in codes:
                codes.append(isco[occupation])
    return EscoRelease(records=list(records.values()), skipped_relations=skipped)


def _check_no_cycles(records: dict[str, SkillRecord]) -> None:
    for start in records:
        seen = {start}
        current = records[start].broader_uri
        while current:
            if current in seen:
                raise TaxonomyDataError(
                    f"{BROADER_FILE}: broader relations form a cycle at {current}"
                )
            seen.add(current)
            current = records[current].broader_uri if current in records else None
