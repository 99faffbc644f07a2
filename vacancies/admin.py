"""Admin: employers and vacancies to look at. Changes go through the services (the
verification actions here, the API for the rest), so the admin writes no model."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from vacancies import services
from vacancies.models import (
    Employer,
    EmployerInvitation,
    EmployerMember,
    ImportRun,
    Source,
    Vacancy,
    VacancyProvenance,
    VacancyRevision,
)
from vacancies.services import imports


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MemberInline(admin.TabularInline[EmployerMember, Employer]):
    model = EmployerMember
    fields = ("user", "role", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _set_verified(request: HttpRequest, employers: QuerySet[Employer], verified: bool) -> None:
    if not isinstance(request.user, User):  # the admin site lets only signed-in staff in
        return
    for employer in employers:
        services.employer_verify(employer=employer, by=request.user, verified=verified)
    state = "verified" if verified else "not verified"
    messages.success(request, f"{employers.count()} employer(s) marked {state}.")


@admin.action(description="Mark verified")
def verify(modeladmin: Any, request: HttpRequest, employers: QuerySet[Employer]) -> None:
    _set_verified(request, employers, True)


@admin.action(description="Withdraw verification")
def unverify(modeladmin: Any, request: HttpRequest, employers: QuerySet[Employer]) -> None:
    _set_verified(request, employers, False)


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ("name", "country", "registration_number", "verified", "created_at")
    list_filter = ("verified", "country")
    search_fields = ("name", "registration_number")
    inlines = (MemberInline,)
    actions = (verify, unverify)
    # Django 6 reads a website without a scheme as https; so do we, already.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(EmployerInvitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "employer", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("email",)
    exclude = ("token_hash",)
    list_select_related = ("employer",)


class RevisionInline(admin.TabularInline[VacancyRevision, Vacancy]):
    model = VacancyRevision
    fields = ("number", "at", "changed_by", "snapshot")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = (
        "title", "employer", "country", "occupation", "status", "published_at", "expires_on",
    )  # fmt: skip
    list_filter = ("status", "country", "work_mode", "employment_type", "eligibility")
    search_fields = ("title", "employer__name")
    list_select_related = ("employer", "country", "occupation")
    exclude = ("search_vector",)
    inlines = (RevisionInline,)


# --- Federation: sources, their runs' reports, provenances ----------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    """Where imports come from: an administrator gives a source its URL and switches
    fetching on; what the runs keep (cursor, counts) is read-only."""

    list_display = ("name", "kind", "url", "fetch_enabled", "last_run_at", "last_counts")
    list_filter = ("kind", "fetch_enabled")
    fields = (
        "name", "kind", "url", "fetch_enabled", "fetch_interval_minutes", "cursor",
        "last_run_at", "last_counts",
    )  # fmt: skip
    readonly_fields = ("cursor", "last_run_at", "last_counts")
    # Django 6 reads a URL without a scheme as https; so do we, already.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its provenances keep the vacancies' origin

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        imports.source_save(source=obj)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id", "source", "status", "started_at", "records", "created", "updated", "unchanged",
        "merged", "skipped",
    )  # fmt: skip
    list_filter = ("status", "source")
    list_select_related = ("source",)


@admin.register(VacancyProvenance)
class VacancyProvenanceAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "source", "external_id", "primary", "url", "last_seen_at")
    list_filter = ("source", "primary")
    search_fields = ("external_id", "vacancy__title")
    list_select_related = ("vacancy", "source")
