from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts import exports
        from notifications.preferences import notifications_export, preferences_export

        exports.register("notifications", notifications_export)
        exports.register("notification_preferences", preferences_export)
