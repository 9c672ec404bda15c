"""Servers for the server backend's tests, started on 127.0.0.1 in temporary folders.

PostgreSQL from Debian's package (initdb + pg_ctl; as the `postgres` user when the tests run as
root, since the server refuses root) and `chroma run` from the chromadb package. Each start
returns None with the reason when it cannot start, so the caller skips with that message.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    url: str
    process: subprocess.Popen | None
    stop: list[str] | None = None
    user: str | None = None

    def close(self) -> None:
        if self.stop:
            subprocess.run(_as(self.user, self.stop), capture_output=True, timeout=60)
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as(user: str | None, command: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *command] if user else command


def _postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def start_postgres(folder: Path) -> tuple[Server | None, str]:
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None, "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    user = None
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no postgres user to run the server as"
        if not shutil.which("runuser"):
            return None, "running as root and runuser is missing"
        user = "postgres"
    data = folder / "pgdata"
    data.mkdir(parents=True)
    if user:
        shutil.chown(folder, user)
        shutil.chown(data, user)
    port = free_port()
    done = subprocess.run(_as(user, [initdb, "-D", str(data), "-A", "trust", "-U", "juesuan", "-E", "UTF8",
                                     "--locale=C.UTF-8"]), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None, f"initdb failed: {done.stderr.strip()[-300:]}"
    options = f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off -c full_page_writes=off"
    done = subprocess.run(_as(user, [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "pg.log"), "-w",
                                     "-t", "60", "start"]), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        log = (folder / "pg.log").read_text(errors="replace")[-300:] if (folder / "pg.log").exists() else ""
        return None, f"PostgreSQL did not start: {done.stderr.strip()[-200:]} {log}"
    return Server(f"postgresql://juesuan@127.0.0.1:{port}/postgres", None,
                  [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user), ""


def start_chroma(folder: Path) -> tuple[Server | None, str]:
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        return None, f"no chroma command beside {sys.executable}"
    port = free_port()
    log = open(folder / "chroma.log", "wb")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen([str(chroma), "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None, f"chroma run exited: {(folder / 'chroma.log').read_text(errors='replace')[-300:]}"
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(f"{url}/api/v2/heartbeat",
                                                                                  timeout=2):
                return Server(url, process), ""
        except OSError:
            time.sleep(0.3)
    process.kill()
    return None, "chroma run did not answer within 60 s"
