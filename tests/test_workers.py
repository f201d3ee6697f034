"""Worker processes: never more than the CPUs and the notes keep busy, never left
behind when the main process dies, never a reason for a run to fail (a process
limit), and a failure in one is one line (its traceback with ``-v``)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.context import ForkProcess
from pathlib import Path
from typing import Any

import pytest

from helpers import genvault
from vaultlint import pipeline
from vaultlint.cli import main
from vaultlint.pipeline import Checker, processes


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("gen") / "vault", 3000, seed=2)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("gen") / "vault", 450, seed=4)


def findings(capsys: pytest.CaptureFixture[str], vault: Path, *extra: str) -> list[Any]:
    code = main(["check", str(vault), "--no-cache", "--output-format", "json", *extra])
    captured = capsys.readouterr()
    assert code == 1 and captured.err == ""
    result: list[Any] = json.loads(captured.out)
    return result


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker processes started in this process (each one's pid)."""
    started: list[int] = []
    start = ForkProcess.start

    def counted(self: ForkProcess) -> None:
        start(self)
        assert self.pid is not None
        started.append(self.pid)

    monkeypatch.setattr(ForkProcess, "start", counted)
    return started


# --- how many -------------------------------------------------------------------------------


def test_processes_are_capped_by_cpus_and_by_the_notes_to_check() -> None:
    assert processes(300, 450, cpus=2) == 2
    assert processes(300, 450, cpus=64) == 2  # 450 notes keep two processes busy
    assert processes(300, 10_000, cpus=64) == 50
    assert processes(4, 10_000, cpus=2) == 2
    assert processes(1, 10_000, cpus=64) == 1
    assert processes(8, 199, cpus=8) == 1


def test_j_300_on_450_notes_starts_at_most_a_worker_per_cpu(
    small: Path, starts: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    serial = findings(capsys, small, "-j", "1")
    assert starts == []
    assert findings(capsys, small, "-j", "300") == serial
    assert len(starts) <= pipeline.default_jobs() - 1
    assert len(starts) <= 450 // pipeline.NOTES_PER_PROCESS - 1 == 1


def test_many_cpus_and_few_notes_start_few_workers(
    small: Path,
    starts: list[int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 64)
    serial = findings(capsys, small, "-j", "1")
    assert findings(capsys, small, "-j", "300") == serial
    assert len(starts) == 1  # 450 notes: two processes, this one and a worker


# --- a process limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("fails_from", [1, 2])
def test_a_worker_that_cannot_be_forked_leaves_its_share_to_this_process(
    small: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fails_from: int,
) -> None:
    """fork() fails with EAGAIN under a process limit (RLIMIT_NPROC, a container's pids
    limit): from the first worker on, or from the second."""
    serial = findings(capsys, small, "-j", "1")
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 4)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 40)
    monkeypatch.setattr(pipeline, "NOTES_PER_PROCESS", 20)
    started: list[int] = []
    start = ForkProcess.start

    def limited(self: ForkProcess) -> None:
        if len(started) + 1 >= fails_from:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        start(self)
        started.append(1)

    monkeypatch.setattr(ForkProcess, "start", limited)
    assert findings(capsys, small, "-j", "4") == serial
    assert len(started) == fails_from - 1


def _as_nobody() -> list[str] | None:
    """A command line that runs vaultlint under another user's process limit (root is
    not limited by RLIMIT_NPROC, so as root the run is nobody's, with an interpreter
    nobody may run: this one, or the system's of the same version)."""
    site = sysconfig.get_paths()["purelib"]  # the editable install's finder is there
    boot = f"import site, sys; site.addsitedir({site!r}); from vaultlint.cli import entry; entry()"
    if os.geteuid() != 0:
        return [sys.executable, "-c", boot]
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for python in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        try:
            probe = subprocess.run(
                [python, "-c", boot, "--version"], user=65534, capture_output=True, check=False
            )
        except OSError:  # the interpreter is in a folder that user cannot enter
            continue
        if probe.returncode == 0:
            return [python, "-c", boot]
    return None


