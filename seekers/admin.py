"""Seeker profiles in the admin: for looking, not editing.

A profile is the seeker's own statement, and its rules live in the services; staff
read it here and can act only through the services (erasure on request).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from seekers import services
from seekers.models import (
    ContactAccess,
    Education,
    Experience,
    SeekerCV,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    WorkRight,
)


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]  # generic over each model below
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SkillInline(_ReadOnlyInline):
    model = SeekerSkill
    fields = ("skill", "level", "years")


class LanguageInline(_ReadOnlyInline):
    model = SeekerLanguage
    fields = ("language", "level")


class ExperienceInline(_ReadOnlyInline):
    model = Experience
    fields = ("employer_name", "title", "country", "occupation", "start_date", "end_date")


class EducationInline(_ReadOnlyInline):
    model = Education
    fields = ("level", "field_of_study", "institution", "country", "year")


class WorkRightInline(_ReadOnlyInline):
    model = WorkRight
    fields = ("country", "kind", "valid_until")


class CVInline(_ReadOnlyInline):
    model = SeekerCV
    # No link to the file: a CV is served only through the API, to its owner.
    fields = ("original_name", "content_type", "size", "uploaded_at")


@admin.register(SeekerProfile)
class SeekerProfileAdmin(admin.ModelAdmin[SeekerProfile]):
    list_display = ("id", "user", "country", "region", "visibility", "consent_given_at")
    list_filter = ("visibility", "country", "mobility_scope")
    search_fields = ("user__email", "user__full_name", "headline")
    list_select_related = ("user", "country", "region")
    ordering = ("id",)
    inlines = (
        SkillInline,
        LanguageInline,
        ExperienceInline,
        EducationInline,
        WorkRightInline,
        CVInline,
    )
    actions = ("erase_accounts",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a profile row would leave the account and the CV file behind;
        # erasure goes through the service.
        return False

    @admin.action(description="Erase these seekers' accounts and all their data")
    def erase_accounts(self, request: HttpRequest, queryset: QuerySet[SeekerProfile]) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied
        erased = 0
        for profile in queryset.select_related("user"):
            try:
                services.seeker_erase(user=profile.user)
            except ValidationError as exc:
                self.message_user(request, f"{profile}: {exc.messages[0]}", messages.ERROR)
            else:
                erased += 1
        self.message_user(request, f"Erased {erased} account(s).", messages.SUCCESS)


@admin.register(ContactAccess)
class ContactAccessAdmin(admin.ModelAdmin[ContactAccess]):
    list_display = ("profile", "employer_name", "employer_id", "viewed_by", "at")
    list_select_related = ("profile", "viewed_by")
    ordering = ("-at", "-id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
