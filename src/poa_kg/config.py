"""Settings: every knob of poa-kg, its environment variable (``POA_KG_*``) and its default.

Built once at the entry point (CLI or ``create_app``) and passed down; nothing else reads the
environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Configuration read from ``POA_KG_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="POA_KG_", use_attribute_docstrings=True)

    sources_dir: Path = ROOT / "data" / "sources"
    """Directory of source documents (``{id}.txt`` + ``{id}.toml``)."""
    turtle_dir: Path = ROOT / "data" / "turtle"
    """Directory the build publishes Turtle to, one file per named graph."""
    ontology_dir: Path = ROOT / "ontology"
    """Directory of the ontology (``poa.ttl``) and the vocabularies (``vocab/*.csv``)."""
    shapes_dir: Path = ROOT / "shapes"
    """Directory of the SHACL shapes that gate every build."""
    log_dir: Path = ROOT / "build" / "logs"
    """Where the CLI writes the traceback of an internal error."""
