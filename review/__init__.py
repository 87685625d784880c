"""The web app: review queue and item screen, accounts, audit log, outcomes and exports,
referral screens, webhooks, health, metrics and the ops page."""
