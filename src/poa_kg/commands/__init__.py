"""The ``poa-kg`` commands, one function each: ``(parsed arguments, Settings) → exit code``.

``ingest.py`` runs the build side (build, validate, accuracy); ``published.py`` reads the
published store (serve, query, export, dump). ``cli.py`` parses the command line and turns the
errors they raise into exit codes. ``publish`` is the one way every command reaches the store.
"""

from __future__ import annotations

from poa_kg.config import Settings
from poa_kg.serve.store import StoreVersion, publish_store

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def publish(settings: Settings) -> StoreVersion:
    """The store of data/turtle and the ontology, built or reused, made current.

    Raises:
        StoreError: nothing to load, or a file does not parse (the current store is untouched).
    """
    return publish_store(settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl")
