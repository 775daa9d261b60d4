"""Committee, kind and visibility as FTS tokens, so that one MATCH does all the filtering.

On SQLite the join of the FTS table with a filtered entry table makes the planner scan the
entries (seconds at a million rows); a scope column inside the FTS index keeps a query on the
index alone (tens of milliseconds).
"""

from django.db import migrations, models

SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(bi, uni, scope, content='search_searchentry', "
    "content_rowid='id', tokenize='unicode61')",
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(1.0, 0.3, 0.0)')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, bi, uni, scope) VALUES (new.id, new.bi, new.uni, new.scope); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, bi, uni, scope) "
    "VALUES ('delete', old.id, old.bi, old.uni, old.scope); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, bi, uni, scope) "
    "VALUES ('delete', old.id, old.bi, old.uni, old.scope); "
    "INSERT INTO search_fts(rowid, bi, uni, scope) VALUES (new.id, new.bi, new.uni, new.scope); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]
    operations = [
        migrations.AddField(model_name="searchentry", name="scope",
                            field=models.TextField(blank=True, default="")),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
