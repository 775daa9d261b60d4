"""ID numbers encrypted at rest, with an HMAC blind index for matching (等保 数据保密性)."""

from django.db import migrations

import xieshang.core.fields


def encrypt_existing(apps, schema_editor):
    from xieshang.core import crypto

    Member = apps.get_model("members", "Member")
    # The field decrypts tokens and passes legacy plain values through; saving encrypts them
    # and BlindIndexField.pre_save writes the index.
    rows = Member.objects.using(schema_editor.connection.alias).exclude(id_number__isnull=True)
    for member in rows.only("pk", "id_number").iterator(chunk_size=500):
        if member.id_number:
            member.id_number_index = crypto.blind_index(member.id_number)
            member.save(update_fields=["id_number", "id_number_index"])


def decrypt_existing(apps, schema_editor):
    from xieshang.core import crypto

    connection = schema_editor.connection
    table = connection.ops.quote_name("members_member")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number FROM {table} WHERE id_number <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, value in rows:
            cursor.execute(f"UPDATE {table} SET id_number = %s WHERE id = %s",  # noqa: S608
                           [crypto.decrypt(value), pk])


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="id_number_index",
            field=xieshang.core.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=xieshang.core.fields.EncryptedTextField(blank=True, max_length=18,
                                                          verbose_name="ID number"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
