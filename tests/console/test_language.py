"""The console in English and Indonesian (SELF-1): the person's choice, else the browser's."""

import ast
import gettext
import re
from pathlib import Path

import pytest

from crewbase.accounts.settings_actions import update_preferences
from crewbase.core.errors import ValidationFailed
from tests.conftest import actor_for
from tests.console.conftest import signed_in

SRC = Path(__file__).resolve().parents[2] / "src" / "crewbase"
LOCALE = SRC / "locale" / "id" / "LC_MESSAGES"
TEMPLATES = SRC / "templates"
# Every page a member or an admin reads; dev/ is the developer's own mailbox viewer.
UNTRANSLATED = {"dev"}


def _po_entries() -> dict:
    """msgid -> msgstr (the singular form of plurals) of the Indonesian catalogue."""
    entries = {}
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]:
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            keyword = re.match(r"^(msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d+\]) ", line)
            if keyword:
                key = keyword.group(1)
                line = line[keyword.end() :]
            if key is not None:
                parts[key] = parts.get(key, "") + ast.literal_eval(line)
        if "msgid" in parts:
            entries[parts["msgid"]] = parts.get("msgstr", parts.get("msgstr[0]", ""))
    return entries


def test_every_message_has_an_indonesian_translation():
    untranslated = [msgid for msgid, msgstr in _po_entries().items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = {
        msgid: msgstr
        for msgid, msgstr in _po_entries().items()
        if catalogue.gettext(msgid) != msgstr and "%(" not in msgid
    }
    assert stale == {}, "run `make messages` to recompile django.mo"


def _visible_text(template: str) -> str:
    text = re.sub(r"(?s)\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", "", template)
    text = re.sub(r"(?s)\{% blocktranslate.*?\{% endblocktranslate %\}", "", text)
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", text)
    text = re.sub(r"\{% block main_class %\}\w*\{% endblock main_class %\}", "", text)
    text = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}", "", text)
    attributes = re.findall(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"', text)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    return " ".join([text, *attributes])


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in TEMPLATES.rglob("*.html")
        if p.relative_to(TEMPLATES).parts[0] not in UNTRANSLATED
    ),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_templates_have_no_untranslated_text(path):
    text = _visible_text(path.read_text()).replace("Crewbase", "")  # the product's name
    leftovers = re.findall(r"[A-Za-z][A-Za-z' ]*", text)
    assert leftovers == [], f"wrap these in {{% translate %}}: {leftovers}"


@pytest.mark.django_db
def test_the_browser_language_is_used_before_signing_in(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id"' in page
    assert "Masuk" in page


@pytest.mark.django_db
def test_a_person_who_chose_indonesian_reads_the_console_in_it(scene):
    update_preferences(actor=actor_for(scene["owner"]), changes={"language": "id"})
    page = signed_in(scene["owner"]).get("/members/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Saring anggota" in page.decode()
    assert "Undang orang" in page.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_refused_by_name(scene):
    with pytest.raises(ValidationFailed) as refused:
        update_preferences(actor=actor_for(scene["owner"]), changes={"language": "fr"})
    assert refused.value.errors == {"language": "must be one of: en, id"}


def test_translations_use_only_the_placeholders_of_their_message():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = {
        msgid: msgstr
        for msgid, msgstr in _po_entries().items()
        if not set(placeholder.findall(msgstr)) <= set(placeholder.findall(msgid))
    }
    assert wrong == {}
