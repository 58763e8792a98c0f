"""Graph: lineage (``series.link``) → RDF in PROV terms, and its measured quality → W3C DQV.

For a later statement ``S`` and each earlier statement ``E`` it is linked to (``Link``):

- a revision (restated, revised, merged, split): ``S prov:wasRevisionOf E`` and
  ``S prov:qualifiedRevision L`` with ``L a prov:Revision, poa:LineageLink``;
- a realisation of an outline element: ``S prov:wasDerivedFrom E`` and
  ``S prov:qualifiedDerivation L`` with ``L a prov:Derivation, poa:LineageLink``;
- ``S prov:qualifiedInfluence L`` as well (PROV-O's super-property, stated so that one pattern
  finds every link on an engine without inference);
- ``L prov:entity E``, ``poa:lineageRelation``, ``poa:confidence`` (0–1), ``poa:linkRank`` (1 =
  the best), the words added and removed, and either ``poa:strengthChange`` (same class) or
  ``poa:classChange`` ("Declaration → Commitment").

``L`` is ``id/lineage/{document}/{part}/{eId}/{rank}``. A new statement has no link node: every
statement says where its wording first appeared (``poa:firstAppearance``, a document: its own
when it is new), and a statement that the next document of its series takes none of up says so
(``poa:droppedIn``).

``quality_graph`` writes what the links score on the labelled pairs: one
``dqv:QualityMeasurement`` per metric, label set and (for per-relation figures) relation, with its
value and sample size, ``dqv:computedOn`` the lineage graph.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from poa_kg.ingest.lineage.evaluate import Scores
from poa_kg.ingest.lineage.records import RELATIONS, Lineage
from poa_kg.ingest.rdf import iri, new_graph, statement_iri
from poa_kg.namespaces import DQV, GRAPH, POA

_RELATIONS = {name: POA[name] for name in RELATIONS}


def _statement(statement_id: str) -> URIRef:
    document, key = statement_id.split("/", 1)
    return statement_iri(document, key)


def lineage_graph(lineage: Lineage) -> Graph:
    """The links, first appearances and dropped statements of ``lineage`` as RDF."""
    g = new_graph()
    for found in lineage.links:
        later = statement_iri(found.later.document, found.later.key)
        earlier = statement_iri(found.earlier.document, found.earlier.key)
        node = iri("lineage", f"{found.later.id}/{found.rank}")
        if found.relation == "realised":
            g.add((later, PROV.wasDerivedFrom, earlier))
            g.add((later, PROV.qualifiedDerivation, node))
            g.add((node, RDF.type, PROV.Derivation))
        else:
            g.add((later, PROV.wasRevisionOf, earlier))
            g.add((later, PROV.qualifiedRevision, node))
            g.add((node, RDF.type, PROV.Revision))
        g.add((later, PROV.qualifiedInfluence, node))
        g.add((node, RDF.type, POA.LineageLink))
        g.add((node, PROV.entity, earlier))
        g.add((node, POA.lineageRelation, _RELATIONS[found.relation]))
        g.add((node, POA.confidence, Literal(Decimal(f"{found.score:.4f}"))))
        g.add((node, POA.linkRank, Literal(found.rank)))
        for words in found.added:
            g.add((node, POA.wordsAdded, Literal(words)))
        for words in found.removed:
            g.add((node, POA.wordsRemoved, Literal(words)))
        if found.strength_change is not None:
            g.add((node, POA.strengthChange, Literal(found.strength_change)))
        if found.class_change is not None:
            before, after = found.class_change
            g.add((node, POA.classChange, Literal(f"{before} → {after}")))
    for statement_id, first in lineage.first.items():
        g.add((_statement(statement_id), POA.firstAppearance, iri("document", first.document)))
    for statement_id, document in lineage.dropped.items():
        g.add((_statement(statement_id), POA.droppedIn, iri("document", document)))
    return g


_METRICS = {
    "precision": (POA.linkPrecision, "links made that a person labelled as links"),
    "recall": (POA.linkRecall, "links a person labelled that were made"),
    "relation-accuracy": (POA.relationAccuracy, "links found whose relation is the labelled one"),
    "hard-negatives": (POA.hardNegativesLinked, "pairs labelled 'different' that were linked"),
}


def quality_graph(results: dict[str, Scores], labels: str) -> Graph:
    """What the links scored on the ``test`` half of the labelled pairs, as DQV measurements
    (``id/lineage-quality/{set}/{metric}[/{relation}]``); ``labels`` names the label files."""
    g = new_graph()
    for scores in results.values():
        rows: list[tuple[str, str | None, float | int, int]] = [
            ("precision", None, scores.precision, scores.found + scores.false_positives),
            ("recall", None, scores.recall, scores.positives),
            ("relation-accuracy", None, scores.relation_accuracy, scores.found),
            ("hard-negatives", None, scores.hard_negatives, scores.negatives),
        ]
        for relation in RELATIONS:
            labelled, _found, predicted, _right = scores.per_relation.get(relation, [0, 0, 0, 0])
            recall, precision = (
                scores.relation_recall(relation),
                scores.relation_precision(relation),
            )
            if recall is not None:
                rows.append(("recall", relation, recall, labelled))
            if precision is not None:
                rows.append(("precision", relation, precision, predicted))
        for metric, about_relation, value, size in rows:
            path = f"{scores.set}/{metric}" + (f"/{about_relation}" if about_relation else "")
            node = iri("lineage-quality", path)
            term, about = _METRICS[metric]
            g.add((node, RDF.type, DQV.QualityMeasurement))
            g.add((node, DQV.isMeasurementOf, term))
            g.add((node, DQV.computedOn, GRAPH.lineage))
            literal = (
                Literal(value, datatype=XSD.integer)
                if isinstance(value, int)
                else Literal(Decimal(f"{value:.4f}"))
            )
            g.add((node, DQV.value, literal))
            g.add((node, POA.sampleSize, Literal(size)))
            g.add((node, POA.labelSet, Literal(scores.set)))
            g.add((node, POA.labelHalf, Literal(scores.half)))
            if about_relation is not None:
                g.add((node, POA.forRelation, _RELATIONS[about_relation]))
            g.add((node, DCTERMS.description, Literal(f"{about} ({scores.set}, {labels})")))
    return g


__all__ = ["lineage_graph", "quality_graph"]
