"""The Alembic migrations and the models describe the same schema, on both engines."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from mailbot.config import Database
from mailbot.store import db
from mailbot.store.models import metadata


def test_schema_head_constant_matches_migrations():
    script = ScriptDirectory.from_config(db.alembic_config(None))
    assert script.get_current_head() == db.SCHEMA_HEAD


def _diff(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    return [d for d in diff if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]


def test_sqlite_migrations_match_models(tmp_path):
    engine = db.make_engine(Database(url=f"sqlite:///{tmp_path}/m.db"))
    db.upgrade(engine)
    assert _diff(engine) == []


@pytest.mark.postgres
def test_postgres_migrations_match_models(pg_url):
    engine = db.make_engine(Database(url=pg_url))
    before, after = db.upgrade(engine)
    assert (before, after) == (None, db.SCHEMA_HEAD)
    assert _diff(engine) == []
    engine.dispose()
