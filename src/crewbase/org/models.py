"""The organisation around members: teams, queues, divisions, and the work they own."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True, default="")
    members = models.ManyToManyField("people.Member", related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="team_name_unique_per_account")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="divisions"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True, default="")
    members = models.ManyToManyField("people.Member", related_name="divisions", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "account", Lower("name"), name="division_name_unique_per_account"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="queues")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True, default="")
    # Only active members with agent access belong here (ORG-3); the actions guard it.
    members = models.ManyToManyField("people.Member", related_name="queues", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="queue_name_unique_per_account")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


SKILL_LEVEL_LOWEST = 1
SKILL_LEVEL_HIGHEST = 100


class Skill(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=120)
    # When set, every assignment must carry a level inside min_level..max_level (ORG-2).
    level_required = models.BooleanField(default=False)
    min_level = models.PositiveSmallIntegerField(default=SKILL_LEVEL_LOWEST)
    max_level = models.PositiveSmallIntegerField(default=SKILL_LEVEL_HIGHEST)
    members = models.ManyToManyField(
        "people.Member", through="MemberSkill", related_name="skills", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="skill_name_unique_per_account")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberSkill(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(
        "people.Member", on_delete=models.CASCADE, related_name="skill_assignments"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill", "member"], name="member_skill_once")
        ]
        # The users list filters by skill and level range (org/list_columns.py).
        indexes = [models.Index(fields=["skill", "level", "member"], name="member_skill_level_idx")]
        ordering = ["skill__name"]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})" if self.level is not None else str(self.skill)


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


OPEN_TICKET_STATUSES = (TicketStatus.OPEN, TicketStatus.PENDING)


class Ticket(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="tickets"
    )
    subject = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default="open")
    assignee = models.ForeignKey(
        "people.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    created_by = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "assignee", "status"]),
            # Ticket visibility (org/tickets.py) narrows by team or division.
            models.Index(fields=["account", "team", "id"], name="ticket_team_idx"),
            models.Index(fields=["account", "division", "id"], name="ticket_division_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class Macro(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="macros")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="macros"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class SavedView(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=200)
    filters = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(
        "people.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_views",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ChatAccess(models.TextChoices):
    ALL = "all", _("All divisions")
    ASSIGNED = "assigned", _("Assigned divisions only")


class MemberChatAccess(models.Model):
    """A supervisor's chat access (ORG-4); no row means "all divisions".

    It narrows what `tickets.view_all` shows to the tickets of the member's divisions."""

    member = models.OneToOneField(
        "people.Member", on_delete=models.CASCADE, primary_key=True, related_name="chat_access"
    )
    scope = models.CharField(max_length=10, choices=ChatAccess.choices, default=ChatAccess.ALL)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.get_scope_display()
