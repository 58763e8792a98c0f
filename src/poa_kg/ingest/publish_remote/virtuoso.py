"""Publish into Virtuoso (7.2, over its SQL port with ``isql``): the new graphs are loaded under
staging names (``urn:poa-kg:staging:`` + graph IRI) that the anonymous SPARQL user may not read,
then one SQL transaction empties the graphs of the previous manifest and of the new build, moves
the staged quads into place (``INSERT … SELECT`` on ``DB.DBA.RDF_QUAD``: the same term ids, so
blank nodes stay what they were) and commits.

Why this shape, measured (docs/deployment.md): ``DB.DBA.TTLP`` commits as it loads, so a load
into the live graphs in "one transaction" let SPARQL readers see 0 and partial counts for
seconds, and a rollback did not restore the old graphs. Plain SQL DML on ``RDF_QUAD`` stays in
its transaction: readers (``DefaultIsolation`` 2, read committed) see the old quads while it
runs, and a failure rolls it back whole. The commit itself is not atomic for them: while it
releases its rows (milliseconds) a reader may count some of each (seen: 1 read in ~400), so this
is all-or-nothing for the data, not a snapshot for readers; repeatable-read and serializable
readers deadlocked the switch instead. Where no reader may ever see a mix, publish blue/green.
A failure removes the staged graphs and leaves the previous publication served.

The server reads the staged files itself (``file_to_string_output``): ``stage`` must be a folder
on the engine's host listed in its ``DirsAllowed``. One publisher at a time.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import Quad, RdfFormat, serialize

from poa_kg.errors import PublishError
from poa_kg.serve.publication import PUBLICATION, SUBSET

STAGING = "urn:poa-kg:staging:"
READER = "nobody"  # the identity of Virtuoso's anonymous /sparql user
ISQL = ("isql-vt", "isql")  # Debian's name, then upstream's


def publish(
    url: str,
    graphs: dict[str, list[Quad]],
    password: str | None,
    stage: Path | None,
    isql: str | None = None,
) -> None:
    """Replace the publication held by the Virtuoso at ``url`` (``virtuoso://HOST:SQLPORT``).

    Raises:
        PublishError: no password or stage folder, isql missing, a file the server refused, or
            a failed switch; the previous publication is still served.
    """
    if not password:
        raise PublishError(f"{url}: Virtuoso needs the DBA password (--password-file)")
    if stage is None:
        raise PublishError(f"{url}: Virtuoso needs --stage, a folder in the server's DirsAllowed")
    server = _Server(url, password, isql)
    stage.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="poa-kg-publish-", dir=stage))
    folder.chmod(0o755)  # the server may run as another user
    try:
        old = server.previous_graphs()
        new = list(graphs)
        server.sql(_clear(new))  # a killed run's staging graphs
        for name, quads in graphs.items():
            if not quads:
                continue  # an empty graph: emptied by the switch, nothing to stage
            path = folder / f"{len(list(folder.iterdir())):03d}.nt"
            serialize([q.triple for q in quads], output=str(path), format=RdfFormat.N_TRIPLES)
            path.chmod(0o644)
            try:
                server.sql(
                    f"DB.DBA.TTLP (file_to_string_output ('{_sql(str(path.resolve()))}'), "
                    f"'', '{_sql(STAGING + name)}', 0);"
                )
            except PublishError as err:
                raise PublishError(f"{err} (loading graph {name} from {path})") from err
        # Granting read on a graph before it is filled shows readers nothing new: its rows
        # arrive with the commit below. A graph the new build drops stays readable, and empty:
        # readers got 404 while grants were revoked (with a checkpoint in the same call).
        server.sql(_grants(sorted(set(new) - set(old))))
        # No checkpoint: the transaction log already holds the commit, and during a checkpoint
        # Virtuoso answered a SPARQL reader 404 (measured); its own interval will write it.
        server.sql(_switch(sorted(set(old) | set(new)), new))
        server.sql(_clear(new))  # after the commit: the switch stays as small as it can be
    except BaseException:
        # the first error is the one to report; the next publication clears what stays
        with contextlib.suppress(PublishError):
            server.sql(_clear(list(graphs)))
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _switch(drop: list[str], new: list[str]) -> str:
    """One procedure call = one transaction (``log_enable (1)``: logged, not committed row by
    row); any error rolls it back before it is signalled to isql, whose autocommit would
    otherwise commit what ran so far."""
    body = [
        "log_enable (1);",
        "declare exit handler for sqlstate '*' { rollback work; resignal; };",
    ]
    body += [
        f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id ('{_sql(g)}');"  # noqa: S608
        for g in drop
    ]
    for graph in new:
        body.append(
            "INSERT INTO DB.DBA.RDF_QUAD (G, S, P, O) "  # noqa: S608 - our graph IRIs, quoted
            f"SELECT iri_to_id ('{_sql(graph)}'), S, P, O FROM DB.DBA.RDF_QUAD "
            f"WHERE G = iri_to_id ('{_sql(STAGING + graph)}');"
        )
    body.append("commit work;")
    text = "\n".join(body)
    return (
        f"CREATE PROCEDURE DB.DBA.POA_KG_PUBLISH () {{\n{text}\n}};\n"
        "DB.DBA.POA_KG_PUBLISH ();\nDROP PROCEDURE DB.DBA.POA_KG_PUBLISH;"
    )


def _clear(graphs: list[str]) -> str:
    return "\n".join(
        f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id ('{_sql(STAGING + g)}');"  # noqa: S608
        for g in graphs
    )


def _grants(graphs: list[str]) -> str:
    """Let the anonymous SPARQL user read ``graphs`` (graph-level security, 1 = read)."""
    return "\n".join(
        f"DB.DBA.RDF_GRAPH_USER_PERMS_SET ('{_sql(g)}', '{READER}', 1);" for g in graphs
    )


class _Server:
    def __init__(self, url: str, password: str, isql: str | None) -> None:
        parts = urlsplit(url)
        if parts.hostname is None or parts.port is None:
            raise PublishError(f"{url}: give Virtuoso's SQL port as virtuoso://HOST:PORT")
        self.url, self.address, self.password = url, f"{parts.hostname}:{parts.port}", password
        found = isql or next((name for name in ISQL if shutil.which(name)), None)
        if found is None:
            raise PublishError(f"{url}: isql is not installed (Debian: virtuoso-opensource)")
        self.isql = found

    def sql(self, statements: str, timeout: float = 600) -> str:
        """Run ``statements`` as DBA; isql's output.

        Raises:
            PublishError: isql failed or Virtuoso reported an error (quoted).
        """
        if not statements.strip():
            return ""
        try:
            result = subprocess.run(  # noqa: S603 - the isql the user named or found on PATH
                [self.isql, self.address, "dba", self.password, "VERBOSE=OFF", "BANNER=OFF"],
                input=statements,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise PublishError(f"{self.url}: isql: {err}") from err
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            error = output[output.find("*** Error") :] if "*** Error" in output else output
            raise PublishError(f"{self.url}: {error.strip()[:800]}")
        return result.stdout

    def previous_graphs(self) -> list[str]:
        """The graphs the current manifest names (none before a first publication)."""
        # isql writes its prompt before the first row: each IRI is written in brackets to be
        # found whatever surrounds it
        output = self.sql(
            f"SPARQL SELECT (CONCAT ('<', STR (?g), '>') AS ?iri) FROM <{PUBLICATION}> "  # noqa: S608 - constants
            f"WHERE {{ <{PUBLICATION}> <{SUBSET}> ?g }};"
        )
        return sorted(set(re.findall(r"<([^<>\s]+)>", output)))


def _sql(text: str) -> str:
    """``text`` as the inside of an SQL string literal.

    Raises:
        PublishError: a backslash, which Virtuoso reads as an escape.
    """
    if "\\" in text:
        raise PublishError(f"{text}: a backslash in a graph IRI or path is not supported")
    return text.replace("'", "''")
