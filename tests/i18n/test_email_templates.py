"""Every email template says its words through {% translate %} / {% blocktranslate %} (SELF-1),
stays plain text (autoescape off) and loads i18n where it translates."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "crewbase" / "templates"
EMAIL_TEMPLATES = sorted(
    [
        *TEMPLATES.glob("emails/*.txt"),
        *TEMPLATES.glob("mfa/email/*.txt"),
        *TEMPLATES.glob("governance/email_*.txt"),
        *TEMPLATES.glob("account/email/*.txt"),
    ]
)


def _untranslated_words(template: str) -> list[str]:
    text = re.sub(r"(?s)\{% blocktranslate.*?\{% endblocktranslate %\}", "", template)
    text = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", text)
    return re.findall(r"[A-Za-z][A-Za-z' ]*", text.replace("Crewbase", ""))  # the product's name


def test_the_email_templates_are_all_found():
    names = {str(p.relative_to(TEMPLATES)) for p in EMAIL_TEMPLATES}
    assert {"emails/invitation_body.txt", "mfa/email/sign_in_code_subject.txt"} <= names
    assert "governance/email_review_reminder_body.txt" in names
    assert "account/email/password_reset_key_message.txt" in names


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_email_templates_have_no_untranslated_text(path):
    template = path.read_text()
    assert _untranslated_words(template) == [], "wrap these in {% translate %}"
    if "translate" in template:
        assert "{% load i18n %}" in template
    if "{% extends" not in template:
        # Plain text: a name like "Tom & Jerry" must not arrive as "Tom &amp; Jerry".
        assert template.startswith(("{% autoescape off %}", "{% load i18n %}{% autoescape off %}"))
