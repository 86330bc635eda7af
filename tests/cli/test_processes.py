"""The real `crewbase` executable in child processes, on a SQLite database of their own."""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CREWBASE = str(Path(sys.executable).parent / "crewbase")
# Waits for child processes to come up; generous because CI machines vary. Not assertions.
STARTUP_WAIT = 60


def child_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SMTP_URL")
    }
    env.pop("CREWBASE_BASE_URL", None)
    env["CREWBASE_DATA_DIR"] = str(data_dir)
    return env


def crewbase(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CREWBASE, *args],
        env=child_env(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def migrated(path: Path) -> Path:
    done = crewbase(path, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return migrated(tmp_path_factory.mktemp("crewbase-cli"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["create-account", "--name", "X", "--owner-email", "nope"],
            "crewbase create-account: error: --owner-email: is not a valid email address",
        ),
        (
            ["invite", "--account", "4242", "--role", "agent", "a@example.com"],
            "crewbase invite: error: --account: no account with id '4242'",
        ),
        (
            ["token", "create", "--account", "4242", "--email", "a@example.com",
             "--scopes", "users.view", "--expires", "1d"],
            "crewbase token: error: --account: no account with id '4242'",
        ),
        (
            ["serve", "--port", "70000"],
            "crewbase serve: error: --port: 70000 is not a port number (0 to 65535)",
        ),
        (
            ["create-account", "--name", "X"],
            "crewbase create-account: error: the following arguments are required: --owner-email",
        ),
        (
            ["export", "everything", "--account", "1", "--format", "csv"],
            "crewbase export: error: argument what: invalid choice: 'everything'",
        ),
        (
            ["create-account", "--name", "X", "--owner-email", "a@x.test", "--user-limit", "ten"],
            "crewbase create-account: error: argument --user-limit: invalid int value: 'ten'",
        ),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_plain_message_and_no_traceback(data_dir, args, message):
    done = crewbase(data_dir, *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    # Our own errors are one line; argparse's put a usage line before theirs.
    assert lines[-1].startswith(message), done.stderr
    assert len(lines) == 1 or lines[0].startswith("usage: crewbase")
    assert done.stdout == ""


def test_a_database_that_was_never_migrated_is_a_plain_error(tmp_path):
    done = crewbase(tmp_path, "demo")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "has `crewbase migrate` been run?" in done.stderr.strip().splitlines()[-1]


def test_create_account_then_invite_from_stdin_then_export_across_processes(data_dir):
    created = crewbase(
        data_dir, "create-account", "--name", "Process Co", "--owner-email", "boss@process.example"
    )
    assert created.returncode == 0, created.stderr
    account_id = re.search(r"^account id: (\d+)$", created.stdout, re.M).group(1)
    assert re.search(r"^set-password link \(one-time\): http\S+$", created.stdout, re.M)

    invited = crewbase(
        data_dir, "invite", "--account", account_id, "--role", "Agent", "-",
        stdin="one@process.example\ntwo@process.example, ONE@process.example\n",
    )  # fmt: skip
    assert invited.returncode == 0, invited.stderr
    assert "2 invited, 0 skipped, 0 already invited" in invited.stdout

    exported = crewbase(data_dir, "export", "members", "--account", account_id, "--format", "json")
    assert exported.returncode == 0, exported.stderr
    members = {m["email"]: m for m in json.loads(exported.stdout)}
    assert set(members) == {"boss@process.example", "one@process.example", "two@process.example"}
    assert members["one@process.example"]["status"] == "invited"


class Server:
    """`crewbase serve` in a child process; reads the address gunicorn reports."""

    def __init__(self, data_dir: Path, *args: str):
        self.process = subprocess.Popen(
            [CREWBASE, "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1", *args],
            env=child_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        match = self.wait_for(r"Listening at: (http://127\.0\.0\.1:\d+) \((\d+)\)")
        self.url, self.gunicorn_pid = match.group(1), int(match.group(2))

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + STARTUP_WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"never saw {pattern!r} in:\n{''.join(self.output)}")

    def get(self, path: str) -> tuple[int, str]:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.status, response.read().decode()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STARTUP_WAIT)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_serve_answers_on_the_port_it_was_given_and_stops_on_sigterm(data_dir):
    server = Server(data_dir, "--no-worker")
    try:
        status, body = server.get("/accounts/login/")
        assert status == 200
        assert 'name="password"' in body
    finally:
        returncode = server.stop()
    assert returncode == 0
    assert gone(server.gunicorn_pid)
    assert (data_dir / "static").is_dir()  # collectstatic ran before gunicorn started


def test_make_run_sequence_demo_then_serve_delivers_the_demo_invitations(tmp_path):
    data_dir = migrated(tmp_path)
    for _ in range(2):
        demo = crewbase(data_dir, "demo")
        assert demo.returncode == 0, demo.stderr
    assert "nothing added" in demo.stderr
    server = Server(data_dir)  # with the background worker
    try:
        mailbox = data_dir / "mailbox"
        deadline = time.monotonic() + STARTUP_WAIT
        while time.monotonic() < deadline and len(list(mailbox.glob("*.eml"))) < 3:
            time.sleep(0.2)
        assert len(list(mailbox.glob("*.eml"))) == 3
        status, body = server.get("/dev/mailbox/")
        assert status == 200
        assert "nina@acme.test" in body and "priya@acme.test" in body
    finally:
        returncode = server.stop()
    assert returncode == 0
    assert gone(server.gunicorn_pid)


def test_help_lists_the_commands_and_each_command_describes_itself(tmp_path):
    overview = crewbase(tmp_path)
    assert overview.returncode == 0
    for name in ("serve", "worker", "create-account", "invite", "export", "token", "demo"):
        assert f"\n  {name} " in overview.stdout
    for args in (["create-account", "--help"], ["help", "create-account"]):
        described = crewbase(tmp_path, *args)
        assert described.returncode == 0, described.stderr
        assert described.stdout.startswith("usage: crewbase create-account")
        assert "--owner-email" in described.stdout
