"""Matches through the API: the seeker's own, an employer's ranked candidates for a
vacancy, and the engine's verdict on any pair for platform staff.

Every match carries its explanation drawn for people: the components with their
labels, the missing skills by name, and a message for each reason and flag, in the
caller's language, next to the raw keys the engine stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from matching import services
from matching.api import CandidateSerializer
from matching.engine import MatchResult
from matching.filters import SeekerMatchFilter, VacancyMatchFilter
from matching.models import Match, MatchStatus
from matching.programmes import matches_with_programme, programme_of_match
from matching.selectors import (
    ExplanationNames,
    explanation_names,
    matches_for_pair,
    matches_for_seeker,
    matches_for_vacancy,
    vacancy_for_member,
)
from seekers.models import SeekerProfile
from seekers.permissions import IsSeeker
from taxonomy.models import CEFRLevel
from vacancies.models import Vacancy
from vacancies.permissions import IsEmployerMember, IsPlatformStaff

COMPONENT_LABELS: Mapping[str, Promise] = {
    "skills": _("Skills"),
    "occupation": _("Occupation"),
    "location": _("Location and distance"),
    "languages": _("Languages"),
    "salary": _("Salary"),
    "experience": _("Experience"),
    "employment": _("Employment type"),
    "availability": _("Start date"),
}
# Why the engine filters a pair out (matching/engine/scoring.py); the parameters are
# the reason's own, with codes turned into names.
REASON_MESSAGES: Mapping[str, Promise] = {
    "remote_work_only": _("Only remote work open to the seeker's country is wanted."),
    "on_site_work_only": _("Work at a workplace is wanted; this work is remote."),
    "outside_mobility_scope": _("%(region)s is outside the area the seeker would work in."),
    "rotational_unwilling": _("Rotational shift work, which the seeker does not take."),
    "local_residents_only": _("Open only to residents of %(country)s."),
    "work_permit_required": _(
        "Work permit needed for %(country)s, and the employer does not sponsor one."
    ),
    "work_permit_expired": _(
        "The work permit for %(country)s runs out on %(valid_until)s, before the work starts."
    ),
    "language_required": _("%(language)s at level %(level)s or better is required."),
}
FLAG_MESSAGES: Mapping[str, Promise] = {
    "relocation_needed": _("Relocation needed: too far from home to commute."),
    "eaeu_treaty": _("No work permit needed: EAEU citizens work freely in every member state."),
    "diploma_recognition_needed": _(
        "Diploma recognition needed: the profession is regulated in the vacancy's country."
    ),
    "work_permit_sponsored": _("Work permit needed: the employer sponsors it."),
}
NO_CONSENT = "no_consent"
ACCOUNT_INACTIVE = "account_inactive"
NOT_MATCHABLE_MESSAGES: Mapping[str, Promise] = {
    NO_CONSENT: _(
        "The seeker has not consented to the processing of the profile: it is never matched."
    ),
    ACCOUNT_INACTIVE: _("The seeker's account is switched off: the profile is never matched."),
}
SETTABLE_STATUSES = (MatchStatus.NEW, MatchStatus.SEEN, MatchStatus.DISMISSED)
NO_VACANCY = "You have no such vacancy."


def _level_name(rank: object) -> str:
    levels = CEFRLevel.choices
    if isinstance(rank, int) and 1 <= rank <= len(levels):
        return str(levels[rank - 1][1])
    return str(rank)


def _reason_message(key: str, params: Mapping[str, Any], names: ExplanationNames) -> str:
    template = REASON_MESSAGES.get(key)
    if template is None:  # a key newer than this file: say at least which one
        return key
    country, region, language = (str(params.get(p, "")) for p in ("country", "region", "language"))
    return str(template) % {
        "country": names.countries.get(country, country),
        "region": names.regions.get(region, region),
        "language": names.languages.get(language, language),
        "level": _level_name(params.get("level")),
        "valid_until": params.get("valid_until", ""),
    }


def explanation_view(explanation: Mapping[str, Any], names: ExplanationNames) -> dict[str, Any]:
    """A stored explanation (``MatchResult.as_json()``) for people, in the active language."""
    return {
        "score": explanation["score"],
        "eligible": explanation["eligible"],
        "version": explanation.get("version", ""),
        "components": [
            {
                "key": c["key"],
                "label": str(COMPONENT_LABELS.get(c["key"], c["key"])),
                "weight": c["weight"],
                "value": c["value"],
                "points": c["points"],
            }
            for c in explanation.get("components", ())
        ],
        "missing_skills": [
            {"id": skill, "label": names.skills.get(skill, "")}
            for skill in explanation.get("missing_skills", ())
        ],
        "reasons": [
            {
                "key": r["key"],
                "params": r.get("params", {}),
                "message": _reason_message(r["key"], r.get("params", {}), names),
            }
            for r in explanation.get("reasons", ())
        ],
        "flags": [
            {"key": flag, "message": str(FLAG_MESSAGES.get(flag, flag))}
            for flag in explanation.get("flags", ())
        ],
    }


# --- Serializers --------------------------------------------------------------------


class ComponentSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    # A field named like Field.label: the metaclass takes it out of the attributes.
    label = serializers.CharField()  # type: ignore[assignment]
    weight = serializers.FloatField(help_text="Points the component is worth at most.")
    value = serializers.FloatField(help_text="How well it is met, 0–1.")
    points = serializers.FloatField(help_text="Its share of the score (the shares add up).")


class SkillRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # as in ComponentSerializer


class ReasonSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    params = serializers.DictField()
    message = serializers.CharField()


class FlagSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    message = serializers.CharField()


class ExplanationSerializer(serializers.Serializer[Any]):
    """Why a pair scores what it scores, or why it is filtered out (``eligible`` false)."""

    score = serializers.FloatField()
    eligible = serializers.BooleanField()
    version = serializers.CharField(help_text="The engine and weights that computed it.")
    components = ComponentSerializer(many=True)
    missing_skills = SkillRefSerializer(many=True, help_text="Required skills with no credit.")
    reasons = ReasonSerializer(many=True, help_text="Why the pair is filtered out.")
    flags = FlagSerializer(many=True, help_text="What to know about an eligible pair.")


NAMES = "explanation_names"


class _ExplainedList(serializers.ListSerializer[Match]):
    """Looks up the names a whole page of explanations mentions at once."""

    def to_representation(self, data: Any) -> list[Any]:
        matches = list(data)
        self.context[NAMES] = explanation_names(m.explanation for m in matches)
        return super().to_representation(matches)


class _ExplainedMatch(serializers.ModelSerializer[Match]):
    score = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    explanation = serializers.SerializerMethodField()

    @extend_schema_field(ExplanationSerializer)
    def get_explanation(self, match: Match) -> dict[str, Any]:
        names = self.context.get(NAMES) or explanation_names([match.explanation])
        return explanation_view(match.explanation, names)


class MatchVacancySerializer(serializers.ModelSerializer[Vacancy]):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Vacancy
        fields = (
            "id", "title", "employer_name", "country", "region", "region_name", "city",
            "salary_min", "salary_max", "salary_currency", "salary_period", "salary_is_gross",
            "work_mode", "employment_type", "expires_on",
        )  # fmt: skip
        read_only_fields = fields


class MatchProgrammeSerializer(serializers.Serializer[Any]):
    """The relocation programme in force that supports the move the match asks for."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    benefits = serializers.CharField()


