"""Helpers the tests share (plain functions; fixtures live in conftest.py)."""
