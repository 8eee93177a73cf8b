"""Mail settings (issue classes 8 and 9): line-separated recipients, control characters,
clear-text passwords to another host, a .env others can read, and failures that say the
cause in Chinese before the technical detail."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import threading
from pathlib import Path

import pytest

from analysis.deliver import mail, mail_checks, smtp_settings
from analysis.errors import ConfigError, MailError

PASSWORD = "Zq7-密码-UNIQUE-pw-93817"
KEYS = ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "SENDER", "RECIPIENTS", "TIMEOUT")


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Write a .env (mode 0600 unless given) and read the settings from it alone."""
    for key in (*KEYS, "ALLOW_PLAINTEXT"):
        monkeypatch.delenv(smtp_settings.ENV_PREFIX + key, raising=False)

    def settings(lines: dict[str, str], mode: int = 0o600) -> smtp_settings.SmtpSettings:
        path = tmp_path / ".env"
        text = "".join(f"{smtp_settings.ENV_PREFIX}{k}={v}\n" for k, v in lines.items())
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        return smtp_settings.SmtpSettings.from_env(path)

    return settings


@pytest.mark.parametrize(
    "written",
    [
        '"a@example.cn\\nb@example.cn"',
        '"a@example.cn\\r\\nb@example.cn"',
        '"a@example.cn\\rb@example.cn"',  # a lone CR: a new mail header if left in
        '"a@example.cn,\\r\\n  b@example.cn；"',
    ],
)
def test_line_separated_recipients_are_several_addresses(env, tmp_path, written):
    settings = env({"RECIPIENTS": written, "SENDER": "briefing@example.cn"})
    assert settings.recipients == ("a@example.cn", "b@example.cn")
    msg = mail.build_message("<p>x</p>", None, "主题", settings.sender, settings.recipients)
    assert msg["To"] == "a@example.cn, b@example.cn"


@pytest.mark.parametrize(
    ("name", "written", "shown"),
    [
        ("RECIPIENTS", '"a@example.cn\x00"', "U+0000"),  # the characters themselves
        ("RECIPIENTS", '"王科长\x1b[31m <a@example.cn>"', "U+001B"),
        ("RECIPIENTS", '"a@example.cn\\tb@example.cn"', "U+0009"),
        ("RECIPIENTS", '"a\u202e@example.cn"', "U+202E"),
        ("SENDER", '"a@example.cn\x0bBcc: all@example.cn"', "U+000B"),
    ],
)
def test_an_address_with_a_control_character_is_refused_naming_file_and_line(
    env, tmp_path, name, written, shown
):
    with pytest.raises(ConfigError) as info:
        env({"HOST": "127.0.0.1", name: written})
    assert str(info.value).startswith(f"配置文件 {tmp_path / '.env'} 第 2 行：")
    assert "控制字符" in str(info.value) and shown in str(info.value)


def test_a_sender_line_break_is_not_a_second_sender(env):
    with pytest.raises(ConfigError, match="发件人只能有一个地址"):
        env({"SENDER": '"a@example.cn\\r\\nBcc: all@example.cn"'})


def _plain(host: str, **more) -> dict[str, str]:
    lines = {"HOST": host, "SECURITY": "none", "USER": "analyst", "PASSWORD": PASSWORD}
    return lines | {"SENDER": "a@example.cn", "RECIPIENTS": "b@example.cn"} | more


@pytest.mark.parametrize(
    "host", ["smtp.example.cn", "10.0.0.5", "127.0.0.1.example.cn", "localhost.example.cn", "::2"]
)
def test_a_clear_text_password_to_another_host_needs_a_second_setting(env, host):
    settings = env(_plain(host))
    with pytest.raises(ConfigError) as info:
        settings.check()
    assert "以明文发往" in str(info.value) and "BRIEFING_SMTP_ALLOW_PLAINTEXT=1" in str(info.value)
    assert PASSWORD not in str(info.value)
    msg = mail.build_message("<p>x</p>", None, "主题", "a@example.cn", ["b@example.cn"])
    with pytest.raises(ConfigError):
        mail.send(msg, settings)  # refused before any connection
    env(_plain(host, ALLOW_PLAINTEXT="1")).check()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"])
