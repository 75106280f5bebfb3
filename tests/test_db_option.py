"""`--db` that is not a database: one line naming it, exit 2, nothing created (issue 9,
point 4): a text file, a folder, a device, an unreadable file, a URL no dialect reads,
a PostgreSQL server that refuses or hangs up."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coi.cli.app import app
from coi.store.db import CONNECT_TIMEOUT, make_engine


def refused(runner: CliRunner, db: str, *names: str) -> str:
    result = runner.invoke(app, ["--db", db, "org", "list"], catch_exceptions=False)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: --db:")
    for name in names:
        assert name in result.stderr
    return result.stderr


def test_a_text_file_is_not_a_database(runner: CliRunner, tmp_path: Path) -> None:
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    refused(runner, str(passwd), str(passwd), "not a SQLite database")
    assert passwd.read_text(encoding="utf-8") == "root:x:0:0:root:/root:/bin/bash\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["passwd"]  # no -wal, no -shm


def test_etc_passwd(runner: CliRunner) -> None:
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd here")
    refused(runner, "/etc/passwd", "/etc/passwd")


def test_a_folder_is_not_a_database(runner: CliRunner, tmp_path: Path) -> None:
    refused(runner, f"{tmp_path}/", str(tmp_path), "folder")
    assert list(tmp_path.iterdir()) == []


def test_a_device_is_not_a_database(runner: CliRunner) -> None:
    refused(runner, os.devnull, os.devnull, "not a regular file")


def test_an_unreadable_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Made unreadable by the test (chmod means nothing to root, who may run CI).
    locked = tmp_path / "locked.db"
    locked.write_bytes(b"SQLite format 3\x00")

    def no_entry(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", no_entry)
    refused(runner, str(locked), str(locked), "Permission denied")


@pytest.mark.parametrize("url", ["foo://bar", "postgresql://x@host:port/db", "sqlite+nope:///x"])
def test_a_url_coi_cannot_use(runner: CliRunner, url: str) -> None:
    refused(runner, url)


def test_a_driver_message_is_not_read_as_markup(runner: CliRunner) -> None:
    """'pip install coi[postgres]' stays whole: rich must not take [postgres] for a tag."""
    result = runner.invoke(app, ["--db", "mysql://x@y/z", "org", "list"])
    assert result.exit_code == 2
    assert "coi[postgres]" in result.stderr


def test_postgresql_that_refuses(runner: CliRunner) -> None:
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    refused(runner, f"postgresql+psycopg://nobody@127.0.0.1:{port}/x", f"127.0.0.1:{port}")


@pytest.fixture
def hangs_up() -> Iterator[int]:
    """A server that takes the connection and closes it without a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            conn, _ = server.accept()
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    yield port
    done.set()
    socket.create_connection(("127.0.0.1", port)).close()  # wakes accept() to see done
    thread.join(timeout=5)
    server.close()


def test_a_server_that_is_not_postgresql(runner: CliRunner, hangs_up: int) -> None:
    refused(runner, f"postgresql+psycopg://nobody@127.0.0.1:{hangs_up}/x", "cannot open")


def test_a_server_that_never_answers_is_given_up_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """connect_timeout bounds the wait for a server that never answers (checked without
    waiting); a URL's own connect_timeout is left to win."""
    import coi.store.db as db

    made: list[dict[str, object]] = []
    monkeypatch.setattr(db, "create_engine", lambda url, **kw: made.append(kw))
    make_engine("postgresql+psycopg://nobody@192.0.2.1/x")
    make_engine("postgresql+psycopg://nobody@192.0.2.1/x?connect_timeout=3")
    assert [m["connect_args"] for m in made] == [{"connect_timeout": CONNECT_TIMEOUT}, {}]


def test_a_new_file_is_still_a_new_database(runner: CliRunner, tmp_path: Path) -> None:
    """What --db has always done: a path that does not exist yet becomes a database."""
    result = runner.invoke(app, ["--db", str(tmp_path / "new.db"), "org", "list"])
    assert result.exit_code == 0
    assert (tmp_path / "new.db").exists()


def test_a_database_that_refuses_a_write(runner: CliRunner, example_sqlite_url: str) -> None:
    """A read-only database (here SQLite's mode=ro) refuses the write: one line, exit 2."""
    path = example_sqlite_url.removeprefix("sqlite:///")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = runner.invoke(app, ["--db", read_only, "org", "add", "New Org"])
    assert result.exit_code == 2
    assert result.stderr == "error: the database refused: attempt to write a readonly database\n"
