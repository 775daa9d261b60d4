"""Full-text structures for the database in use (see xieshang.search.models)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(bi, uni, content='search_searchentry', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, bi, uni) VALUES (new.id, new.bi, new.uni); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, bi, uni) VALUES ('delete', old.id, old.bi, old.uni); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, bi, uni) VALUES ('delete', old.id, old.bi, old.uni); "
    "INSERT INTO search_fts(rowid, bi, uni) VALUES (new.id, new.bi, new.uni); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    "CREATE INDEX search_entry_bi_gin ON search_searchentry USING gin (to_tsvector('simple', bi))",
    "CREATE INDEX search_entry_uni_gin ON search_searchentry USING gin (to_tsvector('simple', uni))",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_entry_uni_gin", "DROP INDEX IF EXISTS search_entry_bi_gin"]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
