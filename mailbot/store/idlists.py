"""A column matched against a long list of ids (a month-end statement run asks about a thousand tickets at once).

On PostgreSQL the list goes as one array parameter (`= ANY(...)`): SQLAlchemy writes `IN (...)` with a
placeholder per id, a new statement text for every length, which the driver then converts again, and for a
thousand ids building it costs the client several times what the server spends answering. Elsewhere `IN`.
"""
from __future__ import annotations

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def among(conn, column, ids):
    """The condition `column` is one of `ids` (a list), for a WHERE clause run on `conn`."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(column.type)))
    return column.in_(list(ids))
