"""People (one identity, many accounts), members (a person inside one account), invitations."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crewbase.core import clock


def normalize_email(email: str) -> str:
    return email.strip().lower()


class PersonManager(BaseUserManager):
    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def create_user(self, email, password=None, **fields):
        person = self.model(email=normalize_email(email), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save()
        return person


class Person(AbstractBaseUser):
    """One human, keyed by an email that never changes (LIFE-5)."""

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    # False until the person has accepted an invitation and chosen credentials.
    is_registered = models.BooleanField(default=False)
    preferences = models.JSONField(default=dict, blank=True)
    # The stored name of the re-encoded profile picture (people/avatars.py), or "".
    avatar = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    # Required by Django's auth machinery; membership status decides real access.
    is_active = True
    is_staff = False
    is_superuser = False

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PersonManager()

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def has_perm(self, perm, obj=None) -> bool:  # Django admin is not used
        return False

    def has_module_perms(self, app_label) -> bool:
        return False


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DEACTIVATED = "deactivated", _("Deactivated")


class DeactivationReason(models.TextChoices):
    LEFT_COMPANY = "left_company", _("Left the company")
    ROLE_CHANGE = "role_change", _("Role change")
    TEMPORARY_LEAVE = "temporary_leave", _("Temporary leave")
    OTHER = "other", _("Other")


class MemberQuerySet(models.QuerySet):
    def in_account(self, account):
        return self.filter(account=account)

    def counting_toward_user_limit(self):
        return self.filter(status__in=[MemberStatus.INVITED, MemberStatus.ACTIVE])

    def holding_agent_seat(self):
        return self.filter(
            agent_access=True, status__in=[MemberStatus.INVITED, MemberStatus.ACTIVE]
        )


class Member(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey("access.Role", on_delete=models.PROTECT, related_name="members")
    status = models.CharField(max_length=12, choices=MemberStatus.choices)
    agent_access = models.BooleanField(default=False)
    is_owner = models.BooleanField(default=False)
    is_billing_contact = models.BooleanField(default=False)
    phone = models.CharField(max_length=40, blank=True, default="")
    # The name this account knows the member by; starts as the person's own name.
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    # Copies of the person's email and the member's name, kept in step by the actions, so that the
    # members list searches and sorts one table even at a million rows.
    email = models.EmailField(max_length=254)
    display_name = models.CharField(max_length=301, blank=True, default="")
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(
        max_length=20, choices=DeactivationReason.choices, blank=True, default=""
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    # Expiry of the pending invitation, copied here when one is issued, so the members list can
    # filter "invited" and "expired" on this table alone; meaningful only while status is invited.
    invitation_expires_at = models.DateTimeField(null=True, blank=True)
    # Bumped in the same transaction as every role or status change; permission caches key on it.
    access_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "person"], name="member_person_once"),
            models.UniqueConstraint(
                fields=["account"], condition=Q(is_owner=True), name="one_owner_per_account"
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_billing_contact=True),
                name="one_billing_contact_per_account",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status", "id"], name="member_status_idx"),
            models.Index(fields=["account", "role", "status", "id"], name="member_role_idx"),
            # Seat accounting counts agents under the account lock on every invite and toggle.
            models.Index(
                fields=["account", "agent_access", "status"], name="member_agent_seat_idx"
            ),
            # The members list walks one of these four in its sort order (keyset pagination);
            # each also carries the name and email, so a search along it tests every row from
            # the index without reading the table (people/selectors.py).
            models.Index(
                fields=["account", "email", "id", "display_name"], name="member_email_idx"
            ),
            models.Index(fields=["account", "display_name", "id", "email"], name="member_name_idx"),
            models.Index(
                fields=["account", "joined_at", "id", "display_name", "email"],
                name="member_joined_idx",
            ),
            models.Index(
                fields=["account", "last_sign_in_at", "id", "display_name", "email"],
                name="member_sign_in_idx",
            ),
            # Invited members by expiry: the "invited" and "expired" filters and their counts.
            models.Index(
                fields=["account", "status", "invitation_expires_at"],
                condition=Q(status="invited"),
                name="member_invite_expiry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    def refresh_display_name(self) -> None:
        self.display_name = f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def is_invited(self) -> bool:
        return self.status == MemberStatus.INVITED


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")
    # A resend replaces the invitation; the old link must then say so (INV-4).
    REPLACED = "replaced", _("Replaced by a newer invitation")


class Invitation(models.Model):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    invited_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by_display = models.CharField(max_length=400, blank=True, default="")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"invitation of {self.email} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at <= clock.now()


class MemberCounts(models.Model):
    """An account's users counting toward its user limit and agent seats held, kept in step by
    database triggers (people/member_counts.py); never written by the application."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    users_counted = models.IntegerField(default=0)
    agent_seats_used = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.users_counted} users, {self.agent_seats_used} agent seats"
