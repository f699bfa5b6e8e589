"""Developer tooling run from the repository: generators, benchmarks, the Celery stack.

Never imported by the runtime packages (extractors, nlp, warehouse, dags, plugins); see docs/architecture.md.
"""
