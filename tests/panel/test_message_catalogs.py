"""The panel's message catalogs: every entry of every language translated (nothing fuzzy, nothing
empty), and the compiled .mo files say exactly what their .po files say (a forgotten
`make messages` / compilemessages fails here)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def catalog(entries) -> dict:
    out = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        out[key] = (
            tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else (entry.msgstr,)
        )
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    assert len(po) > 100
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.untranslated_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))

    assert catalog(mo) == catalog(e for e in po if e.translated())


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    """A translation keeps the %(name)s / {{ name }} placeholders of its source, or the page breaks."""
    import re

    pattern = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in po:
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = set(pattern.findall(sources[-1]))
        for target in targets:
            if set(pattern.findall(target)) - set().union(*(set(pattern.findall(s)) for s in sources)) or (
                not entry.msgid_plural and set(pattern.findall(target)) != expected
            ):
                wrong.append((entry.msgid, target))
    assert wrong == []
