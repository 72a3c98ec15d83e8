"""Private, throw-away PostgreSQL servers for the tests.

This module owns the whole life of a test cluster: ``initdb`` into a fresh temporary directory,
a free TCP port on 127.0.0.1, a Unix socket inside that directory, ``pg_ctl`` start/stop, a
simulated crash (SIGKILL of the postmaster) and removal of every file afterwards.

Why private clusters: the store tests stop, crash and misconfigure PostgreSQL on purpose (for
example ``fsync=off``, which the application must refuse). They must never do that to the
machine's own PostgreSQL service (127.0.0.1:5432), which other programs rely on. So every test
cluster is a separate server with its own data directory and port, started and stopped by us.

PostgreSQL refuses to run as root. When the tests run as root, the server binaries are run as
the ``postgres`` system user through ``runuser``, and the cluster lives in a directory under the
system temporary directory owned by that user (pytest's own temporary directories sit under
root-only parents that the ``postgres`` user cannot reach).

Only the standard library and psycopg are used, so the module works without pytest.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

USER = "teamline"
DEFAULT_DATABASE = "teamline_test"
SERVICE_USER = "postgres"
_HOST = "127.0.0.1"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Unix socket paths are limited to 107 bytes; keep clear of it.
_MAX_SOCKET_PATH = 90
_LIVE: set[PrivateCluster] = set()


def find_pg_bin() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or None when absent.

    Debian's ``/usr/lib/postgresql/<highest version>/bin`` first, then wherever ``initdb`` on
    PATH really lives (symlinks resolved).
    """
    root = Path("/usr/lib/postgresql")
    versions: list[tuple[int, Path]] = []
    if root.is_dir():
        for child in root.iterdir():
            if child.name.isdigit() and _has_server_binaries(child / "bin"):
                versions.append((int(child.name), child / "bin"))
    if versions:
        return max(versions)[1]
    initdb = shutil.which("initdb")
    if initdb is not None:
        bin_dir = Path(initdb).resolve().parent
        if _has_server_binaries(bin_dir):
            return bin_dir
    return None


def _has_server_binaries(bin_dir: Path) -> bool:
    return all((bin_dir / name).is_file() for name in ("initdb", "pg_ctl", "postgres"))