class MatchSerializer(_ExplainedMatch):
    """A vacancy matched to the seeker, with why."""

    vacancy = MatchVacancySerializer(read_only=True)
    programme = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = (
            "id", "vacancy", "score", "standing", "status", "computed_at", "status_changed_at",
            "explanation", "programme",
        )  # fmt: skip
        read_only_fields = fields
        list_serializer_class = _ExplainedList

    @extend_schema_field(MatchProgrammeSerializer(allow_null=True))
    def get_programme(self, match: Match) -> dict[str, Any] | None:
        return programme_of_match(match)


class MatchStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        error_messages={
            "invalid_choice": _(
                '"{input}" is not a status you can set: choose new, seen or dismissed '
                "(a match becomes contacted through the employer's invitation)."
            )
        },
    )


class CandidateMatchSerializer(_ExplainedMatch):
    """A candidate for the vacancy, as the employer may see them before any contact."""

    candidate = CandidateSerializer(source="seeker", read_only=True)

    class Meta:
        model = Match
        fields = ("id", "score", "computed_at", "explanation", "candidate")
        read_only_fields = fields
        list_serializer_class = _ExplainedList


class ExplainQuerySerializer(serializers.Serializer[Any]):
    vacancy = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.select_related("employer", "region").defer("search_vector"),
        help_text="Vacancy id (in any state).",
    )
    seeker = serializers.PrimaryKeyRelatedField(
        queryset=SeekerProfile.objects.select_related("user"),
        help_text="Seeker profile id (not the user id).",
    )


class NotMatchableSerializer(serializers.Serializer[Any]):
    key = serializers.ChoiceField(choices=list(NOT_MATCHABLE_MESSAGES))
    message = serializers.CharField()


