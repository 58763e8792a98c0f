"""A throw-away Virtuoso (Debian's ``virtuoso-opensource`` 7.2.5) on loopback, loaded with a
build's Turtle files one named graph per file, as ``poa_kg.serve.store.publish_store`` loads them.

    uv run --frozen python scripts/virtuoso.py [--turtle data/turtle] [--http-port 8890]

starts one in a temporary folder, prints its SPARQL endpoint and the random DBA password, and
stops it (removing the folder) on Ctrl-C. The tests use ``Virtuoso`` directly (a context
manager). Nothing listens on anything but 127.0.0.1; the DBA password is random; the anonymous
SPARQL user may only read (``SPARQL_SELECT``), and the endpoint's own row limit and timeouts are
those of the deployment guide.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GRAPH = "https://w3id.org/poa-kg/graph/"
BINARY = "virtuoso-t"
ISQL = "isql-vt"
DEFAULT_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def graph_files(
    turtle_dir: Path, ontology: Path | None, quads: Iterable[Path] = ()
) -> list[tuple[Path, str | None]]:
    """(file, graph IRI) pairs: one graph per Turtle file (``graph/{stem}``), the ontology in
    ``graph/ontology``, N-Quads files in their own graphs (None) — the embedded store's layout."""
    pairs: list[tuple[Path, str | None]] = [
        (path, f"{GRAPH}{path.stem}") for path in sorted(turtle_dir.glob("*.ttl"))
    ]
    if ontology is not None:
        pairs.append((ontology, f"{GRAPH}ontology"))
    return pairs + [(path, None) for path in quads]


