"""PostgreSQL: store the tsvectors instead of recomputing them to check phrase positions.

With only an expression index, a phrase query (bigram <-> bigram) rechecks every candidate
row by computing to_tsvector() again; stored generated columns make the recheck a read.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS search_entry_bi_gin",
    "DROP INDEX IF EXISTS search_entry_uni_gin",
    "ALTER TABLE search_searchentry ADD COLUMN bi_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', bi)) STORED",
    "ALTER TABLE search_searchentry ADD COLUMN uni_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', uni)) STORED",
    "CREATE INDEX search_entry_bi_tsv ON search_searchentry USING gin (bi_tsv)",
    "CREATE INDEX search_entry_uni_tsv ON search_searchentry USING gin (uni_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_uni_tsv", "DROP INDEX IF EXISTS search_entry_bi_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS uni_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS bi_tsv",
    "CREATE INDEX search_entry_bi_gin ON search_searchentry USING gin (to_tsvector('simple', bi))",
    "CREATE INDEX search_entry_uni_gin ON search_searchentry USING gin (to_tsvector('simple', uni))",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0003_scope_tokens")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
