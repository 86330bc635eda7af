from django.db import migrations


def seed_builtin_roles(apps, schema_editor):
    from crewbase.access.permissions import BUILTIN_ROLES

    Role = apps.get_model("access", "Role")
    for key, spec in BUILTIN_ROLES.items():
        Role.objects.update_or_create(
            account=None,
            builtin_key=key,
            defaults={"name": spec["name"], "permissions": spec["permissions"]},
        )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(seed_builtin_roles, migrations.RunPython.noop)]