def loadable(pairs: list[tuple[Path, str | None]], folder: Path) -> list[tuple[Path, str]]:
    """The pairs as N-Triples files, one per graph (Virtuoso's Turtle loader takes one graph per
    call, and rejects raw control characters such as the form feeds of page breaks inside long
    strings, which N-Triples writes as escapes), and the publication manifest last: an engine
    holds a manifest only once its data is complete."""
    from pyoxigraph import NamedNode, RdfFormat, parse, serialize

    from poa_kg.serve.publication import PUBLICATION, write_manifest

    folder.mkdir(parents=True, exist_ok=True)
    out: list[tuple[Path, str]] = []
    for index, (path, graph) in enumerate(pairs):
        by_graph: dict[str, list[object]] = {}
        if graph is not None:
            by_graph[graph] = [q.triple for q in parse(path=str(path), format=RdfFormat.TURTLE)]
        else:
            for quad in parse(path=str(path), format=RdfFormat.N_QUADS):
                if isinstance(quad.graph_name, NamedNode):
                    by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        for number, (name, triples) in enumerate(sorted(by_graph.items())):
            target = folder / f"{index:03d}-{path.stem}-{number}.nt"
            serialize(triples, output=str(target), format=RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
            out.append((target, name))
    manifest = write_manifest(pairs, folder / "publication.nq")
    triples = [quad.triple for quad in parse(path=str(manifest), format=RdfFormat.N_QUADS)]
    serialize(triples, output=str(folder / "publication.nt"), format=RdfFormat.N_TRIPLES)
    out.append((folder / "publication.nt", PUBLICATION))
    return out


class Virtuoso:
    """One Virtuoso server in ``folder``; ``start()`` then ``load()``; ``stop()`` ends it."""

    def __init__(
        self,
        folder: Path,
        http_port: int | None = None,
        sql_port: int | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.folder = folder
        self.host = host
        self.http_port = http_port or free_port()
        self.sql_port = sql_port or free_port()
        # 20 hex digits: +pwddba takes no quoting, and a longer password did not log in
        self.password = secrets.token_hex(10)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def _ini(self, dirs_allowed: Iterable[Path]) -> Path:
        ini = configparser.ConfigParser(
            strict=False, interpolation=None, inline_comment_prefixes=";"
        )
        ini.optionxform = str  # type: ignore[assignment,method-assign]
        ini.read(DEFAULT_INI, encoding="utf-8")
        db = self.folder
        ini["Database"].update(
            DatabaseFile=str(db / "virtuoso.db"),
            ErrorLogFile=str(db / "virtuoso.log"),
            LockFile=str(db / "virtuoso.lck"),
            TransactionFile=str(db / "virtuoso.trx"),
            xa_persistent_file=str(db / "virtuoso.pxa"),
        )
        ini["TempDatabase"].update(
            DatabaseFile=str(db / "virtuoso-temp.db"),
            TransactionFile=str(db / "virtuoso-temp.trx"),
        )
        allowed = [".", "/usr/share/virtuoso-opensource-7/vad", *(str(d) for d in dirs_allowed)]
        ini["Parameters"].update(
            ServerPort=f"127.0.0.1:{self.sql_port}",
            DirsAllowed=", ".join(allowed),
            NumberOfBuffers="20000",
            MaxDirtyBuffers="15000",
            MaxQueryMem="512M",
            # readers see the last committed state, never a publication half done
            DefaultIsolation="2",
        )
        ini["HTTPServer"].update(
            ServerPort=f"127.0.0.1:{self.http_port}",
            ServerThreads="8",
            MaxClientConnections="8",
        )
        ini["URIQA"]["DefaultHost"] = f"127.0.0.1:{self.http_port}"
        ini["SPARQL"].update(
            ResultSetMaxRows="10000", MaxQueryExecutionTime="60", MaxQueryCostEstimationTime="400"
        )
        ini.remove_section("Plugins")  # wiki hosting plugins: not needed
        path = db / "virtuoso.ini"
        with path.open("w", encoding="utf-8") as out:
            ini.write(out)
        return path

    def start(self, dirs_allowed: Iterable[Path] = (), timeout: float = 60) -> None:
        """Create the database, set a random DBA password, wait until SPARQL answers.

        Raises:
            RuntimeError: the server did not start (its log is in the message).
        """
        if shutil.which(BINARY) is None:
            raise RuntimeError(
                "virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource)"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self._ini(dirs_allowed)
        # A first run creates the database, changes the DBA password and exits.
        subprocess.run(  # noqa: S603 - Debian's server binary, loopback only
            [
                BINARY,
                "+foreground",
                "+configfile",
                str(ini),
                "+pwdold",
                "dba",
                "+pwddba",
                self.password,
            ],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=True,
        )
        self.process = subprocess.Popen(  # noqa: S603 - Debian's server binary, loopback only
            [BINARY, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=5)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                log = self.folder / "virtuoso.log"
                text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                self.stop()
                raise RuntimeError(f"virtuoso did not start:\n{text}")
            time.sleep(0.2)
        self.sql("SELECT 1;")  # the new DBA password works

    def sql(self, statements: str, timeout: float = 300) -> str:
        """Run SQL statements with isql as DBA; their output.

        Raises:
            RuntimeError: isql failed or reported an error.
        """
        result = subprocess.run(  # noqa: S603 - Debian's isql, loopback only
            [
                ISQL,
                f"{self.host}:{self.sql_port}",
                "dba",
                self.password,
                "VERBOSE=OFF",
                "BANNER=OFF",
            ],
            input=statements,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql: {result.stdout[-1500:]}{result.stderr[-1500:]}")
        return result.stdout

    def load(self, files: list[tuple[Path, str]]) -> None:
        """Load each file into its graph (Turtle, or N-Triples); then let the anonymous SPARQL
        user read those graphs only (Virtuoso's own system and DAV graphs leave its default
        graph) and nothing more than read, and checkpoint."""
        loads = [
            f"DB.DBA.TTLP_MT(file_to_string_output('{_sql_string(str(path.resolve()))}'), "
            f"'', '{_sql_string(graph)}', 0, 2);"
            for path, graph in files
            if path.stat().st_size > 1  # an empty graph: nothing to load, as embedded
        ]
        self.sql("\n".join(loads))
        # graph-level security: "nobody" is the anonymous endpoint user
        security = ["DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0);"]
        security += [
            f"DB.DBA.RDF_GRAPH_USER_PERMS_SET ('{_sql_string(graph)}', 'nobody', 1);"
            for _path, graph in files
        ]
        self.sql("\n".join(security))
        with contextlib.suppress(RuntimeError):  # not granted in this package's defaults
            self.sql('REVOKE "SPARQL_UPDATE" FROM "SPARQL";')
        self.sql("checkpoint;")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


@contextmanager
def running(
    pairs: list[tuple[Path, str | None]], folder: Path | None = None, http_port: int | None = None
) -> Iterator[Virtuoso]:
    """A started Virtuoso loaded with ``pairs`` (and their publication manifest) for the duration
    of the block; its folder removed after when this function made it."""
    own = folder is None
    root = Path(tempfile.mkdtemp(prefix="poa-kg-virtuoso-")) if folder is None else folder
    server = Virtuoso(root / "db", http_port=http_port)
    try:
        files = loadable(pairs, root / "load")
        server.start(dirs_allowed={path.resolve().parent for path, _graph in files})
        server.load(files)
        yield server
    finally:
        server.stop()
        if own:
            shutil.rmtree(root, ignore_errors=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turtle", type=Path, default=ROOT / "data" / "turtle")
    parser.add_argument("--ontology", type=Path, default=ROOT / "ontology" / "poa.ttl")
    parser.add_argument("--http-port", type=int, default=8890)
    args = parser.parse_args(argv)
    pairs = graph_files(args.turtle, args.ontology)
    signal.signal(signal.SIGTERM, _interrupt)  # stop and remove the folder as on Ctrl-C
    with running(pairs, http_port=args.http_port) as server:
        print(f"SPARQL endpoint  {server.endpoint}")
        print(f"isql             {ISQL} 127.0.0.1:{server.sql_port} dba {server.password}")
        print(f"poa-kg           POA_KG_BACKEND=remote POA_KG_SPARQL_ENDPOINT={server.endpoint}")
        print(
            f"publish          uv run --frozen poa-kg publish --to virtuoso://127.0.0.1:"
            f"{server.sql_port} --password-file FILE --stage {server.folder.parent / 'load'}"
        )
        sys.stdout.flush()
        try:
            while server.process is not None and server.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
