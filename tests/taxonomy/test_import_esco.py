from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from taxonomy.models import Skill

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "esco_sample"
ESCO = "http://data.europa.eu/esco/skill/"


def test_import_esco_loads_skills_labels_hierarchy_and_occupations():
    out = StringIO()
    call_command("import_esco", str(SAMPLE), stdout=out)
    assert "skills: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "1 occupation relation(s) to skills outside the release skipped" in out.getvalue()

    tig = Skill.objects.get(uri=ESCO + "a1b2c3d4-0002")
    assert tig.label_en == "use tungsten inert gas welding"
    assert tig.alt_labels_en == ["TIG welding", "gas tungsten arc welding", "GTAW"]
    assert tig.broader is not None and tig.broader.label_en == "weld metal parts"
    assert tig.source == "esco"
    assert list(tig.occupations.values_list("code", flat=True)) == ["7212"]

    weld = Skill.objects.get(uri=ESCO + "a1b2c3d4-0001")
    assert weld.label_ru == "сваривать металлические детали"
    assert weld.broader is None  # its broader concept is a skill group, not a skill
    assert Skill.objects.get(uri=ESCO + "a1b2c3d4-0003").skill_type == "knowledge"
    assert list(
        Skill.objects.get(uri=ESCO + "a1b2c3d4-0004").occupations.values_list("code", flat=True)
    ) == ["8344"]


def test_import_esco_again_changes_nothing():
    call_command("import_esco", str(SAMPLE), stdout=StringIO())
    out = StringIO()
    call_command("import_esco", str(SAMPLE), stdout=out)
    assert "skills: 0 created, 0 updated, 4 unchanged" in out.getvalue()


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    release = tmp_path / "release"
    shutil.copytree(SAMPLE, release)
    path = release / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return release


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "skills_en.csv",
            "preferredLabel",
            "prefLabel",
            "skills_en.csv: missing column(s) preferredLabel",
        ),
        ("skills_en.csv", "operate forklift", "", "skills_en.csv line 5: preferredLabel is empty"),
        (
            "skills_en.csv",
            "knowledge,sector",
            "competence,sector",
            "line 4: unknown skillType 'competence'",
        ),
        (
            "skills_en.csv",
            ESCO + "a1b2c3d4-0004",
            "a1b2c3d4-0004",
            "'a1b2c3d4-0004' is not a concept URI",
        ),
        ("occupations_en.csv", ",7212,", ",72x2,", "occupations_en.csv line 2: iscoGroup '72x2'"),
        (
            "broaderRelationsSkillPillar_en.csv",
            "KnowledgeSkillCompetence," + ESCO + "a1b2c3d4-0001,weld",
            "KnowledgeSkillCompetence," + ESCO + "a1b2c3d4-9999,weld",
            "broader skill " + ESCO + "a1b2c3d4-9999 is not in skills_en.csv",
        ),
    ],
)
def test_a_malformed_release_is_refused_with_a_clear_message_and_nothing_loaded(
    tmp_path: Path, name: str, old: str, new: str, message: str
):
    release = _broken_copy(tmp_path, name, old, new)
    before = Skill.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("import_esco", str(release))
    assert "nothing was changed" in str(error.value)
    assert message in str(error.value)
    assert Skill.objects.count() == before
    assert not Skill.objects.filter(source="esco").exists()


def test_an_unknown_isco_code_rolls_the_whole_import_back(tmp_path: Path):
    # 9999 has the shape of a unit group but ISCO-08 has no such group: the skills
    # were already written when the link fails, and must all be rolled back.
    release = _broken_copy(tmp_path, "occupations_en.csv", ",8344,", ",9999,")
    with pytest.raises(CommandError, match="unknown ISCO-08 code"):
        call_command("import_esco", str(release))
    assert not Skill.objects.filter(source="esco").exists()


def test_a_missing_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_esco", str(tmp_path / "nope"))
    with pytest.raises(CommandError, match="skills_en.csv not found"):
        call_command("import_esco", str(tmp_path))