class PairExplanationSerializer(serializers.Serializer[Any]):
    vacancy = MatchVacancySerializer()
    seeker = serializers.IntegerField(help_text="The seeker profile's id.")
    matchable = serializers.BooleanField(
        help_text="False: the profile is never matched (see not_matchable); no verdict."
    )
    not_matchable = NotMatchableSerializer(allow_null=True)
    verdict = ExplanationSerializer(allow_null=True, help_text="The engine's verdict today.")
    match = MatchSerializer(
        allow_null=True, help_text="The stored match, if any, with the explanation it stored."
    )


# --- Views --------------------------------------------------------------------------


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


@extend_schema(tags=["profile"])
class SeekerMatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Match],
):
    """The vacancies matched to the signed-in seeker, best first, each with why.

    The list shows current matches unless ``standing`` asks for others (a closed
    vacancy's match, one that fell below the threshold); a match's own page is there
    in any standing. Another seeker's match is a 404.
    """

    permission_classes = (IsAuthenticated, IsSeeker)
    queryset = Match.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = MatchSerializer
    filterset_class = SeekerMatchFilter
    cursor_ordering = ("-score", "vacancy_id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Match]:
        return matches_with_programme(matches_for_seeker(user=_caller(self.request)))

    # The stubs type the queryset with a type variable the class does not bind.
    def filter_queryset(self, queryset: QuerySet[Match]) -> QuerySet[Match]:  # type: ignore[override]
        # The filters pick among the list; they must not hide a match's own page.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request=MatchStatusSerializer, responses={200: MatchSerializer})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request: Request, pk: str) -> Response:
        """Mark the match seen or dismissed, or new again."""
        match = self.get_object()
        data = MatchStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.match_status_set(match=match, status=data.validated_data["status"])
        return Response(self.get_serializer(match).data)


@extend_schema(
    tags=["employer"],
    parameters=[OpenApiParameter("vacancy_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
)
class VacancyMatchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Match]):
    """The vacancy's ranked candidates, best first, each with why.

    Only members of the vacancy's employer (another employer's vacancy is a 404), and
    only the seekers whose visibility lets this employer see them; the candidate shows
    no name or contacts. The list is paged by cursor and counts nothing, so it cannot
    tell how many matched seekers stay invisible.
    """

    permission_classes = (IsAuthenticated, IsEmployerMember)
    queryset = Match.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = CandidateMatchSerializer
    filterset_class = VacancyMatchFilter
    cursor_ordering = ("-score", "seeker_id")

    def get_queryset(self) -> QuerySet[Match]:
        if getattr(self, "swagger_fake_view", False):
            return Match.objects.none()
        vacancy = vacancy_for_member(
            user=_caller(self.request), vacancy_id=int(self.kwargs["vacancy_id"])
        )
        if vacancy is None:
            raise NotFound(NO_VACANCY)
        return matches_for_vacancy(vacancy=vacancy)


class PairExplainView(APIView):
    """The engine's verdict on any vacancy and seeker profile, for platform staff.

    Scores the pair as it stands today, whether or not the pair was ever matched or
    would be filtered out (``verdict.eligible`` false with the reasons), next to the
    stored match if there is one.

    A profile without consent to processing (or whose account is switched off) is
    answered 200 with ``matchable`` false, ``not_matchable`` saying why and no verdict:
    the question has an answer — the profile is never matched — and staff may not
    score data its owner has not let the platform process. Unknown or malformed ids
    are a 400 naming the parameter.
    """

    permission_classes = (IsAuthenticated, IsPlatformStaff)

    @extend_schema(
        tags=["staff"],
        parameters=[ExplainQuerySerializer],
        responses={
            200: PairExplanationSerializer,
            400: OpenApiResponse(description="An unknown or malformed id, by parameter."),
        },
    )
    def get(self, request: Request) -> Response:
        query = ExplainQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        vacancy: Vacancy = query.validated_data["vacancy"]
        profile: SeekerProfile = query.validated_data["seeker"]
        not_matchable: str | None = None
        if profile.consent_given_at is None:
            not_matchable = NO_CONSENT
        elif not profile.user.is_active:
            not_matchable = ACCOUNT_INACTIVE
        result: MatchResult | None = None
        if not_matchable is None:
            result = services.explain_pair(vacancy=vacancy, profile=profile)
        verdict = None
        if result is not None:
            explanation = result.as_json()
            verdict = explanation_view(explanation, explanation_names([explanation]))
        stored = matches_for_pair(vacancy=vacancy, profile=profile).first()
        return Response(
            PairExplanationSerializer(
                {
                    "vacancy": vacancy,
                    "seeker": profile.pk,
                    "matchable": not_matchable is None,
                    "not_matchable": None
                    if not_matchable is None
                    else {"key": not_matchable, "message": NOT_MATCHABLE_MESSAGES[not_matchable]},
                    "verdict": verdict,
                    "match": stored,
                }
            ).data
        )
