"""The fault helpers themselves: a private cluster that stops and starts, a proxy that cuts.

Each fault is checked against the real server, so a helper that stopped faulting (a proxy
that forwards the answer to COMMIT after all) fails here, not silently in other tests.
"""

from __future__ import annotations

import psycopg
import pytest


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_cluster_stops_and_starts_on_the_same_port(pg_cluster) -> None:
    with psycopg.connect(_plain(pg_cluster.url)) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    pg_cluster.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(_plain(pg_cluster.url), connect_timeout=2)
    pg_cluster.start()
    with psycopg.connect(_plain(pg_cluster.url)) as conn:
        conn.execute("CREATE TABLE kept (n int)")
    pg_cluster.restart()
    assert pg_cluster.psql("SELECT count(*) FROM kept") == "0"


def test_proxy_refuses_then_accepts_again(pg_cluster, tcp_proxy) -> None:
    proxy = tcp_proxy(pg_cluster.port)
    url = _plain(pg_cluster.url_at(proxy.port))
    psycopg.connect(url).close()
    proxy.refuse()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    proxy.listen()
    psycopg.connect(url).close()


def test_proxy_cuts_every_open_connection(pg_cluster, tcp_proxy) -> None:
    proxy = tcp_proxy(pg_cluster.port)
    with psycopg.connect(_plain(pg_cluster.url_at(proxy.port))) as conn:
        conn.execute("SELECT 1")
        assert proxy.cut_all() == 1
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")


@pytest.mark.parametrize("prepare", [False, True], ids=["simple", "extended"])
def test_proxy_cut_after_commit_stores_but_never_answers(pg_cluster, tcp_proxy, prepare) -> None:
    pg_cluster.psql("CREATE TABLE notes (text text)")
    proxy = tcp_proxy(pg_cluster.port)
    proxy.cut_after_commit()
    conn = psycopg.connect(_plain(pg_cluster.url_at(proxy.port)))
    conn.execute("INSERT INTO notes VALUES ('called about the refund')")
    with pytest.raises(psycopg.OperationalError):
        if prepare:  # the COMMIT sent through Parse/Bind/Execute/Sync
            conn.execute("COMMIT", prepare=True)
        else:
            conn.commit()
    conn.close()
    assert proxy.commits_cut == 1
    assert pg_cluster.psql("SELECT text FROM notes") == "called about the refund"
