"""The command catalogue: every command of the desk, defined once.

Each command has a stable id (used in the ``[keys]`` config section to remap it),
a short title (footer and palette), a help line (help screen), and its default keys.
The TUI builds its bindings, footer, help screen and palette from this table, and
the config validates ``[keys]`` against it. No Textual here: it is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    """One thing an agent can do, with its stable id and default keys."""

    id: str
    title: str
    help: str
    keys: tuple[str, ...]
    show_in_footer: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("search", "Search", "Focus the search box; typing filters the queue", ("slash",)),
    Command("next_person", "Next", "Select the next person in the queue", ("j", "down"), False),
    Command(
        "previous_person", "Previous", "Select the previous person in the queue", ("k", "up"), False
    ),
    Command("first_person", "Top", "Jump to the top of the queue", ("g", "home"), False),
    Command("last_person", "Bottom", "Jump to the bottom of the queue", ("G", "end"), False),
    Command("follow_up", "Follow-up", "Log a follow-up: a due expression, then the note", ("f",)),
    Command(
        "mood", "Mood", "Record a mood: a digit 1-5 for the level and an optional note", ("m",)
    ),
    Command("note", "Note", "Add a note to the person's timeline", ("n",)),
    Command("contact", "Contact", "Log a contact: channel and summary", ("c",)),
    Command("done", "Done", "Mark the earliest open follow-up done, with an outcome", ("d",)),
    Command(
        "reply",
        "Reply",
        "Reply to the person's latest message (ctrl+s sends, escape keeps a draft)",
        ("r",),
    ),
    Command("write", "Write", "Write the person a new message", ("w",)),
    Command(
        "open_message",
        "Open message",
        "Open the selected message whole: thread, attachments, quoted part",
        ("enter",),
        False,
    ),
    Command(
        "unsorted_mail",
        "Unsorted mail",
        "Mail with no usable sender: file each message on a person",
        ("U",),
        False,
    ),
    Command("add_person", "Add", "Add a new person", ("a",)),
    Command("edit_person", "Edit", "Edit the selected person's profile", ("e",)),
    Command(
        "owner", "Owner", "Take the selected person, or give them to another agent", ("o",), False
    ),
    Command(
        "queue_view",
        "View",
        "Show the queue of everyone, only mine, or nobody's people",
        ("v",),
        False,
    ),
    Command("team", "Team", "The team view: mood, follow-ups and who is at risk", ("t",), False),
    Command(
        "refresh",
        "Refresh",
        "Reload the queue and the person from the database",
        ("ctrl+r",),
        False,
    ),
    Command("help", "Help", "Show every key and what it does", ("question_mark",)),
    Command(
        "command_palette",
        "Palette",
        "Open the command palette (commands and people)",
        ("ctrl+p",),
        False,
    ),
    Command("quit", "Quit", "Quit deskterm", ("q",)),
)

COMMAND_IDS: frozenset[str] = frozenset(c.id for c in COMMANDS)
BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}


def keys_for(command_id: str, overrides: dict[str, list[str]] | None = None) -> tuple[str, ...]:
    """The keys bound to a command, after any ``[keys]`` overrides."""
    if overrides and command_id in overrides:
        return tuple(overrides[command_id])
    return BY_ID[command_id].keys
