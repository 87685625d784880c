"""The one settings object. Created at the edge (CLI, worker, app) and passed in."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every tunable of faxintake; each maps to an env var FAXINTAKE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="FAXINTAKE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("var"), description="Working data: local object store, database")
    rules_file: Path = Field(
        PACKAGE_ROOT / "rules" / "default_rules.yaml",
        description="Completeness rules (YAML); replace per clinic",
    )
    model_file: Path = Field(
        PACKAGE_ROOT / "classifiers" / "models" / "page_classifier.joblib",
        description="Trained page-type model built by `faxintake train`",
    )
    ocr_engine: str = Field("tesseract", description="OCR engine: tesseract (pytesseract)")
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
        0.30, description="Page-type probability below which a page is typed `other`"
    )
    unreadable_min_words: int = Field(
        5, description="A page yielding fewer real words than this is unreadable"
    )


def load_settings() -> Settings:
    """Build settings from the environment (the only place that reads it)."""
    return Settings()
