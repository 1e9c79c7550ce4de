"""The footer shows the keys of what has focus, whether it was rebuilt or only updated."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from deskterm.tui.app import DeskApp
from deskterm.tui.widgets.footer import DeskFooter


def footer_keys(app: DeskApp) -> list[tuple[str, str, bool]]:
    """The footer as shown: each key, what it says, and whether it is dimmed."""
    footer = app.screen.query_one(DeskFooter)
    return [
        (k.key_display, k.description, k.has_class("-disabled")) for k in footer.query(FooterKey)
    ]


def expected_keys(app: DeskApp) -> list[tuple[str, str, bool]]:
    """What Textual's own footer would show for the screen's active bindings now."""
    footer = app.screen.query_one(DeskFooter)
    shown: dict[str, tuple[str, str, bool]] = {}
    for _node, binding, enabled, _tooltip in app.screen.active_bindings.values():
        if binding.show and binding.action not in shown:
            shown[binding.action] = (app.get_key_display(binding), binding.description, not enabled)
    keys = list(shown.values())
    palette = app.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if footer.show_command_palette and palette is not None:
        keys.append((app.get_key_display(palette[1]), palette[1].description, not palette[2]))
    return keys


async def test_the_footer_follows_focus_into_the_search_and_back(app, settle) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        on_queue = footer_keys(app)
        assert on_queue == expected_keys(app) and on_queue
        await pilot.press("slash", "m", "a")
        await settle(pilot)
        assert footer_keys(app) == expected_keys(app)
        await pilot.press("escape")
        await settle(pilot)
        assert footer_keys(app) == on_queue == expected_keys(app)


async def test_a_key_enabled_again_is_no_longer_dimmed(app, settle) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(DeskFooter)
        key = footer.query(FooterKey).first()
        key._disabled = True
        key.set_class(True, "-disabled")  # as if its action had been unavailable
        app.screen.refresh_bindings()
        await settle(pilot)
        assert footer_keys(app) == expected_keys(app)
        assert not footer.query(FooterKey).first().has_class("-disabled")


async def test_the_footer_keeps_its_keys_while_typing_and_its_letters_type(app, settle) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        on_queue = footer_keys(app)
        await pilot.press("slash", "q", "f", "slash", "question_mark", "a")
        await settle(pilot)
        assert app.screen.search_box.value == "qf/?a"  # letters, not quit or a window
        typing = footer_keys(app)
        assert [k[:2] for k in typing] == [k[:2] for k in on_queue]  # the same keys
        dimmed = {shown for shown, _what, off in typing if off}
        assert {"q", "f", "/", "?", "a"} <= dimmed
        assert ("esc", "Clear", False) in typing
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.search_box.value == "" and footer_keys(app) == on_queue
        assert ("esc", "Clear", True) in on_queue  # nothing to clear: dimmed
