from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from matching import receivers  # noqa: F401 - connects the receivers
        from matching.exports import applications_export, matches_export, placements_export
        from seekers import exports

        exports.register("matches", matches_export)
        exports.register("applications", applications_export)
        exports.register("placements", placements_export)
