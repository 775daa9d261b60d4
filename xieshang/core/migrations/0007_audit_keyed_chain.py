"""The audit chain becomes keyed and numbered (issue #18, finding 2).

Each committee's rows become one chain (``chain``: the committee's id, 0 for platform rows),
numbered 1, 2, … in the order they were chained (``seq``), and every row is sealed again with
an HMAC under XIESHANG_AUDIT_KEY (which must therefore be set before migrating a production
install). The old unkeyed SHA-256 chain is checked first: rows that no longer fit it are
listed in the log (``xieshang.audit``) — they were changed or removed before this migration,
and the new seal cannot vouch for them. No unkeyed hash is kept, so a chain cannot be
"downgraded" to one that anyone can recompute."""

import hashlib
import json
import logging

from django.db import migrations, models

logger = logging.getLogger("xieshang.audit")


def _canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode()


def _content(row):
    return [row.created_at.isoformat(), row.actor_id, row.actor_name, row.committee_id,
            row.action, row.object_type, row.object_id, row.object_repr, row.before, row.after,
            row.ip]


def reseal(apps, schema_editor):
    from xieshang.core import crypto

    AuditLog = apps.get_model("core", "AuditLog")
    chains = list(AuditLog.objects.order_by().values_list("committee_id", flat=True).distinct())
    key = crypto.audit_keys()[0] if chains else b""
    for committee_id in chains:
        old_prev, new_prev, seq, batch = "", "", 0, []
        for row in AuditLog.objects.filter(committee_id=committee_id).order_by("id").iterator(
                chunk_size=2000):
            if row.prev_hash != old_prev or row.hash != hashlib.sha256(
                    _canonical([old_prev, *_content(row)])).hexdigest():
                logger.warning("audit row %s did not fit the old chain when it was re-sealed",
                               row.pk)
            old_prev = row.hash
            seq += 1
            content = _content(row)
            content[3] = None
            payload = _canonical(["xs-audit-2", committee_id or 0, seq, new_prev, *content])
            row.chain, row.seq, row.prev_hash = committee_id or 0, seq, new_prev
            row.hash = crypto.audit_mac(payload, key)
            new_prev = row.hash
            batch.append(row)
            if len(batch) >= 2000:
                AuditLog.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])
                batch = []
        AuditLog.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_shared_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditlog",
            name="chain",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="seq",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditlog",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq"),
        ),
    ]
