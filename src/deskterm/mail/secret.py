"""Passwords come from a command (``password_command``), as in mutt and aerc.

The password is never written in a settings file, a log or an error message: errors
say which command failed and how, never what it printed.
"""

from __future__ import annotations

import subprocess

from deskterm.errors import DeskError

TIMEOUT = 30.0


class PasswordError(DeskError):
    """``password_command`` could not be run or failed (exit code 1)."""


def run_password_command(command: str, what: str) -> str:
    """The first line the command prints; "" when no command is set."""
    if not command.strip():
        return ""
    try:
        done = subprocess.run(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PasswordError(f"{what}: password_command took over {TIMEOUT:.0f}s") from None
    except OSError as exc:
        raise PasswordError(f"{what}: password_command could not run: {exc.strerror}") from None
    if done.returncode != 0:
        raise PasswordError(f"{what}: password_command failed (exit status {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise PasswordError(f"{what}: password_command printed no password")
    return lines[0]
