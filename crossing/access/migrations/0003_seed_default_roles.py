from django.db import migrations


def seed(apps, schema_editor):
    from crossing.access.seed import seed_defaults

    seed_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
