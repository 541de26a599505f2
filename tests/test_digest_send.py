"""`goodwill digest send` against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import goodwill
from certificates import make_certificate
from goodwill.digest import send as send_module
from smtp_server import Recorder, free_port, start_server

READERS = [f"reader{n:02d}@readers.example" for n in range(1, 11)]


def configure(project_dir: Path, port: int, **extra) -> None:
    lines = [
        "",
        "digest:",
        "  smtp:",
        "    host: 127.0.0.1",
        f"    port: {port}",
        "    security: none",
        '    from: "Alex Morgan <alex@morgancoaching.example>"',
        "    unsubscribe_url: https://morgancoaching.example/unsubscribe?email={email}",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    with (project_dir / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def subscribe(project_dir: Path, readers: list[str]) -> None:
    entries = "".join(f"- email: {r}\n  name: Reader {r[6:8]}\n" for r in readers)
    (project_dir / "content" / "subscribers.yaml").write_text(entries, encoding="utf-8")


def log_lines(project_dir: Path, stem: str = "2026-11-20-2") -> list[dict]:
    path = project_dir / "content" / "sent" / f"{stem}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def smtp():
    recorder = Recorder()
    controller = start_server(recorder)
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture(autouse=True)
def quick_reconnects(monkeypatch):
    monkeypatch.setattr(send_module, "RECONNECT_PAUSE", 0.01)


def test_each_reader_gets_one_well_formed_message(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:3])
    result = cli("digest", "send")
    assert result.exit_code == 0, result.output
    assert "Sent issue #2 to 3 reader(s)" in result.output
    assert smtp.recipients() == READERS[:3]
    assert smtp.sessions == 1  # one connection for every message
    ids = set()
    for (to,), message in smtp.messages:
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert message["Subject"] == "Goodwill digest #2: give first"
        assert message["From"] == "Alex Morgan <alex@morgancoaching.example>"
        assert message["To"].addresses[0].addr_spec == to
        assert message["Date"].datetime is not None
        ids.add(message["Message-ID"])
        assert message["Message-ID"].endswith("@morgancoaching.example>")
        quoted = to.replace("@", "%40")
        own = f"https://morgancoaching.example/unsubscribe?email={quoted}"
        mailto = f"mailto:alex@morgancoaching.example?subject=unsubscribe%20{quoted}"
        assert message["List-Unsubscribe"] == f"<{own}>, <{mailto}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"Unsubscribe: {own}" in text
        assert f'<a href="{own}"' in html and ">Unsubscribe</a>" in html
        assert "Give first" in text and "<style>@media" in html.replace("\n", "")
    assert len(ids) == 3
    entries = log_lines(project_dir)
    assert [e["status"] for e in entries] == ["attempt", "sent"] * 3
    second = cli("digest", "send")
    assert second.exit_code == 0 and "Nothing to send" in second.output
    assert len(smtp.messages) == 3


def test_without_https_unsubscribe_there_is_a_mailto_only(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    yml = project_dir / "goodwill.yml"
    kept = [line for line in yml.read_text().splitlines() if "unsubscribe_url" not in line]
    yml.write_text("\n".join(kept) + "\n")
    subscribe(project_dir, READERS[:1])
    assert cli("digest", "send").exit_code == 0
    [(_, message)] = smtp.messages
    assert message["List-Unsubscribe"].startswith("<mailto:alex@morgancoaching.example?subject=")
    assert message["List-Unsubscribe-Post"] is None
    assert "Unsubscribe: mailto:" in message.get_body(("plain",)).get_content()


def test_dry_run_connects_to_nothing(cli, project_dir):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    configure(project_dir, listener.getsockname()[1])
    subscribe(project_dir, READERS[:2])
    result = cli("digest", "send", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would send to 2 reader(s)" in result.output
    assert "Reader 01 <reader01@readers.example>" in result.output
    assert "Goodwill digest #2: give first" in result.output
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()
    assert not (project_dir / "content" / "sent").exists()


def test_limit_and_to(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:4])
    assert cli("digest", "send", "--limit", "3").exit_code == 0
    assert smtp.recipients() == READERS[:3]
    proof = cli("digest", "send", "--to", "me@morgancoaching.example")
    assert proof.exit_code == 0 and smtp.recipients()[-1] == "me@morgancoaching.example"
    assert cli("digest", "send", "--to", "me@morgancoaching.example").exit_code == 0  # not logged
    assert "Nothing to send" in cli("digest", "send", "--to", READERS[0]).output
    assert cli("digest", "send").exit_code == 0
    assert Counter(smtp.recipients()) == Counter([*READERS[:4], *["me@morgancoaching.example"] * 2])


def test_refused_recipients_4xx_retried_5xx_failed(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:4])
    smtp.refuse = {
        READERS[1]: "550 5.1.1 No such user here",
        READERS[2]: "451 4.3.0 Mailbox busy, try again later",
    }
    result = cli("digest", "send")
    assert result.exit_code == 1
    assert f"failed (not tried again): {READERS[1]}: 550 5.1.1 No such user here" in result.output
    assert f"deferred (tried again next run): {READERS[2]}: 451" in result.output
    assert smtp.recipients() == [READERS[0], READERS[3]]
    smtp.refuse = {}
    again = cli("digest", "send")
    assert again.exit_code == 0, again.output
    assert f"{READERS[1]}: refused for good" in again.output
    assert smtp.recipients() == [READERS[0], READERS[3], READERS[2]]
    last = {e["email"]: e["status"] for e in log_lines(project_dir)}
    assert last == dict(zip(READERS[:4], ["sent", "failed", "sent", "sent"], strict=True))


def test_a_dropped_connection_is_reopened_and_nothing_is_lost_or_doubled(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:5])
    smtp.drop_on = {3}
    result = cli("digest", "send")
    assert result.exit_code == 0, result.output
    assert smtp.recipients() == READERS[:5]
    assert smtp.sessions == 2


def test_a_server_that_keeps_dropping_stops_the_run_and_the_rerun_finishes(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:5])
    smtp.drop_on = set(range(3, 3 + send_module.RECONNECTS + 1))
    result = cli("digest", "send")
    assert result.exit_code == 1
    assert "stopped: lost the connection to 127.0.0.1" in result.output
    assert "3 not sent yet" in result.output
    assert smtp.recipients() == READERS[:2]
    assert cli("digest", "send").exit_code == 0
    assert smtp.recipients() == READERS[:5]


def test_no_subscribers_yet(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    result = cli("digest", "send")
    assert result.exit_code == 0 and "No subscribers yet" in result.output
    assert smtp.sessions == 0


def test_no_server_at_all_is_one_line(cli, project_dir):
    configure(project_dir, free_port())
    subscribe(project_dir, READERS[:1])
    result = cli("digest", "send")
    assert result.exit_code == 1 and "connection refused" in result.output
    assert "Traceback" not in result.output


def test_password_from_the_environment_never_from_goodwill_yml(cli, project_dir, monkeypatch):
    recorder = Recorder()
    controller = start_server(recorder, login=("alex", "s3cret"))
    try:
        configure(project_dir, controller.port, user="alex")
        subscribe(project_dir, READERS[:1])
        monkeypatch.delenv("GOODWILL_SMTP_PASSWORD", raising=False)
        monkeypatch.setitem(sys.modules, "keyring", None)  # no keyring installed
        missing = cli("digest", "send")
        assert missing.exit_code == 1 and "GOODWILL_SMTP_PASSWORD" in missing.output
        monkeypatch.setenv("GOODWILL_SMTP_PASSWORD", "wrong")
        refused = cli("digest", "send")
        assert refused.exit_code == 1 and "refused the login" in refused.output
        monkeypatch.setenv("GOODWILL_SMTP_PASSWORD", "s3cret")
        assert cli("digest", "send").exit_code == 0
        assert recorder.recipients() == READERS[:1]
        with (project_dir / "goodwill.yml").open("a") as handle:
            handle.write("    password: s3cret\n")
        written = cli("digest", "send", "--dry-run")
        assert "goodwill.yml:" in written.output
        assert "passwords never go in goodwill.yml" in written.output
    finally:
        controller.stop()


def test_bad_smtp_settings_are_path_line_errors(cli, project_dir):
    configure(project_dir, 99999, security="tls", rate_per_minute="fast")
    subscribe(project_dir, READERS[:1])
    result = cli("digest", "send")
    assert result.exit_code == 1
    assert "goodwill.yml:" in result.output
    for part in ("digest.smtp.port", "digest.smtp.security", "digest.smtp.rate_per_minute"):
        assert part in result.output


def test_rate_limit_spaces_the_messages(cli, project_dir, smtp):
    configure(project_dir, smtp.port, rate_per_minute=600)  # one per 0.1 s
    subscribe(project_dir, READERS[:4])
    began = time.monotonic()
    assert cli("digest", "send").exit_code == 0
    assert time.monotonic() - began >= 0.3


def test_killed_midway_then_resumed_gives_each_reader_exactly_once(project_dir, smtp):
    readers = READERS[:6]
    configure(project_dir, smtp.port, rate_per_minute=150)  # one per 0.4 s
    subscribe(project_dir, readers)
    env = dict(os.environ, PYTHONPATH=str(Path(goodwill.__file__).parents[1]))
    command = [sys.executable, "-m", "goodwill", "-C", str(project_dir), "digest", "send"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def kill_after_the_third(count: int) -> None:
        if count == 3:  # between two messages, while the sender waits for its next slot
            threading.Timer(0.2, process.send_signal, (signal.SIGKILL,)).start()

    smtp.on_accept = kill_after_the_third
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert len(smtp.messages) == 3
    smtp.on_accept = None
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert "3 reader(s) already sent this issue: skipped" in resumed.stderr
    assert Counter(smtp.recipients()) == Counter(readers)
    assert len(smtp.messages) == len(readers)


def test_names_are_encoded_and_cannot_add_headers(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    (project_dir / "content" / "subscribers.yaml").write_text(
        '- email: zoe@readers.example\n  name: "Zoë Ågren\\nBcc: evil@attacker.example"\n',
        encoding="utf-8",
    )
    assert cli("digest", "send").exit_code == 0
    [(tos, message)] = smtp.messages
    assert tos == ["zoe@readers.example"]
    assert message["Bcc"] is None and not message.defects
    assert message["To"].addresses[0].display_name == "Zoë Ågren Bcc: evil@attacker.example"


def test_the_done_when_walk(cli, project_dir, smtp):
    """From a fresh project: add two subscribers, write an issue, dry run, send, send again."""
    configure(project_dir, smtp.port)
    assert cli("subscribers", "add", "ann@readers.example", "--name", "Ann").exit_code == 0
    assert cli("subscribers", "add", "bo@readers.example").exit_code == 0
    (project_dir / "content" / "digest" / "2026-11-20-2.md").unlink()  # its entries are new again
    assert cli("digest", "fetch").exit_code == 0
    new = cli("digest", "new", "--title", "Walk-through issue")
    assert new.exit_code == 0 and "Wrote content/digest/2026-11-20-2.md" in new.output
    dry = cli("digest", "send", "--dry-run")
    assert dry.exit_code == 0 and "Would send to 2 reader(s)" in dry.output
    assert '"Walk-through issue"' in dry.output and smtp.sessions == 0
    sent = cli("digest", "send")
    assert sent.exit_code == 0 and "Sent issue #2 to 2 reader(s)" in sent.output
    assert sorted(smtp.recipients()) == ["ann@readers.example", "bo@readers.example"]
    assert {m["Subject"] for _, m in smtp.messages} == {"Walk-through issue"}
    again = cli("digest", "send")
    assert again.exit_code == 0 and "Nothing to send" in again.output
    assert len(smtp.messages) == 2


def test_a_refused_sender_stops_the_run_and_fails_no_reader(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:3])
    smtp.refuse_sender = "530 5.7.0 Authentication required"
    result = cli("digest", "send")
    assert result.exit_code == 1
    assert "the server refused the sender alex@morgancoaching.example: 530" in result.output
    assert "3 not sent yet" in result.output
    assert [e["status"] for e in log_lines(project_dir)] == ["attempt"]
    smtp.refuse_sender = ""
    assert cli("digest", "send").exit_code == 0
    assert smtp.recipients() == READERS[:3]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_trusted_certificate_and_refused_with_an_untrusted_one(
    cli, project_dir, tmp_path, monkeypatch, security
):
    certificate = make_certificate(tmp_path)
    recorder = Recorder()
    controller = start_server(recorder, tls=certificate, implicit_tls=security == "ssl")
    try:
        configure(project_dir, controller.port, security=security)
        subscribe(project_dir, READERS[:2])
        untrusted = cli("digest", "send")
        assert untrusted.exit_code == 1
        assert "TLS error: the server's certificate is not trusted" in untrusted.output
        assert recorder.messages == []
        monkeypatch.setenv("SSL_CERT_FILE", certificate[0])  # now it is trusted
        trusted = cli("digest", "send")
        assert trusted.exit_code == 0, trusted.output
        assert recorder.recipients() == READERS[:2]
    finally:
        controller.stop()


def test_a_damaged_send_log_is_a_located_error_and_a_cut_last_line_is_not(cli, project_dir, smtp):
    configure(project_dir, smtp.port)
    subscribe(project_dir, READERS[:2])
    sent = project_dir / "content" / "sent"
    sent.mkdir()
    log = sent / "2026-11-20-2.jsonl"
    log.write_text(
        '{"email": "reader01@readers.example", "status": "sent", "at": "2026-11-20T10:00:00Z"}\n'
        '{"email": "reader02@readers.example", "sta',  # a run killed while writing this line
        encoding="utf-8",
    )
    result = cli("digest", "send")
    assert result.exit_code == 0, result.output
    assert smtp.recipients() == [READERS[1]]  # reader01 was sent: never again
    assert [e["status"] for e in log_lines(project_dir)][-2:] == ["attempt", "sent"]
    log.write_text("not json\n" + log.read_text(encoding="utf-8"), encoding="utf-8")
    broken = cli("digest", "send")
    assert broken.exit_code == 1
    assert "content/sent/2026-11-20-2.jsonl:1: unreadable line in the send log" in broken.output
