from django.db import migrations


def install(apps, schema_editor):
    from crossing.access.audit import install_append_only_guards

    install_append_only_guards()


def remove(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        if schema_editor.connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_delete")
        elif schema_editor.connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent")


class Migration(migrations.Migration):
    dependencies = [("access", "0003_seed_default_roles")]
    operations = [migrations.RunPython(install, remove)]
