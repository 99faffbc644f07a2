"""Admin: matches, the matching outbox and the log of runs, applications, to look at;
placements to review; relocation programmes to keep.

The runs and the API write matches and applications; the admin writes none of them.
A placement is decided here only through the review services (approve, reject, ask
for information), each after a confirmation page, audited and told to both sides as
through the API. Relocation programmes are reference data, edited here directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from matching import placements as placement_services
from matching.documents import document_open
from matching.models import (
    Application,
    ApplicationEvent,
    Match,
    MatchRequest,
    MatchRun,
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)
from matching.selectors_placements import (
    can_review_placements,
    placement_document,
    placements_for_review,
)
from taxonomy.models import Region


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "seeker", "score", "standing", "status", "computed_at")
    list_filter = ("standing", "status", "engine_version", "computed_at")
    list_select_related = ("vacancy", "seeker")
    search_fields = ("vacancy__title",)
    fields = (
        "vacancy", "seeker", "score", "standing", "status", "status_changed_at",
        "engine_version", "vacancy_revision", "created_at", "computed_at", "explanation_json",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Match]:
        # The vacancy's search vector is kilobytes nobody reads here.
        return super().get_queryset(request).defer("vacancy__search_vector")

    @admin.display(description=_("explanation"))
    def explanation_json(self, match: Match) -> SafeString:
        text = json.dumps(match.explanation, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)


class PendingFilter(admin.SimpleListFilter):
    title = _("pending")
    parameter_name = "pending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("Pending"))), ("no", str(_("Done")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(requested_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(requested_at__isnull=True)
        return queryset


@admin.register(MatchRequest)
class MatchRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "kind", "object_id", "requested_at", "due_at", "dispatched_at", "last_run_at",
        "engine_version",
    )  # fmt: skip
    list_filter = (PendingFilter, "kind", "engine_version")
    search_fields = ("=object_id",)


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at", "kind", "object_id", "trigger", "duration_ms", "shards", "candidates",
        "created", "updated", "dropped", "engine_version",
    )  # fmt: skip
    list_filter = ("kind", "trigger", "engine_version")
    search_fields = ("=object_id",)


# --- Applications -------------------------------------------------------------------


class ApplicationEventInline(admin.TabularInline[ApplicationEvent, Application]):
    model = ApplicationEvent
    fields = ("at", "party", "by", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "vacancy", "seeker", "status", "started_by", "created_at", "updated_at")
    list_filter = ("status", "started_by")
    list_select_related = ("vacancy", "seeker")
    search_fields = ("=id", "vacancy__title")
    fields = (
        "vacancy", "seeker", "match", "started_by", "status", "note", "share_cv",
        "contacts_shared_at", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = fields
    inlines = (ApplicationEventInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).defer("vacancy__search_vector")


# --- Placements and their review ----------------------------------------------------


def _reviewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and can_review_placements(user) else None


class _ReviewerMayView:
    """The reviewers see placements here whatever their model permissions say."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _reviewer(request) is not None or bool(
            super().has_view_permission(request, obj)  # type: ignore[misc]
        )


