"""Settings: every knob of poa-kg, its environment variable (``POA_KG_*``) and its default.

Built once at the entry point (CLI or ``create_app``) and passed down; nothing else reads the
environment.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class BackendKind(StrEnum):
    """Where queries run."""

    embedded = "embedded"
    """The on-disk pyoxigraph store published by the build, queried in worker processes."""
    remote = "remote"
    """An external SPARQL 1.1 server reached over the protocol (``sparql_endpoint``)."""


class ShaclEngine(StrEnum):
    """Which SHACL engine the build's gate runs (both see the same shapes and data)."""

    pyshacl = "pyshacl"
    """pySHACL, the reference engine (pure Python)."""
    turbo = "turbo"
    """pyshacl-turbo (Rust, alpha), given rdflib graphs: the same violations as pySHACL on every
    breaking fixture (a test holds it to that) and three to twenty times faster."""


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
    gold_dir: Path = ROOT / "tests" / "data"
    """Directory of the hand-labelled samples the build measures its accuracy on
    (``samples.csv`` lists them; none there: no measurement)."""
    lineage_labels_dir: Path = ROOT / "tests" / "data" / "lineage"
    """Hand-labelled lineage pairs (``pairs.csv``, ``sampled.csv``): the build measures the links
    on their ``test`` half and writes the figures into the ``lineage-quality`` graph."""
    log_dir: Path = ROOT / "build" / "logs"
    """Where the CLI writes the traceback of an internal error."""
    store_dir: Path = ROOT / "build" / "store"
    """Directory of the on-disk stores (one per content hash) and their ``current`` pointer."""
    shacl_engine: ShaclEngine = ShaclEngine.turbo
    """SHACL engine of the validation gate: ``turbo`` (pyshacl-turbo) or ``pyshacl`` (the
    reference; README, "Validation time", for the figures behind the choice)."""
    shacl_cache_dir: Path | None = ROOT / "build" / "shacl-cache"
    """Where the gate keeps the results of each graph it validated, keyed by content hash of the
    graph, what it reads from other graphs, the shapes, the ontology and the engine (none: no
    cache)."""
    downloads_dir: Path = ROOT / "build" / "downloads"
    """Directory of the downloads (``poa-kg dump``), one folder per store content hash."""

    host: str = "127.0.0.1"
    """Address the service listens on."""
    port: int = 8000
    """Port the service listens on."""
    public_url: str | None = None
    """The service's own address, used in links and Location headers (default http://host:port)."""
    backend: BackendKind = BackendKind.embedded
    """``embedded`` (the published store) or ``remote`` (``sparql_endpoint``)."""
    sparql_endpoint: str | None = None
    """Query URL of the external SPARQL server when ``backend`` is ``remote``."""
    deadline: float = 10.0
    """Seconds a query may run; a request's ``timeout`` parameter can only lower it."""
    row_cap: int = 10_000
    """Most rows (or triples) an answer carries; a cut answer says so."""
    answer_bytes: int = 16 * 1024 * 1024
    """Most bytes an answer carries, about (cut at the row that passes it; a cut answer says
    so, as for the row cap)."""
    workers: int = 3
    """Worker processes that run queries (each sandboxed: no network, bounded memory)."""
    long_queries: int = 2
    """Queries running past ``long_after`` that may run at once; one more is stopped with 503.
    At most ``workers - 1`` (one worker stays free for cheap queries), at least 1."""
    spare_workers: int = 0
    """Warm workers kept aside to replace a retired one at once (each costs a worker's memory)."""
    long_after: float = 0.5
    """Seconds after which a running query counts as long."""
    query_memory: int = 256 * 1024 * 1024
    """Bytes of memory a query may take beyond its worker's open store (503 past it)."""
    subject_lookups_in_process: bool = True
    """Answer a subject lookup (one triple pattern about one IRI: ``query_scan``) in the server
    process, on its own read-only handle of the store, instead of sending it to a worker: it reads
    at most the subject's triples, so no deadline can be at stake, and it saves the hop."""
    queue_size: int = 16
    """Requests that may wait for a worker before the service answers 429."""
    memory_quads: int = 300_000
    """Quads the workers may hold in memory together: a store is copied into each worker's memory
    (about 0.6 KiB per quad and worker; two to five times faster) when its quads times the number
    of worker processes fit; larger ones are queried on disk (0 turns copies off)."""
    max_body: int = 1_048_576
    """Largest request body accepted, in bytes."""
    max_depth: int = 128
    """Deepest nesting of brackets and braces accepted in a query."""
    max_operators: int = 4096
    """Most operators and UNION/MINUS/OPTIONAL accepted in a query (the engine recurses)."""
    max_head_bytes: int = 64 * 1024
    """Largest request head (request line and headers) accepted, in bytes (431 beyond)."""
    max_url_bytes: int = 32 * 1024
    """Longest request target accepted, in bytes (414 beyond; send long queries by POST)."""
    request_timeout: float = 30.0
    """Seconds a client has to send a whole request from its first byte (408 beyond)."""
    cors_origins: list[str] = []
    """Origins allowed by CORS (``["*"]`` for any)."""
    cache_entries: int = 512
    """Answers kept in memory per store version (repeated queries are served from it)."""
    cache_bytes: int = 32 * 1024 * 1024
    """Most bytes the kept answers take together, keys included, over both caches (whole
    responses and answers; half each; the oldest go first)."""

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
