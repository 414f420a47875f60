"""xdd pipelines: orchestration, the DuckDB knowledge base, named queries and the CLI."""
