"""Real processes for the fault tests: a private Redis, a private PostgreSQL cluster,
the web (gunicorn), Celery workers, and one-off ``manage.py``-like commands.

Everything here runs on loopback ports picked free at start, in temporary folders, so
the machine's shared PostgreSQL (5432) and Redis (6379) are never stopped or touched
beyond the test's own databases. Each starter is a context manager that stops what it
started, whatever the test did to it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
import psycopg
import redis

from tests.worker import ROOT, worker_env

T = TypeVar("T")

REDIS_SERVER = "/usr/bin/redis-server"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOGS = ROOT / ".var" / "faults"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def eventually(check: Callable[[], T], *, what: str, timeout: float = 60, every: float = 0.1) -> T:
    """Poll ``check`` until it returns something true; fail saying ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what} (logs in {LOGS})")
        time.sleep(every)


def _log(name: str) -> Path:
    LOGS.mkdir(parents=True, exist_ok=True)
    return LOGS / f"{name}.log"


def _stop(process: subprocess.Popen[bytes], *, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a worker's pool processes)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(entry))
    return found


# --- Redis --------------------------------------------------------------------------


@dataclass
class PrivateRedis:
    """A redis-server of our own, without persistence: what it holds when it stops is
    gone, as after a crash of a Redis kept only in memory."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        with _log(f"redis-{self.port}").open("ab") as output:
            self.process = subprocess.Popen(
                [
                    REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

        def answers() -> bool:
            try:
                return bool(self.client().ping())
            except redis.RedisError:
                return False

        eventually(answers, what=f"the private Redis on {self.port} answers", timeout=20)

    def stop(self) -> None:
        """A clean stop (SIGTERM), as ``systemctl stop redis`` would."""
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    folder = Path(tempfile.mkdtemp(prefix="borderless-redis-"))
    server = PrivateRedis(port=free_port(), folder=folder)
    server.start()
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)


# --- PostgreSQL ---------------------------------------------------------------------


@dataclass
class PrivatePostgres:
    """A PostgreSQL 15 cluster of our own (initdb in a temporary folder, owned by the
    ``postgres`` user since the suite runs as root), on a free port."""

    port: int
    folder: Path
    log: Path
    owner: str = "postgres"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def pg_ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"), action, "-D", str(self.folder / "data"), "-l", str(self.log),
            "-w", "-t", "60", *extra,
        )  # fmt: skip

    def accepts(self) -> bool:
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=2):
                return True
        except psycopg.Error:
            return False


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="borderless-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = PrivatePostgres(port=free_port(), folder=folder, log=folder / "server.log")
    cluster._run(
        str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
    )  # fmt: skip
    options = f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
    cluster.pg_ctl("start", "-o", options)
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


# --- Our own processes --------------------------------------------------------------


@dataclass
class Web:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    pids: list[int] = field(default_factory=list)


@contextmanager
def web_server(
    *, name: str = "web", env: Mapping[str, str] | None = None, workers: int = 2
) -> Iterator[Web]:
    """gunicorn serving the platform on a free port (as in production: sync workers),
    on the test database unless ``env`` says otherwise."""
    port = free_port()
    log = _log(name)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5",
            ],
            cwd=ROOT,
            env=worker_env({"DJANGO_SETTINGS_MODULE": "config.settings_test", **(env or {})}),
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {process.returncode}; see {log}")
            try:
                httpx.get(f"{url}/healthz", timeout=5)
            except httpx.HTTPError:
                return False
            return True

        eventually(up, what="the web answers", timeout=30)
        yield Web(url=url, process=process, log=log, pids=children(process.pid))
    finally:
        _stop(process)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def children(self) -> list[int]:
        return children(self.process.pid)

    def kill_a_child(self, rng: random.Random) -> int | None:
        """SIGKILL one pool process (the parent forks a new one); its pid, if any."""
        pool = self.children()
        if not pool:
            return None
        victim = rng.choice(pool)
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
        return victim

    def text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def celery_worker(
    *,
    name: str,
    queues: str = "default,matching,notifications",
    concurrency: int = 2,
    env: Mapping[str, str] | None = None,
    include: Sequence[str] = (),
    beat: bool = False,
) -> Iterator[Worker]:
    """A Celery worker (prefork) on the test database and, unless ``env`` says another,
    the test's Redis; ready once it says so in its log, stopped warm at the end."""
    log = _log(f"worker-{name}")
    hostname = f"{name}-{os.getpid()}@localhost"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", queues,
        "--concurrency", str(concurrency), "--hostname", hostname, "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    for module in include:
        command += ["--include", module]
    if beat:
        command += ["--beat", "--schedule", str(LOGS / f"beat-{name}")]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=worker_env(env), stdout=output, stderr=subprocess.STDOUT
        )
    worker = Worker(process=process, log=log)
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the worker exited with {process.returncode}; see {log}")
            return " ready." in worker.text()

        eventually(ready, what=f"the worker {name} is ready", timeout=30)
        yield worker
    finally:
        _stop(process, timeout=30)


def run_python(code: str, *, env: Mapping[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``code`` in a fresh Django process (as a management command or beat task
    would run), on the test database unless ``env`` says otherwise; its output."""
    prelude = "import django; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=worker_env({"DJANGO_SETTINGS_MODULE": "config.settings_test", **(env or {})}),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise AssertionError(f"the command failed:\n{done.stdout.decode()}{done.stderr.decode()}")
    return done.stdout.decode()
