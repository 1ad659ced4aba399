"""A throwaway PostgreSQL for tests: its URL comes from SAM_COWBOY_TEST_PG (.ci/postgres.sh)."""

from __future__ import annotations

PG_ENV = "SAM_COWBOY_TEST_PG"


def reset_pg(url: str) -> None:
    """Every table of the schema dropped, whatever migrations have added since."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables "
                              "WHERE schemaname = current_schema()").fetchall()
        for (table,) in tables:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(table)))
