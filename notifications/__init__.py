"""Notifications: in-app inbox, e-mail, employer webhooks, preferences, digests."""
