"""workers (next milestone: issue 3)."""
