"""The web app: webhooks and health now; the review queue comes in its own milestone."""
