"""The one settings object. Created at the edge (CLI, worker, app) and passed in."""

import os
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every tunable of faxintake; each maps to an env var FAXINTAKE_<NAME>."""

    # FAXINTAKE_ENV_FILE names the dotenv file to read (default .env; empty: none, as in tests)
    model_config = SettingsConfigDict(
        env_prefix="FAXINTAKE_", env_file=os.environ.get("FAXINTAKE_ENV_FILE", ".env") or None, extra="ignore"
    )

    data_dir: Path = Field(Path("var"), description="Working data: local object store, database")
    rules_file: Path = Field(
        PACKAGE_ROOT / "rules" / "default_rules.yaml",
        description="Completeness rules (YAML); replace per clinic",
    )
    model_file: Path = Field(
        PACKAGE_ROOT / "classifiers" / "models" / "page_classifier.npz",
        description="Trained page-type model built by `faxintake train`",
    )
    ocr_engine: Literal["tesserocr", "tesseract", "rapidocr", "by-page-kind"] = Field(
        "tesserocr",
        description="OCR engine: tesserocr (tesseract's API, model kept loaded), tesseract (the "
        "command), rapidocr, or by-page-kind (tesseract for fax pages, RapidOCR for scans)",
    )
    ocr_language: str = Field("eng", description="Tesseract language(s)")
    max_page_pixels: int = Field(
        60_000_000, description="Pages larger than this many pixels are refused (bomb guard)"
    )
    max_file_bytes: int = Field(200_000_000, description="Input files larger than this are refused")
    max_pages: int = Field(500, description="Faxes with more pages are refused")
    default_dpi: int = Field(300, description="Raster DPI for PDF pages with no embedded image")
    min_dpi: int = Field(150, description="Lowest DPI a PDF page is rasterised at")
    max_dpi: int = Field(400, description="Highest DPI a PDF page is rasterised at")
    text_layer_min_words: int = Field(
        12, description="A PDF text layer with fewer real words is ignored and the page is OCRed"
    )
    classifier_min_confidence: float = Field(
        0.0,
        description="Page-type probability below which a page is typed `other`; 0: an unsure page "
        "keeps its best guess, with its probability, for the VA to confirm",
    )
    unreadable_min_words: int = Field(
        5, description="A page yielding fewer real words than this is unreadable"
    )

    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default SQLite in the data folder (postgresql+psycopg://...)",
    )
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis for the rq queues")
    queue_name: str = Field("faxintake", description="rq queue name")
    pages_per_job: int | None = Field(
        None,
        ge=0,
        description="Pages per OCR job a fax fans out into (0: one job for the whole fax); "
        "unset: one per page while workers are free, the whole fax when the queue is backed up",
    )
    job_timeout: int = Field(600, description="Seconds a job may run before rq stops it")
    job_retries: int = Field(3, description="Retries (with backoff) for transient faults")
    retention_days: int = Field(
        0,
        ge=0,
        description="Days to keep approved faxes' exports and training copies (export/, reviewed/); "
        "0 keeps them. Originals and the database are not touched",
    )
    worker_stale_seconds: float = Field(
        30, description="A worker silent this long is presumed dead and its faxes are queued again"
    )
    object_store: str = Field("local", description="Object store backend: local or s3")
    s3_endpoint: str = Field("127.0.0.1:9000", description="MinIO/S3 endpoint host:port")
    s3_bucket: str = Field("faxintake", description="Bucket for originals, pages and OCR output")
    s3_access_key: str = Field("", description="S3 access key")
    s3_secret_key: str = Field("", description="S3 secret key")
    s3_secure: bool = Field(False, description="Use TLS to reach the S3 endpoint")
    s3_region: str | None = Field(None, description="S3 region, if the server needs one")
    s3_sse: bool = Field(False, description="Ask the server to encrypt objects at rest (SSE-S3)")
    drop_dir: Path | None = Field(
        None, description="Folder the watcher takes faxes from (default <data>/inbox)"
    )
    quarantine_dir: Path | None = Field(None, description="Where unreadable files go with a reason file")
    stable_seconds: float = Field(2.0, description="A dropped file is taken after this long without change")
    rescan_seconds: float = Field(30.0, description="The drop folder is rescanned this often")
    polling_watcher: bool = Field(False, description="Poll instead of inotify (NFS/SMB mounts)")
    webhook_secret: str = Field(
        "", description="Shared secret for the generic webhook's HMAC-SHA256 signature"
    )
    webhook_max_bytes: int = Field(50_000_000, description="Largest webhook body accepted")
    media_timeout_seconds: float = Field(
        10, description="A gateway's media URL must connect and keep sending within this long"
    )
    phaxio_callback_token: str = Field("", description="Phaxio callback token (signs X-Phaxio-Signature)")
    phaxio_callback_url: str = Field(
        "", description="The callback URL as configured at Phaxio (default: as received)"
    )
    telnyx_public_key: str = Field("", description="Telnyx webhook public key (base64 Ed25519)")
    telnyx_media_hosts: list[str] = Field(
        default_factory=list, description="Hosts a Telnyx media_url may point to (JSON list)"
    )
    secret_key: str = Field(
        "", description="Signs session cookies; default: generated once into <data>/secret_key"
    )
    cookie_secure: bool = Field(False, description="Send the session cookie over HTTPS only (set behind TLS)")
    session_hours: float = Field(10, description="A login lasts this long")
    lockout_attempts: int = Field(5, description="Failed logins in a row before an account is locked")
    lockout_minutes: float = Field(15, description="How long a locked account stays locked")
    claim_minutes: float = Field(20, description="A claimed fax is released after this long without activity")
    aging_warning_hours: float = Field(4, description="Queue items older than this get a warning badge")
    aging_overdue_hours: float = Field(24, description="Queue items older than this are overdue")
    export_dir: Path | None = Field(
        None, description="Where approved faxes are exported (default <data>/export)"
    )
    fhir_base_url: str = Field("", description="FHIR server base URL to POST approved bundles to (optional)")
    fhir_retries: int = Field(3, description="Attempts to POST a bundle to the FHIR server")
    fhir_mrn_system: str = Field(
        "urn:faxintake:mrn", description="Identifier system of the clinic's MRNs in its EHR (a URI)"
    )
    log_level: str = Field("INFO", description="Log level of the JSON logs on stderr")
    metrics_dir: Path | None = Field(
        None, description="Folder the processes share Prometheus metrics through (default <data>/metrics)"
    )
    metrics_token: str = Field("", description="If set, /metrics wants `Authorization: Bearer <token>`")
    referral_timers_file: Path | None = Field(
        None, description="TOML file of follow-up timers per case state and urgency (default: built in)"
    )
    api_token: str = Field(
        "", description="Bearer token for POST /api/referrals (outbound referrals); unset: API off"
    )
    clinic_name: str = Field("Our clinic", description="Name on letters the clinic faxes back")
    clinic_fax: str = Field("", description="The clinic's fax number, printed on letters")
    timezone: str = Field(
        "",
        description="IANA time zone of times on screen and letters (America/Chicago); unset: the server's",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r} (an IANA name, e.g. America/Chicago)"
                ) from None
        return value

    @field_validator(
        "referral_timers_file",
        "drop_dir",
        "quarantine_dir",
        "export_dir",
        "metrics_dir",
        "pages_per_job",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`FAXINTAKE_X=` (as compose passes an unset variable) means the default."""
        return None if value == "" else value

    def today(self) -> date:
        """The clinic's date now: a server kept in UTC is already on tomorrow during a US
        clinic's evening, which would move every "expired" and "due" by a day."""
        return datetime.now(self.zone).date()

    @property
    def zone(self) -> tzinfo:
        """The clinic's time zone; times are stored in UTC and shown in this one."""
        return ZoneInfo(self.timezone) if self.timezone else tz.tzlocal()  # with its DST rules

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'faxintake.db').resolve()}"

    @property
    def inbox(self) -> Path:
        return self.drop_dir or self.data_dir / "inbox"

    @property
    def private_redis_socket(self) -> Path:
        """Where `faxintake up` runs its own redis-server when no Redis URL is set."""
        return self.data_dir / "redis" / "redis.sock"

    @property
    def metrics(self) -> Path:
        return self.metrics_dir or self.data_dir / "metrics"

    @property
    def exports(self) -> Path:
        return self.export_dir or self.data_dir / "export"

    @property
    def reviewed(self) -> Path:
        """VA-confirmed faxes with truth files, in the layout `faxintake train` reads."""
        return self.data_dir / "reviewed"

    @property
    def quarantine(self) -> Path:
        return self.quarantine_dir or self.data_dir / "quarantine"


def load_settings() -> Settings:
    """Build settings from the environment (the only place that reads it). With no Redis URL
    set, a command run beside `faxintake up` on the same data folder uses up's private Redis
    (so `status`, `requeue` and `watch` see the same queue and workers)."""
    settings = Settings()
    running = settings.private_redis_socket
    if "redis_url" not in settings.model_fields_set and running.is_socket():
        settings = settings.model_copy(update={"redis_url": f"unix://{running.resolve()}"})
    return settings
