"""Where faxes live: object store backends (originals, pages, OCR output), the SQL models
and migrations, and liveness and outage state kept in Redis."""