class PlacementEventInline(_ReviewerMayView, admin.TabularInline[PlacementEvent, Placement]):
    model = PlacementEvent
    fields = ("at", "party", "by", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlacementDocumentInline(_ReviewerMayView, admin.TabularInline[PlacementDocument, Placement]):
    model = PlacementDocument
    fields = ("kind", "download", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, document: PlacementDocument) -> SafeString:
        url = reverse(
            "admin:matching_placement_document",
            kwargs={"object_id": document.placement_id, "document_id": document.pk},
        )
        return format_html('<a href="{}">{}</a>', url, document.original_name)


class HasProgrammeFilter(admin.SimpleListFilter):
    title = _("relocation programme")
    parameter_name = "programme"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("Under a programme"))), ("no", str(_("None")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(programme__isnull=self.value() == "no")
        return queryset


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision as an admin action: what it asks for, and the service."""

    name: str
    title: str
    field: str
    label: str
    required: bool
    decide: Callable[[Placement, User, str], Placement]
    done: str


DECISIONS = {
    d.name: d
    for d in (
        Decision(
            name="approve",
            title=str(_("Approve placements")),
            field="note",
            label=str(_("Note to both sides (optional)")),
            required=False,
            decide=lambda p, by, text: placement_services.placement_approve(
                placement=p, by=by, note=text
            ),
            done=str(_("approved")),
        ),
        Decision(
            name="reject",
            title=str(_("Reject placements")),
            field="reason",
            label=str(_("Reason (told to both sides)")),
            required=True,
            decide=lambda p, by, text: placement_services.placement_reject(
                placement=p, by=by, reason=text
            ),
            done=str(_("rejected")),
        ),
        Decision(
            name="request_info",
            title=str(_("Ask the employers for information")),
            field="question",
            label=str(_("Question to the employer")),
            required=True,
            decide=lambda p, by, text: placement_services.placement_request_info(
                placement=p, by=by, question=text
            ),
            done=str(_("sent back to the employer with the question")),
        ),
    )
}


def decision_form(decision: Decision, data: Any = None) -> forms.Form:
    form = forms.Form(data)
    form.fields[decision.field] = forms.CharField(
        label=decision.label,
        required=decision.required,
        max_length=placement_services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )
    return form


CONFIRMED = "confirmed"


def _run_decision(
    modeladmin: PlacementAdmin,
    request: HttpRequest,
    placements: QuerySet[Placement],
    decision: Decision,
) -> HttpResponse | None:
    """First a page listing the placements (with the text the decision needs); nothing
    changes until it is confirmed. Each placement is then decided on its own: one that
    is not pending is refused and said so, the others go through."""
    by = _reviewer(request)
    if by is None:  # allowed_permissions shows the actions to reviewers only
        raise PermissionDenied
    selected = list(placements.select_related("employer", "vacancy").order_by("queued_at", "id"))
    confirmed = request.POST.get(CONFIRMED) == "yes"
    form = decision_form(decision, request.POST if confirmed else None)
    if confirmed and form.is_valid():
        text: str = form.cleaned_data[decision.field]
        done = 0
        for placement in selected:
            try:
                decision.decide(placement, by, text)
            except (ValidationError, PermissionDenied) as exc:
                reasons = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
                modeladmin.message_user(
                    request, f"{placement}: not {decision.done}: {reasons}", messages.ERROR
                )
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request, f"{done} placement(s) {decision.done}.", messages.SUCCESS
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": decision.title,
        "opts": modeladmin.model._meta,
        "media": modeladmin.media + form.media,
        "decision": decision,
        "form": form,
        "placements": selected,
        "not_pending": [p for p in selected if p.status != PlacementStatus.PENDING],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirmed_name": CONFIRMED,
    }
    return TemplateResponse(request, "admin/matching/placement/confirm_decision.html", context)


@admin.action(description=_("Approve the selected placements…"), permissions=["review"])
def approve(
    modeladmin: PlacementAdmin, request: HttpRequest, placements: QuerySet[Placement]
) -> HttpResponse | None:
    return _run_decision(modeladmin, request, placements, DECISIONS["approve"])


@admin.action(description=_("Reject the selected placements…"), permissions=["review"])
def reject(
    modeladmin: PlacementAdmin, request: HttpRequest, placements: QuerySet[Placement]
) -> HttpResponse | None:
    return _run_decision(modeladmin, request, placements, DECISIONS["reject"])


@admin.action(
    description=_("Ask for information on the selected placements…"), permissions=["review"]
)
def request_info(
    modeladmin: PlacementAdmin, request: HttpRequest, placements: QuerySet[Placement]
) -> HttpResponse | None:
    return _run_decision(modeladmin, request, placements, DECISIONS["request_info"])


@admin.register(Placement)
class PlacementAdmin(_ReviewerMayView, admin.ModelAdmin[Placement]):
    list_display = (
        "id", "status", "age", "destination", "origin", "cross_border", "programme",
        "employer", "start_date", "hired_at",
    )  # fmt: skip
    list_filter = (
        "status",
        "cross_border",
        HasProgrammeFilter,
        ("destination_country", admin.RelatedOnlyFieldListFilter),
        ("origin_country", admin.RelatedOnlyFieldListFilter),
        "legal_basis",
        "regulated_profession",
    )
    list_select_related = ("employer", "programme")
    search_fields = ("=id", "employer__name", "vacancy__title")
    ordering = ("queued_at", "id")
    fields = (
        "status", "employer", "vacancy", "application", "seeker", "occupation", "start_date",
        "origin_country", "origin_region", "destination_country", "destination_region",
        "cross_border", "citizenship", "legal_basis", "work_permit_number",
        "regulated_profession", "recognition_obtained", "programme", "hired_at", "queued_at",
        "decided_at", "decision_reason",
    )  # fmt: skip
    readonly_fields = fields
    inlines = (PlacementEventInline, PlacementDocumentInline)
    actions = (approve, reject, request_info)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return _reviewer(request) is not None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _reviewer(request) is not None or super().has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Placement]:
        return super().get_queryset(request).defer("vacancy__search_vector")

    @admin.display(description=_("waiting"), ordering="queued_at")
    def age(self, placement: Placement) -> str:
        """How long it has waited, for a placement not yet decided."""
        if placement.status not in (PlacementStatus.PENDING, PlacementStatus.NEEDS_INFO):
            return "—"
        hours = int((timezone.now() - placement.queued_at).total_seconds() // 3600)
        return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"

    @admin.display(description=_("destination"), ordering="destination_country")
    def destination(self, placement: Placement) -> str:
        return f"{placement.destination_country_id} · {placement.destination_region_id}"

    @admin.display(description=_("origin"), ordering="origin_country")
    def origin(self, placement: Placement) -> str:
        region = placement.origin_region_id or "—"
        return f"{placement.origin_country_id} · {region}"

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<path:object_id>/documents/<int:document_id>/",
            self.admin_site.admin_view(self.document_view),
            name="matching_placement_document",
        )
        return [download, *super().get_urls()]

    def document_view(self, request: HttpRequest, object_id: str, document_id: int) -> FileResponse:
        """A document, downloaded by a reviewer (as an attachment)."""
        by = _reviewer(request)
        if by is None:
            raise PermissionDenied
        if not object_id.isdigit():
            raise Http404
        document = placement_document(
            placements=placements_for_review(user=by),
            placement_id=int(object_id),
            document_id=document_id,
        )
        if document is None:
            raise Http404
        response = FileResponse(
            document_open(document=document),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- Relocation programmes ----------------------------------------------------------


class RegionChoiceField(forms.ModelMultipleChoiceField[Region]):
    """Regions named with their codes: names repeat across countries."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pk} — {obj.name}"


class RelocationProgrammeForm(forms.ModelForm[RelocationProgramme]):
    class Meta:
        model = RelocationProgramme
        fields = (
            "name", "country", "from_regions", "to_regions", "benefits", "valid_from",
            "valid_until",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        sources: list[Region] = list(data.get("from_regions") or [])
        targets: list[Region] = list(data.get("to_regions") or [])
        if country is not None:
            for field, regions in (("from_regions", sources), ("to_regions", targets)):
                foreign = [r.pk for r in regions if r.country_id != country.pk]
                if foreign:
                    self.add_error(
                        field,
                        _("Not regions of %(country)s: %(codes)s.")
                        % {"country": country.name, "codes": ", ".join(foreign)},
                    )
        both = sorted({r.pk for r in sources} & {r.pk for r in targets})
        if both:
            self.add_error(
                "to_regions",
                _("A region people leave cannot also be one they move to: %(codes)s.")
                % {"codes": ", ".join(both)},
            )
        return data


@admin.register(RelocationProgramme)
class RelocationProgrammeAdmin(admin.ModelAdmin[RelocationProgramme]):
    form = RelocationProgrammeForm
    list_display = ("name", "country", "valid_from", "valid_until", "created_at")
    list_filter = ("country",)
    search_fields = ("name",)
    filter_horizontal = ("from_regions", "to_regions")

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name in ("from_regions", "to_regions"):
            kwargs["form_class"] = RegionChoiceField
            kwargs["queryset"] = Region.objects.order_by("country_id", "code")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
