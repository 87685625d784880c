"""intake (next milestone: issue 3)."""
