"""Many rows in one statement, handed straight to the database driver.

A backfill writes hundreds of thousands of rows; for an executemany SQLAlchemy processes every row's
parameters in Python, which costs more than the database's own work. These statements are built once per
table, dialect and kind, and take plain tuples; JSON columns are serialised here as SQLAlchemy's JSON type
does (`json.dumps`, so None is stored as JSON null), and read back by the models as usual.
"""
import json
from functools import cache

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session


@cache
def _statement(table: Table, dialect, kind: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    json_columns = {c.key for c in table.columns if isinstance(c.type, JSON)}
    postgres = dialect.name == "postgresql"

    def marker(column: str) -> str:
        if not postgres:
            return "?"
        return "%s::json" if column in json_columns else "%s"

    def equals(names) -> str:
        return " AND ".join(f"{quote(n)} = {marker(n)}" for n in names)

    name = quote(table.name)
    if kind == "insert":
        return f"INSERT INTO {name} ({', '.join(map(quote, columns))}) VALUES ({', '.join(map(marker, columns))})"
    if kind == "update":
        return f"UPDATE {name} SET {', '.join(f'{quote(c)} = {marker(c)}' for c in columns)} WHERE {equals(keys)}"
    return f"DELETE FROM {name} WHERE {equals(keys)}"


@cache
def _json_positions(table: Table, columns: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, c in enumerate(columns) if isinstance(table.columns[c].type, JSON))


def _execute(session: Session, table: Table, kind: str, columns: tuple[str, ...], keys: tuple[str, ...], rows) -> None:
    if not rows:
        return
    connection = session.connection()
    sql = _statement(table, connection.dialect, kind, columns, keys)
    positions = _json_positions(table, columns + keys)
    if positions:
        rows = [tuple(json.dumps(v) if i in positions else v for i, v in enumerate(row)) for row in rows]
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """INSERT rows given as dicts; a column missing from a row takes its scalar default, else NULL."""
    if not rows:
        return
    defaults = scalar_defaults(table)
    columns = tuple(c.key for c in table.columns if c.key in set().union(*rows) or c.key in defaults)
    _execute(session, table, "insert", columns, (), [tuple(r.get(c, defaults.get(c)) for c in columns) for r in rows])


@cache
def scalar_defaults(table: Table) -> dict:
    """The columns' Python-side constant defaults (`default=0`), as an INSERT through SQLAlchemy would apply them."""
    return {c.key: c.default.arg for c in table.columns if c.default is not None and c.default.is_scalar}


def update_rows(session: Session, table: Table, columns: tuple[str, ...], keys: tuple[str, ...], rows: list[tuple]) -> None:
    """UPDATE by primary key: each row is the values of `columns` followed by those of `keys`."""
    _execute(session, table, "update", columns, keys, rows)


def delete_rows(session: Session, table: Table, keys: tuple[str, ...], rows: list[tuple]) -> None:
    """DELETE by primary key: each row is the values of `keys`."""
    _execute(session, table, "delete", (), keys, rows)
