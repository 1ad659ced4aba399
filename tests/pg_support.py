"""A throwaway PostgreSQL for tests: its URL comes from SAM_COWBOY_TEST_PG (.ci/postgres.sh)."""

from __future__ import annotations

PG_ENV = "SAM_COWBOY_TEST_PG"
TABLES = ["votes", "participants", "decisions", "runs", "sessions", "schema_migrations"]


def reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