@dataclass(eq=False)
class PrivateCluster:
    """One running (or stopped) private PostgreSQL server; build it with :meth:`start`.

    ``stop()`` keeps the data so ``restart()`` works; ``close()`` (or leaving the ``with``
    block) stops the server and deletes every file. Clusters still open when the interpreter
    exits are closed then, so a failed test run leaves no server behind.
    """

    bin_dir: Path
    work_dir: Path
    socket_dir: Path
    port: int
    run_as: str | None = None
    timeout: float = 30.0
    _closed: bool = field(default=False, repr=False)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        base_dir: Path | None = None,
        settings: Mapping[str, str] | None = None,
        *,
        timeout: float = 30.0,
    ) -> PrivateCluster:
        """Create, configure and start a cluster, with database ``teamline_test`` in it.

        ``base_dir`` holds the cluster's directory when the server runs as the current user;
        when running as root the cluster goes under the system temporary directory instead (the
        ``postgres`` user must be able to reach it). ``settings`` are extra server parameters
        (``{"fsync": "off"}``) written into postgresql.conf, so they survive ``restart()``.
        """
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise RuntimeError(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
                "/usr/lib/postgresql/*/bin or on PATH; install the 'postgresql' package"
            )
        run_as = _service_user_if_root()
        parent = None if run_as is not None or base_dir is None else base_dir
        work_dir = Path(tempfile.mkdtemp(prefix="teamline-pg-", dir=parent))
        cluster = cls(bin_dir, work_dir, work_dir / "sock", 0, run_as, timeout)
        _LIVE.add(cluster)
        try:
            cluster._prepare_dirs()
            cluster._initdb()
            cluster._start_on_free_port(dict(settings or {}))
            cluster._wait_until_ready()
            cluster.create_database(DEFAULT_DATABASE)
        except BaseException:
            cluster.close()
            raise
        return cluster

    def __enter__(self) -> PrivateCluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- addresses --------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.work_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.work_dir / "postgres.log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``teamline_test`` database."""
        return self.url_for(DEFAULT_DATABASE)

    def url_for(self, dbname: str) -> str:
        return f"postgresql+psycopg://{USER}@{_HOST}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = DEFAULT_DATABASE) -> str:
        """libpq connection string, for ``psycopg.connect``."""
        return f"host={_HOST} port={self.port} user={USER} dbname={dbname} connect_timeout=5"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a plain lower-case identifier), optionally as a copy of
        ``template``; return its SQLAlchemy URL."""
        for given in (name, template or name):
            if not _NAME.match(given):
                raise ValueError(f"not a plain database name: {given!r}")
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(statement)
        return self.url_for(name)

    # -- life cycle -------------------------------------------------------------------------------

    @property
    def postmaster_pid(self) -> int | None:
        """PID of the running postmaster, or None when the server is not running."""
        pid = self._pid_from_lock_file()
        return pid if pid is not None and _alive(pid) else None

    @property
    def running(self) -> bool:
        return self.postmaster_pid is not None

    def stop(self) -> None:
        """Shut the server down cleanly (``pg_ctl stop -m fast``); the data is kept."""
        if not self.running:
            return
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-m",
            "fast",
            "-w",
            "-t",
            str(int(self.timeout)),
            "stop",
            check=False,
        )
        if result.returncode != 0 or self.running:
            self.kill()  # never leave a server behind

    def stop_immediate(self) -> None:
        """`pg_ctl stop -m immediate`: every server process quits at once without a checkpoint,
        so the next start runs crash recovery from the WAL; the data is kept."""
        if not self.running:
            return
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False)
        if self.running:
            self.kill()

    def kill(self) -> None:
        """Simulate a server crash: SIGKILL the postmaster and all its children at once.

        Only the processes die; the kernel's page cache survives, so this is not a power loss.
        """
        pid = self.postmaster_pid
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)  # no new children while we collect them
        victims = [pid, *_children(pid)]
        for victim in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + self.timeout
        while any(_alive(victim) for victim in victims):
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL processes {victims} survived SIGKILL")
            time.sleep(0.02)
        # The orphaned postmaster may linger as a zombie until init reaps it, and PostgreSQL
        # would take the zombie's PID in its lock files for a live postmaster. Every process of
        # the cluster is gone, so the lock files and the shared memory are stale: free them.
        self._release_stale_lock()

    def restart(self) -> None:
        """Stop the server if it runs (cleanly), then start it again on the same port.

        After :meth:`kill` this performs PostgreSQL's crash recovery.
        """
        self.stop()
        self._pg_ctl_start()
        self._wait_until_ready()

    def close(self) -> None:
        """Stop the server and delete the cluster's files. Safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)
        try:
            self.stop()
            self._release_stale_lock()  # left by kill() without restart()
        finally:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            if not self.socket_dir.is_relative_to(self.work_dir):
                shutil.rmtree(self.socket_dir, ignore_errors=True)

    # -- internals --------------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        socket_path = self.work_dir / "sock" / ".s.PGSQL.65535"
        if len(str(socket_path)) > _MAX_SOCKET_PATH:
            self.socket_dir = Path(tempfile.mkdtemp(prefix="teamline-pgsock-"))
        else:
            self.socket_dir.mkdir()
        for directory in {self.work_dir, self.socket_dir}:
            directory.chmod(0o755)
            self._give_to_server(directory)

    def _initdb(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            USER,
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as out:
            out.write("\n# Teamline private test cluster\ninclude 'teamline.conf'\n")

    def _start_on_free_port(self, settings: dict[str, str]) -> None:
        attempts = 3
        for attempt in range(attempts):
            self.port = _free_port()
            self._write_settings(settings)
            try:
                self._pg_ctl_start()
                return
            except RuntimeError:
                # Another process may have taken the port between choosing and binding it.
                if attempt == attempts - 1 or "could not bind" not in self._log_tail():
                    raise

    def _write_settings(self, settings: dict[str, str]) -> None:
        merged = {
            "max_connections": "50",
            "shared_buffers": "32MB",
            "lc_messages": "C",
            "logging_collector": "off",
            **settings,
            "listen_addresses": _HOST,
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
        }
        lines = [f"{key} = {_quote(value)}" for key, value in merged.items()]
        path = self.data_dir / "teamline.conf"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self._give_to_server(path)

    def _pg_ctl_start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            str(int(self.timeout)),
            "start",
            check=True,
        )

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                with psycopg.connect(self.conninfo("postgres")) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"private PostgreSQL on port {self.port} not ready after "
                        f"{self.timeout:.0f} s: {exc}\n--- server log ---\n{self._log_tail()}"
                    ) from exc
                time.sleep(0.1)

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin_dir / program), *args]
        if self.run_as is not None:
            argv = ["runuser", "-u", self.run_as, "--", *argv]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        result = subprocess.run(
            argv,
            cwd=self.work_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.timeout + 30,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{program} failed (exit {result.returncode}): {' '.join(argv)}\n"
                f"{result.stdout}{result.stderr}\n--- server log ---\n{self._log_tail()}"
            )
        return result

    def _give_to_server(self, path: Path) -> None:
        if self.run_as is not None:
            entry = pwd.getpwnam(self.run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _pid_from_lock_file(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text(encoding="utf-8").split("\n")[0]
        except (FileNotFoundError, IndexError):
            return None
        return int(first) if first.strip().isdigit() else None

    def _release_stale_lock(self) -> None:
        """Free the lock files and SysV segment of a dead postmaster (clean shutdowns do it)."""
        socket_file = self.socket_dir / f".s.PGSQL.{self.port}"
        for stale in (socket_file, socket_file.with_name(f"{socket_file.name}.lock")):
            stale.unlink(missing_ok=True)
        lock_file = self.data_dir / "postmaster.pid"
        try:
            lines = lock_file.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        if len(lines) >= 7 and len(lines[6].split()) == 2:
            key, shmid = (int(part) for part in lines[6].split())
            _remove_unattached_segment(key, shmid)
        lock_file.unlink(missing_ok=True)

    def _log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _service_user_if_root() -> str | None:
    """None when we can run the server ourselves; else the user to run it as (root only)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise RuntimeError(
            f"PostgreSQL refuses to run as root and there is no '{SERVICE_USER}' system user "
            "to run the private test cluster as; run the tests as an ordinary user or create it"
        ) from None
    if shutil.which("runuser") is None:
        raise RuntimeError(
            f"PostgreSQL refuses to run as root and 'runuser' (util-linux) is missing, so the "
            f"private test cluster cannot run as the '{SERVICE_USER}' user"
        )
    return SERVICE_USER


def _quote(value: str) -> str:
    escaped = value.replace("'", "''")
    return f"'{escaped}'"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc, or None when it does not exist."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rpartition(")")[2].split()
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] not in {"Z", "X"}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[1] == pid:
                found.append(int(entry.name))
    return found


def _remove_unattached_segment(key: int, shmid: int) -> None:
    """Remove SysV segment ``shmid`` if it still carries ``key`` and nobody is attached."""
    try:
        table = Path("/proc/sysvipc/shm").read_text(encoding="utf-8").splitlines()[1:]
    except OSError:
        return
    # Columns: key shmid perms size cpid lpid nattch ...
    rows = [row.split() for row in table]
    if not any(int(r[0]) == key and int(r[1]) == shmid and r[6] == "0" for r in rows):
        return
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        ipc_rmid = 0
        ctypes.CDLL(libc_name, use_errno=True).shmctl(shmid, ipc_rmid, None)


@atexit.register
def _close_leftovers() -> None:
    for cluster in list(_LIVE):
        with contextlib.suppress(Exception):
            cluster.close()