def _processes_of(uid: int) -> int:
    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            with contextlib.suppress(OSError):
                count += os.stat(f"/proc/{pid}").st_uid == uid
    return count


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_NPROC, /proc")
def test_under_a_real_process_limit_the_run_is_serial(tmp_path: Path) -> None:
    runner = _as_nobody()
    if runner is None:
        pytest.skip("no interpreter another user can run")
    import resource

    folder = Path(tempfile.mkdtemp(prefix="vaultlint-nproc-"))  # readable by that user
    try:
        folder.chmod(0o755)
        vault = genvault(folder / "vault", 450, seed=4)
        uid = 65534 if os.geteuid() == 0 else os.getuid()

        def limit() -> None:  # this process is the user's last one: no fork may succeed
            now = _processes_of(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (now, now))

        argv = [*runner, "check", str(vault), "--no-cache", "-q"]
        argv += ["--output-format", "json"]
        serial = subprocess.run([*argv, "-j", "1"], capture_output=True, text=True, check=False)
        limited = subprocess.run(
            [*argv, "-j", "2", "-v"],
            user=uid if os.geteuid() == 0 else None,
            preexec_fn=limit,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        shutil.rmtree(folder)
    assert limited.returncode == 1, limited.stderr
    assert "Traceback" not in limited.stderr and "error" not in limited.stderr
    assert json.loads(limited.stdout) == json.loads(serial.stdout)


# --- the main process killed -----------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@contextlib.contextmanager
def _killed_parent(argv: list[str]) -> Iterator[list[int]]:
    """Start ``argv``, wait for its workers, kill it with SIGKILL: the workers' pids."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
            workers = _children(process.pid)
        assert workers, "no worker was started"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        yield workers
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _command(vault: Path, *code: str) -> list[str]:
    setup = "; ".join(code)
    run = (
        f"from vaultlint.cli import main; main({['check', str(vault), '--no-cache', '-j', '2']!r})"
    )
    return [sys.executable, "-c", f"{setup}; {run}" if setup else run]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_workers_die_within_a_second_of_the_main_process(big: Path) -> None:
    with _killed_parent(_command(big)) as workers:
        time.sleep(1)
        assert [pid for pid in workers if _alive(pid)] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_without_the_death_signal_a_worker_sees_its_parent_gone(big: Path) -> None:
    """Where the kernel cannot kill a worker with its parent, it finds out itself: the
    pipe's end (no other process holds the parent's), or its parent's pid gone."""
    command = _command(
        big,
        "from vaultlint import pipeline",
        "pipeline.sys.platform = 'not linux'",  # no prctl
    )
    with _killed_parent(command) as workers:
        deadline = time.monotonic() + 60  # at the latest once its share is parsed
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _alive(pid)] == []


# --- a worker fails ----------------------------------------------------------------------------


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug that shows in a worker process only (its notes, not this process's)."""
    main_pid = os.getpid()
    check_one = Checker.check_one

    def buggy(self: Checker, path: str) -> Any:
        if os.getpid() != main_pid:
            raise ValueError(f"cannot check {path!r}")
        return check_one(self, path)

    monkeypatch.setattr(Checker, "check_one", buggy)


def test_a_worker_failure_is_one_line(
    small: Path, failing: None, starts: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(small), "--no-cache", "-j", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "internal error" in err and "a worker process failed: ValueError: cannot check" in err
    assert starts and not any(_alive(pid) for pid in starts)


def test_with_v_a_worker_failure_shows_the_workers_traceback(
    small: Path, failing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(small), "--no-cache", "-j", "2", "-v"]) == 2
    err = capsys.readouterr().err
    assert "in the worker process:\nTraceback (most recent call last):" in err
    assert 'raise ValueError(f"cannot check {path!r}")' in err
    assert err.rstrip().splitlines()[-1].startswith("vaultlint: internal error: WorkerError")