def test_this_machine_needs_no_second_setting(env, host):
    env(_plain(host)).check()


def test_without_a_password_none_is_only_unencrypted(env):
    lines = _plain("smtp.example.cn")
    del lines["USER"], lines["PASSWORD"]
    env(lines).check()


def test_a_bad_second_setting_names_the_file_and_line(env, tmp_path):
    with pytest.raises(ConfigError) as info:
        env(_plain("smtp.example.cn", ALLOW_PLAINTEXT="maybe"))
    assert str(info.value).startswith(f"配置文件 {tmp_path / '.env'} 第 7 行：")


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_a_password_file_others_can_read_is_named(env, tmp_path, caplog, mode, warned):
    with caplog.at_level(logging.WARNING):
        env({"PASSWORD": PASSWORD}, mode=mode)
    shown = "\n".join(r.getMessage() for r in caplog.records)
    assert ("chmod 600" in shown) is warned
    if warned:
        assert f"{tmp_path / '.env'}" in shown and f"{mode:04o}" in shown
    assert PASSWORD not in shown


def test_a_readable_file_without_a_password_is_not_a_worry(env, caplog):
    with caplog.at_level(logging.WARNING):
        env({"HOST": "127.0.0.1"}, mode=0o644)
    assert "chmod" not in caplog.text


def _settings(port: int, security: str = "ssl") -> smtp_settings.SmtpSettings:
    return smtp_settings.SmtpSettings(
        host="127.0.0.1",
        port=port,
        security=security,  # type: ignore[arg-type]
        user="analyst",
        password=PASSWORD,
        sender="a@example.cn",
        recipients=("b@example.cn",),
        timeout=5,
    )


@pytest.fixture
def plain_smtp_port():
    """A loopback server that greets in plain text, whatever the client tries."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve():
        with server:
            conn, _ = server.accept()
            with conn:
                conn.sendall(b"220 plain.example ESMTP\r\n")
                conn.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    thread.join()


def _failure(settings: smtp_settings.SmtpSettings) -> str:
    msg = mail.build_message("<p>x</p>", None, "主题", "a@example.cn", ["b@example.cn"])
    with pytest.raises(MailError) as info:
        mail.send(msg, settings)
    text = str(info.value)
    assert PASSWORD not in text
    cause, _, detail = text.partition("技术细节：")
    assert detail and cause.isascii() is False
    return cause


def test_an_ssl_failure_says_the_cause_first(plain_smtp_port):
    cause = _failure(_settings(plain_smtp_port, "ssl"))
    assert "加密连接（SSL/TLS）建立失败" in cause


def test_a_refused_connection_says_the_cause_first():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    assert "服务器拒绝连接" in _failure(_settings(port, "starttls"))


@pytest.mark.parametrize(
    ("raised", "words"),
    [
        (socket.gaierror(-2, "Name or service not known"), "找不到服务器"),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), "证书无法验证"),
        (TimeoutError("timed out"), "连接超时"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "中途断开"),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), "STARTTLS"),
        (OSError(101, "Network is unreachable"), "网络不可达"),
    ],
)
def test_each_connection_failure_says_its_cause_in_chinese(monkeypatch, raised, words):
    def refuse(*args, **kwargs):
        raise raised

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setattr(smtplib, "SMTP_SSL", refuse)
    assert words in _failure(_settings(465, "ssl"))


def test_the_message_never_shows_the_password_even_when_the_server_echoes_it(monkeypatch):
    def echo(*args, **kwargs):
        raise smtplib.SMTPDataError(554, f"rejected {PASSWORD}".encode())

    monkeypatch.setattr(smtplib, "SMTP_SSL", echo)
    assert "拒收了这封邮件" in _failure(_settings(465, "ssl"))


def test_the_env_file_example_is_private(tmp_path):
    """What the guide tells analysts to run closes the file."""
    path = Path(tmp_path / ".env")
    path.write_text(f"{smtp_settings.ENV_PREFIX}PASSWORD={PASSWORD}\n", encoding="utf-8")
    path.chmod(0o600)
    assert mail_checks.readable_env_file(path) == ""
