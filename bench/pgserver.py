"""A throwaway PostgreSQL server for the benches and the tests (tests/conftest.py):
a new cluster in a temp directory, trust authentication, a free loopback port, stopped and
removed on exit. Needs Debian's postgresql package (scripts/install-test-services.sh)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise SystemExit("PostgreSQL is missing: scripts/install-test-services.sh installs Debian's postgresql")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """The server's SQLAlchemy URL without a database (see `new_database`)."""
    import psycopg

    bindir = _bindir()
    # PostgreSQL refuses to run as root: run it as the postgres user then
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    path = Path(tempfile.mkdtemp(prefix="relazione-bench-postgres-"))
    if as_user:
        shutil.chown(path, "postgres")
    data = path / "cluster"
    subprocess.run(as_user + [str(bindir / "initdb"), "-D", str(data), "-U", "relazione", "-A", "trust",
                              "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    port = _free_port()
    log_path = path / "postgres.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(as_user + [str(bindir / "postgres"), "-D", str(data), "-h", "127.0.0.1",
                                           "-p", str(port), "-k", str(path), "-c", "fsync=off"],
                                stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"postgres exited with {proc.returncode}: {_tail(log_path)}")
            try:
                psycopg.connect(f"postgresql://relazione@127.0.0.1:{port}/postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"postgres did not answer within 60 s: {_tail(log_path)}") from None
                time.sleep(0.2)
        yield f"postgresql+psycopg://relazione@127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(path, ignore_errors=True)


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-3000:]


def new_database(server_url: str) -> str:
    import psycopg

    name = f"b{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server_url.replace('+psycopg', '')}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"
