"""The read side: the published store → sandboxed query workers (``engine``) → backends
(embedded or any SPARQL 1.1 server) → the SPARQL policy, formats and named queries that the
HTTP service (``api/``), the exports and the CLI read through."""
