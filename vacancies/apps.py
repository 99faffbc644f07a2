from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "vacancies"
    verbose_name = "Employers and vacancies"

    def ready(self) -> None:
        from accounts import exports
        from vacancies.saved_searches import saved_searches_export

        exports.register("saved_searches", saved_searches_export)
