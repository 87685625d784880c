"""Completeness rules: data in YAML, evaluated by a small engine."""
