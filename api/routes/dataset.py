"""The dataset's own IRIs dereference: ``/ont`` (the ontology) and ``/graph/{name}`` (one named
graph of the store), by ``Accept`` or by extension (``/ont.ttl``, ``/graph/lineage.nt``), with
``Vary: Accept``. A browser gets the ontology as a page of its terms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from pyoxigraph import NamedNode
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VOID

from api.deps import ReaderDep, SettingsDep, templates
from api.errors import ProblemError
from poa_kg.config import Settings
from poa_kg.namespaces import DATASET, GRAPH, ONTOLOGY_IRI, POA
from poa_kg.serve.dataset import dataset_description
from poa_kg.serve.formats import HTML, RDF_DOCUMENTS, rdflib_format
from poa_kg.serve.read.resources import named_graph as read_graph
from poa_kg.serve.sparql import negotiate

router = APIRouter(tags=["linked data"])

RDF_TYPES = {extension: (m.name, m.rdflib) for extension, m in RDF_DOCUMENTS.items()}
GRAPH_ROW_CAP = 2_000_000
"""Triples a named graph may have: far above the SPARQL endpoint's cap, since the answer is a
whole graph by design (the engine's answer-size limit still bounds its bytes)."""


def _chosen(request: Request, extension: str | None, offers: list[str]) -> str:
    if extension is not None:
        if extension not in RDF_TYPES:
            raise ProblemError(
                404, "Not Found", f"use one of .{', .'.join(RDF_TYPES)}", parameter="path"
            )
        return RDF_TYPES[extension][0]
    media_type = negotiate(request.headers.get("accept"), offers)
    if media_type is None:
        raise ProblemError(406, "Not Acceptable", f"offered: {', '.join(offers)}")
    return media_type


@dataclass(frozen=True)
class Term:
    name: str
    label: str | None
    definition: str | None
    parents: list[str]


@cache
def _ontology(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _sections(ontology: Graph) -> list[tuple[str, list[Term]]]:
    kinds = [
        ("Classes", OWL.Class),
        ("Object properties", OWL.ObjectProperty),
        ("Datatype properties", OWL.DatatypeProperty),
    ]
    sections = []
    for heading, kind in kinds:
        terms = []
        for subject in sorted(set(ontology.subjects(RDF.type, kind)), key=str):
            if not str(subject).startswith(str(POA)):
                continue
            parents = [
                ontology.namespace_manager.normalizeUri(parent)
                for parent in (
                    *ontology.objects(subject, RDFS.subClassOf),
                    *ontology.objects(subject, RDFS.subPropertyOf),
                )
                if isinstance(parent, URIRef)
            ]
            label = ontology.value(subject, RDFS.label)
            definition = ontology.value(subject, SKOS.definition)
            terms.append(
                Term(
                    str(subject).removeprefix(str(POA)),
                    None if label is None else str(label),
                    None if definition is None else str(definition),
                    sorted(parents),
                )
            )
        sections.append((heading, terms))
    return sections


@router.api_route(
    "/ont",
    methods=["GET", "HEAD"],
    summary="The ontology: a page of its terms for browsers, else Turtle, JSON-LD, N-Triples…",
    responses={
        200: {"content": {HTML: {}, **{m: {} for m, _ in RDF_TYPES.values()}}},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def ontology(request: Request, settings: SettingsDep) -> Response:
    return _ontology_answer(request, settings, None)


@router.api_route("/ont.{extension}", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology_file(request: Request, settings: SettingsDep, extension: str) -> Response:
    return _ontology_answer(request, settings, extension)


def _ontology_answer(request: Request, settings: Settings, extension: str | None) -> Response:
    offers = [HTML, *(m for m, _ in RDF_TYPES.values())]
    media_type = _chosen(request, extension, offers)
    graph = _ontology(settings.ontology_dir / "poa.ttl")
    headers = {"Vary": "Accept"}
    if media_type == HTML:
        iri = URIRef(ONTOLOGY_IRI)
        context = {
            "iri": ONTOLOGY_IRI,
            "title": str(graph.value(iri, DCTERMS.title) or "poa-kg ontology"),
            "description": str(graph.value(iri, DCTERMS.description) or ""),
            "version": str(graph.value(iri, OWL.versionInfo) or ""),
            "formats": [(m, ext) for ext, (m, _) in RDF_TYPES.items()],
            "sections": _sections(graph),
        }
        return templates.TemplateResponse(request, "ontology.html", context, headers=headers)
    body = graph.serialize(format=rdflib_format(media_type), encoding="utf-8")
    if request.method == "HEAD":
        body = b""
    return Response(body, media_type=media_type, headers=headers)


@router.api_route(
    "/graph/{name}",
    methods=["GET", "HEAD"],
    summary="One named graph of the dataset as Turtle, JSON-LD, N-Triples or RDF/XML",
    responses={
        200: {"content": {m: {} for m, _ in RDF_TYPES.values()}},
        404: {"content": {"application/problem+json": {}}},
        406: {"content": {"application/problem+json": {}}},
    },
)
async def named_graph(
    name: str, request: Request, reader: ReaderDep, settings: SettingsDep
) -> Response:
    stem, dot, extension = name.partition(".")
    media_type = _chosen(request, extension if dot else None, [m for m, _ in RDF_TYPES.values()])
    served = dataset_description(
        settings.turtle_dir, settings.ontology_dir / "poa.ttl", f"{settings.base_url}/sparql"
    )
    names = {str(g).removeprefix(str(GRAPH)) for g in served.objects(URIRef(DATASET), VOID.subset)}
    if stem not in names:
        raise ProblemError(
            404,
            "Not Found",
            f"no graph {stem!r}; the dataset's graphs are listed at /void",
            parameter="name",
        )
    answer = await read_graph(reader, NamedNode(f"{GRAPH}{stem}"), media_type, GRAPH_ROW_CAP)
    body = b"" if request.method == "HEAD" else answer.body
    return Response(body, headers={"content-type": answer.media_type, "Vary": "Accept"})
