"""Getting text off pages and fields out of text."""
