"""Add or edit a person: every profile field, validated by the domain before it closes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar
from zoneinfo import available_timezones

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label

from deskterm.errors import InvalidInput
from deskterm.models import PACES
from deskterm.services.validate import clean_profile
from deskterm.services.views import PROFILE_FIELDS
from deskterm.tui.modals._base import QuickModal, literal, put
from deskterm.tui.modals._choices import ChoiceRow
from deskterm.tui.widgets.safe_input import SafeInput

LABELS = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "internal": "internal",
    "pace": "pace",
    "channel": "channel",
    "language": "language",
    "timezone": "time zone",
    "matters": "matters",
    "tags": "tags",
}
PLACEHOLDERS = {
    "name": "required",
    "channel": "phone, email, chat…",
    "language": "e.g. English",
    "timezone": "e.g. Europe/Berlin",
    "matters": "what matters to them",
    "tags": "comma-separated",
}


@cache
def _zones() -> list[str]:
    return sorted(available_timezones())


class _Flag(Checkbox):
    """A checkbox where ``space`` toggles and ``enter`` saves the form like every field."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "screen.save", show=False)]


def shown_values(initial: Mapping[str, Any] | None) -> dict[str, Any]:
    """The profile as the form shows it: text for text fields, tags joined by commas."""
    initial = initial or {}
    values: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        value = initial.get(field)
        if field == "internal":
            values[field] = bool(value)
        elif field == "pace":
            values[field] = value if value in PACES else "normal"
        elif field == "tags" and isinstance(value, list | tuple):
            values[field] = ", ".join(str(tag) for tag in value)
        else:
            values[field] = "" if value is None else str(value)
    return values


def _cleaned(field: str, value: Any) -> Any:
    """``value`` as the domain would store it, or as given if it would not pass."""
    try:
        return clean_profile({field: value}, partial=True)[field]
    except InvalidInput:
        return value


class PersonFormModal(QuickModal[dict[str, Any]]):
    """Dismisses with all fields (add) or only the changed ones (edit); ``{}`` if none."""

    AUTO_FOCUS: ClassVar[str] = "#field-name"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", "Save", show=False)]
    HINT: ClassVar[str] = "enter or ctrl+s save · escape cancel"

    def __init__(
        self,
        title: str,
        initial: Mapping[str, Any] | None = None,
        *,
        version: int | None = None,
    ) -> None:
        super().__init__(
            literal(title, width=60),
            hints=["tab / shift+tab move · space internal · ←/→ pace"],
        )
        self.initial = dict(initial) if initial is not None else None
        self.version = version  # the version an edit started from (a draft keeps it)
        self._shown = shown_values(initial)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="form"), Grid(id="fields"):
            for field in PROFILE_FIELDS:
                yield Label(Content(LABELS[field]), classes="field-label")
                yield self._field(field)

    def _field(self, field: str) -> Widget:
        value = self._shown[field]
        ident = f"field-{field}"
        if field == "internal":
            return _Flag(Content("a colleague"), value, compact=True, id=ident)
        if field == "pace":
            return ChoiceRow(PACES, PACES.index(value), id=ident)
        suggester = None
        if field == "timezone":
            suggester = SuggestFromList(_zones(), case_sensitive=False)
        return SafeInput(
            value,
            placeholder=PLACEHOLDERS.get(field, ""),
            suggester=suggester,
            compact=True,
            id=ident,
        )

    def values(self) -> dict[str, Any]:
        """Every field as currently typed (not yet validated)."""
        values: dict[str, Any] = {}
        for field in PROFILE_FIELDS:
            widget = self.query_one(f"#field-{field}")
            if isinstance(widget, Checkbox):
                values[field] = widget.value
            elif isinstance(widget, ChoiceRow):
                values[field] = widget.value or "normal"
            else:
                assert isinstance(widget, Input)
                values[field] = widget.value
        return values

    def draft_fields(self) -> dict[str, Any]:
        fields = self.values()
        if self.version is not None:
            fields["version"] = self.version
        return fields

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        for field in PROFILE_FIELDS:
            if field not in fields:
                continue
            value = fields[field]
            widget = self.query_one(f"#field-{field}")
            if isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, ChoiceRow):
                if value in PACES:
                    widget.index = PACES.index(value)
            elif isinstance(widget, Input):
                put(widget, value)
        if isinstance(fields.get("version"), int):
            self.version = fields["version"]

    def collect(self) -> dict[str, Any]:
        values = self.values()
        if self.initial is None:
            return self._validated(values, partial=False)
        typed = {k: v for k, v in values.items() if v != self._shown[k]}
        cleaned = self._validated(typed, partial=True)
        return {
            field: value
            for field, value in cleaned.items()
            if value != _cleaned(field, self.initial.get(field))
        }

    def _validated(self, values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
        try:
            return clean_profile(values, partial=partial)
        except InvalidInput as error:
            field = str(error).partition(":")[0].strip()
            if field in PROFILE_FIELDS:
                widget = self.query_one(f"#field-{field}")
                widget.focus()
                if isinstance(widget, Input):
                    widget.select_all()
            raise

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.clear_error()
