from django.contrib import admin

from taxonomy.models import (
    Country,
    Currency,
    ExchangeRate,
    Language,
    Occupation,
    PPPFactor,
    Region,
    Skill,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = (
        "code",
        "name_en",
        "name_ru",
        "is_eaeu_member",
        "eaeu_accession",
        "is_main_origin",
    )
    list_filter = ("is_eaeu_member", "is_main_origin")
    search_fields = ("code", "name_en", "name_ru")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name_en", "name_ru", "country", "centre_en", "latitude", "longitude")
    list_filter = ("country",)
    search_fields = ("code", "name_en", "name_ru")


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin[Currency]):
    list_display = ("code", "name_en", "name_ru")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    list_display = ("currency", "date", "units_per_usd", "source")
    list_filter = ("currency",)
    date_hierarchy = "date"


@admin.register(PPPFactor)
class PPPFactorAdmin(admin.ModelAdmin[PPPFactor]):
    list_display = ("country", "year", "lcu_per_international_dollar", "source")


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin[Language]):
    list_display = ("code", "alpha3", "name_en", "name_ru")
    search_fields = ("code", "name_en", "name_ru")


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin[Occupation]):
    list_display = ("code", "level", "title_en", "title_ru")
    list_filter = ("level",)
    search_fields = ("code", "title_en", "title_ru")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ("label_en", "label_ru", "skill_type", "broader", "source")
    list_filter = ("skill_type", "source")
    search_fields = ("label_en", "label_ru", "uri")
    raw_id_fields = ("broader",)
    filter_horizontal = ("occupations",)
