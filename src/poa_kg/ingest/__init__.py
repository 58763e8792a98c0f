"""The build side: source documents → layout → parse → extract → RDF (with lineage) →
SHACL validation → the files of ``data/turtle``; ``build.build`` runs the whole pipeline."""
