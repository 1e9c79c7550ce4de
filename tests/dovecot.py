"""A private Dovecot IMAP server for tests: its own config, users and Maildir in a
temporary folder, listening on a free 127.0.0.1 port, stopped at teardown.

Skips when Dovecot is not installed (``apt-get install dovecot-imapd``); under
``CI=true`` a missing Dovecot fails instead (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "desk", "imap-secret"


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if found:
        return found
    reason = "Dovecot is not installed (apt-get install dovecot-imapd)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true: the IMAP tests must run")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Dovecot:
    port: int
    maildir: Path
    uid: int
    gid: int

    def deliver(self, name: str, data: bytes) -> None:
        """Put a message in the INBOX as an MTA would (new/, unseen)."""
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(data)
        os.chown(tmp, self.uid, self.gid)
        os.replace(tmp, self.maildir / "new" / name)


def _users() -> tuple[int, int, str, str]:
    """(mail uid, gid, login user, internal user) for this process."""
    if os.geteuid() == 0:  # Dovecot never reads mail as root
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid, "dovenull", "dovecot"
    me = pwd.getpwuid(os.getuid())
    return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name


@contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    root = Path(tempfile.mkdtemp(prefix="deskterm-dovecot-"))
    root.chmod(0o755)
    uid, gid, login, internal = _users()
    home = root / "home"
    maildir = home / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for path in (home, maildir, *(maildir / s for s in ("new", "cur", "tmp"))):
        os.chown(path, uid, gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{home}\n")
    port = free_port()
    (root / "dovecot.conf").write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login}
default_internal_user = {internal}
first_valid_uid = {min(uid, 500)}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    proc = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (
                        (root / "dovecot.log").read_text()
                        if (root / "dovecot.log").exists()
                        else ""
                    )
                    err = (
                        proc.stderr.read().decode()
                        if proc.poll() is not None and proc.stderr
                        else ""
                    )
                    pytest.fail(f"Dovecot did not start: {err or log}")
                time.sleep(0.1)
        yield Dovecot(port, maildir, uid, gid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
