"""kb migrate: a folder knowledge base into PostgreSQL and back loses nothing — every record file,
every kept source and the duplicate decisions come back byte for byte."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kb.cli import main
from kb.ops.duplicates import mark_not_duplicate
from kb.ops.migrate import migrate
from kb.store import Store
from kb.store.postgres import PostgresStore


def _files(home: Path) -> dict[str, bytes]:
    """Every file under records/ (the writer's lock file aside), by relative path."""
    return {str(p.relative_to(home)): p.read_bytes()
            for p in sorted((home / "records").rglob("*")) if p.is_file() and p.name != ".lock"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_folder_to_database_and_back_is_byte_identical(shipped_copy: Path, pg_url: str,
                                                        tmp_path: Path) -> None:
    folder = Store(shipped_copy)
    a, b, *_ = folder.ids()
    mark_not_duplicate(folder, a, b)
    before = _files(shipped_copy)
    records = sum(1 for k in before if k.count("/") == 1 and not Path(k).name.startswith("_"))
    sources = sum(1 for k in before if "/_sources/" in k)
    assert records == 4 and sources == 5 and "records/_decisions.json" in before

    out = _run("--kb", str(shipped_copy), "migrate", "--to", pg_url)
    assert f"{records} records written" in out and f"{sources} sources" in out
    back = tmp_path / "back"
    out = _run("--kb", str(tmp_path), "--db", pg_url, "migrate", "--to", str(back))
    assert f"{records} records written" in out and "1 documents" in out

    assert _files(back) == before


def test_migrating_again_writes_nothing_and_keeps_the_targets_own_records(shipped_copy: Path, pg_url: str,
                                                                         tmp_path: Path) -> None:
    folder = Store(shipped_copy)
    db = PostgresStore(pg_url, tmp_path)
    try:
        first = migrate(folder, db)
        extra = folder.load(folder.ids()[0]).model_copy(update={"id": "only-in-the-database"})
        extra.identifiers = extra.identifiers.model_copy(update={"doi": None})
        db.save(extra)
        second = migrate(folder, db)
    finally:
        db.close()
    assert (first.records, first.unchanged, first.failed) == (4, 0, [])
    assert (second.records, second.unchanged, second.already_there) == (0, 4, 1)
