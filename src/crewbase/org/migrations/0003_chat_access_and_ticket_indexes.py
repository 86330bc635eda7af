import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_skills_and_member_skills"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberChatAccess",
            fields=[
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="chat_access",
                        serialize=False,
                        to="people.member",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("all", "All divisions"), ("assigned", "Assigned divisions only")],
                        default="all",
                        max_length=10,
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["account", "team", "id"], name="ticket_team_idx"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["account", "division", "id"], name="ticket_division_idx"),
        ),
        migrations.AddIndex(
            model_name="memberskill",
            index=models.Index(
                fields=["skill", "level", "member"], name="member_skill_level_idx"
            ),
        ),
    ]
