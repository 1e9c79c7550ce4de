"""Real faults for tests: a throw-away PostgreSQL cluster and a TCP proxy that cuts wires.

``pg_cluster`` starts a private PostgreSQL (initdb/pg_ctl from Debian's server package)
on a free 127.0.0.1 port; a test stops, starts and restarts it under a running desk.
The tests run as root, which PostgreSQL refuses, so the server runs as the ``postgres``
user (``runuser``) on a data directory owned by it. initdb runs once per session into a
template that each test copies, so a fresh cluster costs a copy and a start.

``tcp_proxy(port)`` puts a proxy in front of a server port that can refuse new
connections, cut every open one, or cut a connection right after it forwarded a
``COMMIT`` and the server answered (the ambiguous commit: stored, but never told).

Without the server package the tests that need it skip, except under ``CI=true``,
where they fail (``.ci/run`` installs the package).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
RUN_AS = "postgres"
_live: set[PgCluster | PgTemplate] = set()


def pg_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, or None."""
    override = os.environ.get("DESKTERM_PG_BINDIR")
    if override:
        return Path(override) if (Path(override) / "initdb").exists() else None
    found = []
    for initdb in PG_ROOT.glob("*/bin/initdb"):
        version = initdb.parent.parent.name
        key = tuple(int(p) for p in re.findall(r"\d+", version))
        found.append((key, initdb.parent))
    return max(found)[1] if found else None


def require_server() -> Path:
    """The bin directory, or skip (fail under CI=true) saying what is missing."""
    bindir = pg_bindir()
    if bindir is not None and (os.geteuid() != 0 or shutil.which("runuser")):
        return bindir
    reason = (
        f"no PostgreSQL server (initdb) under {PG_ROOT}: install Debian's postgresql package"
        if bindir is None
        else "runuser is missing: cannot run PostgreSQL as the postgres user"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the fault tests must run)")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server(argv: list[str]) -> list[str]:
    return ["runuser", "-u", RUN_AS, "--", *argv] if os.geteuid() == 0 else argv


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, RUN_AS, RUN_AS)


