"""The footer of the desk: Textual's, redrawn in place when only which keys are enabled
changed.

Textual's ``Footer`` removes and mounts all its keys whenever the focused widget
changes — on "/" into the search box and on escape back out — which lays out and
redraws the whole screen while the agent types. The keys shown (which key, which
action, what it says) rarely change then, only whether some are enabled; this footer
then just marks them, and rebuilds itself only when the keys themselves changed.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["DeskFooter"]


class DeskFooter(Footer):
    """A ``Footer`` that rebuilds only when its keys change, not their enabled state."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] | None = None  # the keys drawn, without enabled
        self._held = False  # see hold()
        self._due = False  # keys changed while held

    def _keys(self) -> tuple[tuple[object, ...], dict[str, bool]]:
        """What ``compose`` would show (without enabled), and each action's enabled."""
        active = self.screen.active_bindings
        keys: list[object] = [self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE]
        enabled: dict[str, bool] = {}
        for _node, binding, on, tooltip in active.values():
            if binding.show:
                keys.append((binding.key, binding.action, binding.description, tooltip))
                keys.append(binding.group)
                enabled.setdefault(binding.action, on)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            keys.append(("palette", palette[1].key, palette[1].action))
            enabled.setdefault(palette[1].action, palette[2])
        return tuple(keys), enabled

    def hold(self, held: bool) -> None:
        """Keep the keys as they are while ``held`` (the screen waits for search results:
        restyling the dimmed keys would come first); catch up when released, in the
        frame being released (a frame of its own would delay the next one)."""
        self._held = held
        if not held and self._due:
            self._due = False
            if self.is_attached and not self._mark_keys():
                self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self._held:
            self._due = True
        elif self.is_attached and screen is self.screen:
            self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        if self.is_attached and not self._mark_keys():
            await self.recompose()

    def _mark_keys(self) -> bool:
        """Dim or undim the keys shown; False if the keys themselves changed (rebuild)."""
        keys, enabled = self._keys()
        if keys != self._shown:
            self._shown = keys
            return False
        for key in self.query(FooterKey):
            on = enabled.get(key.action, not key._disabled)
            if on == key._disabled:  # changed: mark it as compose would have
                key._disabled = not on
                key.set_class(not on, "-disabled", update=False)
                # The look of "-disabled" (dim), set on the key alone: restyling the keys
                # through the stylesheet took ~5 ms on "/" and on escape, in the way of
                # the next frame (and of the output thread writing the results).
                key.styles.text_style = "none" if on else "dim"
        return True

    def watch_show_command_palette(self) -> None:
        self._shown = None  # shown or not: the keys change
