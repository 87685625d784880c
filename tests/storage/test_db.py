import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from storage.db import make_engine, migrate, sessions
from storage.models import DocumentRow, Fax, FieldRow, FlagRow, Task

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield make_engine(f"sqlite:///{tmp_path}/fax.db")
        return
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    yield create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def test_migrations_create_the_schema_and_rows_round_trip(engine):
    migrate(engine)
    migrate(engine)  # idempotent
    assert {"faxes", "pages", "documents", "fields", "flags", "tasks"} <= set(
        inspect(engine).get_table_names()
    )
    with sessions(engine)() as session:
        fax = Fax(
            sha256="a" * 64,
            original_key="originals/aa/a",
            filename="f.pdf",
            source="drop_folder",
            status="ready",
            sender={"caller_id": "5125550100"},
        )
        doc = DocumentRow(fax=fax, position=0, type="referral", pages=[1, 2], confidence=0.9)
        doc.fields = [
            FieldRow(key="diagnosis_codes", value=["I10"], confidence=0.9, page=1, boxes=[[1, 2, 3, 4]])
        ]
        session.add_all(
            [
                fax,
                FlagRow(fax=fax, code="auth_denied", severity="error", message="denied"),
                Task(fax=fax, stage="prepare", status="finished", attempts=1),
            ]
        )
        session.commit()
        again = session.get(Fax, fax.id)
        assert again.documents[0].fields[0].value == ["I10"]
        assert again.sender["caller_id"] == "5125550100" and again.tasks[0].stage == "prepare"


def test_models_match_the_migrations(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base

    migrate(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_the_audit_log_is_append_only(engine):
    from storage.models import AuditEntry

    migrate(engine)
    with sessions(engine)() as session:
        session.add(AuditEntry(username="system", action="login", detail={}))
        session.commit()
        entry = session.query(AuditEntry).one()
        entry.action = "edited"
        with pytest.raises(PermissionError):
            session.commit()
        session.rollback()
        session.delete(session.query(AuditEntry).one())
        with pytest.raises(PermissionError):
            session.commit()


def test_task_rows_are_one_per_stage_however_often_asked_for(engine):
    migrate(engine)
    with sessions(engine)() as session:
        fax = Fax(
            sha256="b" * 64, original_key="originals/bb/b", filename="f.tif", source="s", status="queued"
        )
        session.add(fax)
        session.flush()
        first = Task.of_stages(session, fax.id, ["page:1", "analyse"])
        first[0].status = "finished"
        session.commit()
        again = Task.of_stages(session, fax.id, ["page:1", "page:2", "analyse"])
        session.commit()
        assert [t.stage for t in again] == ["page:1", "page:2", "analyse"]
        assert again[0] is first[0] and again[0].status == "finished"
        assert Task.of(session, fax.id, "page:2") is again[1]
        assert session.query(Task).filter_by(fax_id=fax.id).count() == 3


def _migrate_in_child(url: str, schema: str | None) -> None:
    engine = (
        create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        if schema
        else make_engine(url)
    )
    migrate(engine)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_first_starts_at_once_migrate_once_without_error(tmp_path, kind):
    """The web app, the watcher and workers starting together each migrate a new database."""
    import multiprocessing

    url, schema = f"sqlite:///{tmp_path}/fax.db", None
    if kind == "postgresql":
        url, schema = PG_URL, f"t_{uuid.uuid4().hex[:10]}"
        try:
            with create_engine(PG_URL).begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    context = multiprocessing.get_context("fork")
    starts = [context.Process(target=_migrate_in_child, args=(url, schema)) for _ in range(3)]
    for start in starts:
        start.start()
    for start in starts:
        start.join(timeout=120)
    try:
        assert [start.exitcode for start in starts] == [0, 0, 0]
    finally:
        if schema:
            with create_engine(PG_URL).begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
