"""The German catalogue: complete, not fuzzy, compiled from its .po file, and in use.

The msgids below are passed as variables, never as literals to gettext(), so that `make messages`
does not pick this test module up as a source of messages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from kontaktpunkt.accounts.models import Role, Unit
from kontaktpunkt.intake.models import Channel, Concern, IntakePoint, Status

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}
LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    escapes = {"n": "\n", "t": "\t"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def _form(keyword: str) -> int:
    """0 for `msgstr`, n for `msgstr[n]`."""
    return int(keyword.removeprefix("msgstr[").removesuffix("]")) if "[" in keyword else 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader, enough for makemessages' output: entries apart by blank lines, no
    message contexts; obsolete (`#~`) entries are left out."""
    entries: list[Entry] = []
    line_number = 1
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, part = Entry(line=line_number), ""
        line_number += block.count("\n") + 2
        for line in block.strip("\n").splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
                part, text = line.split(" ", 1)[0], _unquote(line)
                if part == "msgid":
                    entry.msgid = text
                elif part == "msgid_plural":
                    entry.msgid_plural = text
                else:
                    entry.msgstr[_form(part)] = text
            elif line.startswith('"'):
                if part == "msgid":
                    entry.msgid += _unquote(line)
                elif part == "msgid_plural":
                    entry.msgid_plural = (entry.msgid_plural or "") + _unquote(line)
                else:
                    entry.msgstr[_form(part)] += _unquote(line)
        if part:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    """Every entry but the header (the one with an empty msgid)."""
    return [entry for entry in entries if entry.msgid]


@pytest.fixture
def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        reason = "msgfmt not found (apt-get install gettext, or run `make test`)"
        if CI:
            pytest.fail(f"{reason}; CI=true: the catalogue checks must run", pytrace=False)
        pytest.skip(reason)
    return path


def test_the_small_po_reader_reads_plurals_flags_and_continued_lines(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        '#: a.py\n#, python-format\nmsgid "%(n)d apple"\nmsgid_plural "%(n)d apples"\n'
        'msgstr[0] "%(n)d Apfel"\nmsgstr[1] "%(n)d \\"Äpfel\\""\n\n'
        '#, fuzzy\nmsgid ""\n"long "\n"text"\nmsgstr ""\n\n'
        'msgid "plain"\nmsgstr "schlicht"\n',
        encoding="utf-8",
    )

    header, plural, fuzzy, plain = parse_po(po)

    assert header.msgid == "" and header.msgstr == {0: "Language: de\n"}
    assert plural.flags == {"python-format"}
    assert plural.msgid_plural == "%(n)d apples"
    assert plural.msgstr == {0: "%(n)d Apfel", 1: '%(n)d "Äpfel"'}
    assert fuzzy.flags == {"fuzzy"} and fuzzy.msgid == "long text" and fuzzy.msgstr == {0: ""}
    assert plain.flags == set() and plain.msgstr == {0: "schlicht"}


def test_the_catalogue_is_german_with_two_plural_forms(entries: list[Entry]) -> None:
    header = entries[0].msgstr[0]

    assert entries[0].msgid == ""
    assert "Language: de\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header


def test_every_message_has_a_german_translation(messages: list[Entry]) -> None:
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in messages
        if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values())
    ]

    assert len(messages) > 200
    assert untranslated == []


def test_every_plural_message_has_both_german_forms(messages: list[Entry]) -> None:
    plurals = [entry for entry in messages if entry.msgid_plural is not None]

    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_no_entry_is_fuzzy(entries: list[Entry]) -> None:
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []


def test_a_translation_keeps_the_placeholders_of_its_msgid(messages: list[Entry]) -> None:
    for entry in messages:
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr.values():
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def test_msgfmt_counts_every_message_as_translated(msgfmt: str) -> None:
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(PO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


def test_the_committed_mo_file_is_compiled_from_the_po_file(msgfmt: str, tmp_path: Path) -> None:
    # Same command as compilemessages; msgfmt writes the same bytes for the same input, which the
    # second compilation confirms before the committed file is compared.
    first, second = tmp_path / "first.mo", tmp_path / "second.mo"
    for target in (first, second):
        subprocess.run([msgfmt, "--check-format", "-o", str(target), str(PO)], check=True)

    assert first.read_bytes() == second.read_bytes()
    assert MO.exists(), "run make messages"
    assert MO.read_bytes() == first.read_bytes(), "django.mo is stale: run make messages"


@pytest.mark.parametrize(
    ("msgid", "german"),
    [
        ("Sign in", "Anmelden"),
        ("Sign out", "Abmelden"),
        ("User name", "Benutzername"),
        ("Password", "Passwort"),
        ("Overview", "Übersicht"),
        ("Concerns", "Anliegen"),
    ],
)
def test_key_interface_texts_come_out_german(msgid: str, german: str) -> None:
    with translation.override("de"):
        assert translation.gettext(msgid) == german


def test_model_names_and_choice_labels_follow_the_glossary() -> None:
    with translation.override("de"):
        german = [
            str(text)
            for text in (
                Concern._meta.verbose_name,
                IntakePoint._meta.verbose_name_plural,
                Unit._meta.verbose_name,
                Status.RESOLVED.label,
                Status.WAITING_PARTNER.label,
                Status.CLOSED.label,
                Channel.WALK_IN.label,
                Role.KOD_LEAD.label,
                Role.DPO.label,
            )
        ]

    assert german == [
        "Anliegen",
        "Annahmestellen",
        "Organisationseinheit",
        "erledigt",
        "wartet auf Partner",
        "abgeschlossen",
        "persönlich",
        "KOD-Leitung / Disposition",
        "Datenschutzbeauftragte(r)",
    ]


def test_a_count_picks_the_german_plural_form() -> None:
    singular = "%(count)d area replaced from %(file)s."
    plural = "%(count)d areas replaced from %(file)s."

    with translation.override("de"):
        one = translation.ngettext(singular, plural, 1) % {"count": 1, "file": "a.json"}
        three = translation.ngettext(singular, plural, 3) % {"count": 3, "file": "a.json"}

    assert one == "1 Gebiet aus a.json ersetzt."
    assert three == "3 Gebiete aus a.json ersetzt."
