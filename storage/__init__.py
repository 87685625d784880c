"""storage (next milestone: issue 3)."""
