"""The read layer: the one way from a route, a page, an export or the CLI to the engine.

``reader.Reader`` runs the project's named queries (``poa_kg.serve.queries``) on a backend and
gives rows as Python values, marked ``truncated`` when the row cap cut them. One module per
resource turns those rows into records (``records``): ``documents``, ``statements``,
``entities``, ``votes``, ``lineage``, ``history``, ``analyses``, ``accuracy``, ``citations``,
``resources``. Each owns its query names, bindings, row-to-record conversion and short ids, and
says when a list is incomplete. Only ``/sparql`` runs free query text, through the backend.
"""