class PgTemplate:
    """A data directory made by initdb once, copied for every cluster."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="deskterm-pgtemplate-"))
        _own(self.root)
        self.data = self.root / "data"
        argv = [str(bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        argv += ["-E", "UTF8", "--locale=C", "--no-sync"]
        done = subprocess.run(_as_server(argv), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(self.root, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        _live.add(self)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        _live.discard(self)


class PgCluster:
    """A private PostgreSQL server: ``start()``, ``stop()`` (fast), ``restart()``, ``url``."""

    def __init__(self, template: PgTemplate) -> None:
        self.bindir = template.bindir
        self.root = Path(tempfile.mkdtemp(prefix="deskterm-pg-"))
        _own(self.root)
        self.data = self.root / "data"
        subprocess.run(["cp", "-a", str(template.data), str(self.data)], check=True)
        self.log = self.root / "server.log"
        self.port = free_port()
        self.running = False
        _live.add(self)

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's ``postgres`` database."""
        return self.url_at(self.port)

    def url_at(self, port: int) -> str:
        """The same database reached through another port (a proxy in front of it)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = _as_server([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args])
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl {args[0]} failed: {done.stderr.strip()}\n{tail}")
        return done

    def start(self) -> None:
        """Start on ``self.port`` and wait until it accepts connections."""
        if self.running:
            return
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self._ctl("start", "-w", "-t", "60", "-l", str(self.log), "-o", options)
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: open sessions are cut, transactions roll back)."""
        if not self.running:
            return
        self._ctl("stop", "-w", "-t", "60", "-m", mode)
        self.running = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def psql(self, sql: str) -> str:
        """Run ``sql`` with psql as the server user; its output, unaligned."""
        argv = [str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        argv += ["-U", "postgres", "-d", "postgres", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def remove(self) -> None:
        """Stop at once (whatever state it is in) and delete the data directory."""
        if self.running or (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-w", "-m", "immediate", check=False)
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)
        _live.discard(self)


@atexit.register
def _stop_leftovers() -> None:  # an interrupted session leaves no server or folder behind
    for cluster in sorted(_live, key=lambda x: isinstance(x, PgTemplate)):  # templates last
        cluster.remove()


# -- the proxy ---------------------------------------------------------------------------

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104
_COMMIT = re.compile(rb"^\s*(COMMIT|END)\b", re.IGNORECASE)


class _Wire:
    """One proxied connection: the client socket, the server socket, and their pumps."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.buffer = b""
        self.started = False  # the startup message has gone by
        self.swallow = threading.Event()  # a COMMIT went through: keep its answer back
        self.closed = False
        self.lock = threading.Lock()
        self.commit_statements: set[bytes] = set()
        self.bound_commit = False
        self.executing_commit = False

    def pump_up(self) -> None:
        """Client → server, watching the PostgreSQL messages for a COMMIT."""
        try:
            while chunk := self.client.recv(65536):
                self.buffer += chunk
                for message in self._messages():
                    if self._commits(message) and self.proxy.take_commit_cut():
                        self.swallow.set()  # before sending: the answer may be quick
                        self.server.sendall(message + self.buffer)
                        self.proxy.commit_answered.wait(5)
                        break
                    self.server.sendall(message)
                if self.swallow.is_set():
                    break
        except OSError:
            pass
        self.close()

    def pump_down(self) -> None:
        """Server → client, unless a cut COMMIT's answer must never arrive."""
        try:
            while chunk := self.server.recv(65536):
                if self.swallow.is_set():
                    self.proxy.commits_cut += 1
                    self.proxy.commit_answered.set()
                    break
                self.client.sendall(chunk)
        except OSError:
            pass
        self.close()

    def _messages(self) -> Iterator[bytes]:
        """Whole messages from the buffer (the startup ones have no type byte)."""
        while True:
            if not self.started:
                if len(self.buffer) < 8:
                    return
                size, code = struct.unpack("!ii", self.buffer[:8])
                if len(self.buffer) < size:
                    return
                message, self.buffer = self.buffer[:size], self.buffer[size:]
                if code not in (_SSL_REQUEST, _GSS_REQUEST):
                    self.started = True
                yield message
                continue
            if len(self.buffer) < 5:
                return
            size = struct.unpack("!i", self.buffer[1:5])[0]
            if len(self.buffer) < size + 1:
                return
            message, self.buffer = self.buffer[: size + 1], self.buffer[size + 1 :]
            yield message

    def _commits(self, message: bytes) -> bool:
        """Whether the server commits on this message: a simple Query 'Q' of COMMIT, or
        the Sync 'S' after an Execute of a statement Parsed ('P') from COMMIT."""
        kind, body = message[:1], message[5:]
        if kind == b"Q":
            return bool(_COMMIT.match(body))
        if kind == b"P":
            name, _, rest = body.partition(b"\0")
            if _COMMIT.match(rest):
                self.commit_statements.add(name)
            else:
                self.commit_statements.discard(name)
        elif kind == b"B":
            _portal, _, rest = body.partition(b"\0")
            self.bound_commit = rest.partition(b"\0")[0] in self.commit_statements
        elif kind == b"E":
            self.executing_commit = self.executing_commit or self.bound_commit
        elif kind == b"S":
            executing, self.executing_commit = self.executing_commit, False
            return executing
        return False

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self.proxy.forget(self)


class TcpProxy:
    """A proxy on 127.0.0.1 in front of ``target_port`` that can fail on purpose."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.wires: set[_Wire] = set()
        self.connections = 0  # accepted so far
        self.commits_cut = 0
        self.commit_answered = threading.Event()
        self._cut_commits = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.listen()

    # -- the faults -----------------------------------------------------------------------
    def refuse(self) -> None:
        """Close the listening socket: new connections are refused (open ones stay)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def listen(self) -> None:
        """Accept connections again (on the same port)."""
        if self._listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut_all(self) -> int:
        """Cut every open connection; how many were cut."""
        with self._lock:
            wires = list(self.wires)
        for wire in wires:
            wire.close()
        return len(wires)

    def cut_after_commit(self, times: int = 1) -> None:
        """Cut the next ``times`` connections that send COMMIT, after the server answers it."""
        with self._lock:
            self._cut_commits += times
            self.commit_answered.clear()

    # -- plumbing -------------------------------------------------------------------------
    def take_commit_cut(self) -> bool:
        with self._lock:
            if self._cut_commits <= 0:
                return False
            self._cut_commits -= 1
            return True

    def forget(self, wire: _Wire) -> None:
        with self._lock:
            self.wires.discard(wire)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()  # the server behind is down: so is the connection
                continue
            wire = _Wire(self, client, server)
            with self._lock:
                self.wires.add(wire)
                self.connections += 1
            threading.Thread(target=wire.pump_up, daemon=True).start()
            threading.Thread(target=wire.pump_down, daemon=True).start()

    def close(self) -> None:
        self.refuse()
        self.cut_all()


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_template() -> Iterator[PgTemplate]:
    template = PgTemplate(require_server())
    yield template
    template.remove()


@pytest.fixture
def pg_cluster(pg_template: PgTemplate) -> Iterator[PgCluster]:
    """A running private PostgreSQL cluster, stopped and deleted after the test."""
    cluster = PgCluster(pg_template)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def tcp_proxy() -> Iterator[Callable[[int], TcpProxy]]:
    """``tcp_proxy(port)``: a proxy in front of ``port``, closed after the test."""
    proxies: list[TcpProxy] = []

    def make(port: int) -> TcpProxy:
        proxy = TcpProxy(port)
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.close()
