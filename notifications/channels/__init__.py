"""The ways a delivery leaves the platform: e-mail and employer webhooks."""
