"""How accurate the graph is: ``accuracy.rq`` (the DQV measurements of ``graph/accuracy``) and
``quality-summary.rq`` (the quality report in figures) → an ``AccuracyOut``."""

from __future__ import annotations

from poa_kg.namespaces import key_of
from poa_kg.serve.read.reader import Reader, Row
from poa_kg.serve.read.records import AccuracyOut, MeasurementOut, QualityCount, text


def _measurement(row: Row) -> MeasurementOut:
    aspect, metric, kind, half = key_of(row["measurement"], "measurement").split("/")
    return MeasurementOut(
        iri=str(row["measurement"]),
        aspect=aspect,
        metric=metric,
        document_kind=kind,
        half=half,
        value=float(str(row["value"])),
        sample_size=int(str(row["size"])),
        sample_date=str(row["date"]),
        sample_files=sorted(str(row["files"]).split()),
        command=str(row["command"]),
        sample=text(row.get("comment")),
    )


async def accuracy(reader: Reader) -> AccuracyOut:
    """Every measured figure, and the number of quality issues of each type."""
    rows = await reader.rows("accuracy")
    issues = await reader.rows("quality-summary", cap=1000)
    return AccuracyOut(
        measurements=[_measurement(r) for r in rows],
        quality_report=[
            QualityCount(
                type=key_of(r["type"], "issue-type"),
                label=text(r.get("label")),
                severity=str(r["severity"]),
                issues=int(str(r["issues"])),
            )
            for r in issues
        ],
    )
