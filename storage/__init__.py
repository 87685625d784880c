"""Where faxes live: object store backends (originals, pages, OCR output) and the SQL metadata."""
