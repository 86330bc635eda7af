"""The account: one tenant, its plan and its policies."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.TextChoices):
    TRIAL = "trial", _("Trial")
    TEAM = "team", _("Team")
    BUSINESS = "business", _("Business")
    ENTERPRISE = "enterprise", _("Enterprise")


class AgentTicketScope(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned tickets only")
    TEAM = "team", _("Tickets of their teams")
    ALL = "all", _("All tickets")


class Account(models.Model):
    name = models.CharField(max_length=200)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.TEAM)
    # None means unlimited (PLAN-1); counts invited + active members.
    user_limit = models.PositiveIntegerField(null=True, blank=True)
    # Paid agent seats; every plan also includes one free seat (PLAN-2).
    paid_agent_seats = models.PositiveIntegerField(default=0)
    invite_expiry_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    block_personal_domains = models.BooleanField(default=False)
    blocked_domains = models.JSONField(default=list, blank=True)
    allowed_domains = models.JSONField(default=list, blank=True)
    agent_ticket_scope = models.CharField(
        max_length=10, choices=AgentTicketScope.choices, default=AgentTicketScope.ASSIGNED
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    cancel_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    FREE_AGENT_SEATS = 1

    def __str__(self) -> str:
        return self.name

    @property
    def agent_seat_total(self) -> int:
        return self.paid_agent_seats + self.FREE_AGENT_SEATS

    @property
    def is_cancellation_scheduled(self) -> bool:
        return self.cancel_at is not None
