from django.db import migrations


def seed_builtin_roles(apps, schema_editor):
    from crewbase.access.builtin import seed_builtin_roles as seed

    seed(apps.get_model("access", "Role"))


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(seed_builtin_roles, migrations.RunPython.noop)]
