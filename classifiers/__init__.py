"""Page typing and document splitting."""
