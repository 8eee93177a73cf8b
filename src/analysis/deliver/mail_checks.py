"""Checks of the mail settings before anything is sent, and the Chinese words of a failure.

* Recipients: commas, semicolons (also full-width) and line breaks separate addresses; an
  address with a control character (a CR that would start a new mail header) is refused.
* ``SECURITY=none`` with a password to a host that is not this machine sends the password
  in clear text: refused unless ``BRIEFING_SMTP_ALLOW_PLAINTEXT=1`` says so as well.
* A .env file that holds the password and that other users can read is named, with the
  command that closes it.
* A failure to send says the cause first (certificate, refused connection, unknown host),
  then the technical detail, never the password.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import stat
import unicodedata
from pathlib import Path

from analysis.causes import cause_of

ALLOW_PLAINTEXT = "ALLOW_PLAINTEXT"
_SEPARATORS = re.compile(r"[,;，；\r\n]")
_SMTP_CAUSES = (
    (smtplib.SMTPNotSupportedError, "服务器不支持所要求的功能（STARTTLS 加密或该登录方式）"),
    (smtplib.SMTPServerDisconnected, "服务器中途断开了连接"),
    (smtplib.SMTPSenderRefused, "服务器拒收发件人地址"),
    (smtplib.SMTPDataError, "服务器拒收了这封邮件"),
    (smtplib.SMTPConnectError, "无法与服务器建立 SMTP 连接"),
)


def split_addresses(value: str | None) -> tuple[str, ...]:
    """Addresses separated by commas, semicolons or line breaks (CR, LF or both).

    >>> split_addresses("a@x.cn\\r\\nb@x.cn；c@x.cn")
    ('a@x.cn', 'b@x.cn', 'c@x.cn')
    """
    parts = (p.strip() for p in _SEPARATORS.split(value or ""))
    return tuple(p for p in parts if p)


def control_characters(text: str) -> str:
    """The control and invisible characters of ``text`` as U+XXXX, "" when there are none."""
    found = [c for c in text if unicodedata.category(c) in ("Cc", "Cf")]
    return "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plaintext_problem(host: str | None, security: str, user: str | None, allowed: bool) -> str:
    """Why sending would put the password on the network in clear text; "" when it would
    not, or when the analyst said so explicitly."""
    if security != "none" or not user or not host or is_loopback(host) or allowed:
        return ""
    return (
        f"加密方式为 none（BRIEFING_SMTP_SECURITY），用户名和密码将以明文发往 {host}；"
        "请改用 starttls 或 ssl。确需不加密时（例如只在内网中转），"
        f"另设 BRIEFING_SMTP_{ALLOW_PLAINTEXT}=1"
    )


def readable_env_file(path: Path) -> str:
    """A warning when ``path`` (holding the SMTP password) can be read by other users."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return ""
    if not mode & 0o077:
        return ""
    return (
        f"警告：{path} 中有 SMTP 密码，但其他用户也能读取（权限 {mode:04o}）；"
        f"请运行 chmod 600 {path}"
    )


def send_failure(exc: BaseException, where: str, password: str | None) -> str:
    """The message of a failed send: the Chinese cause, then the detail (password hidden)."""
    cause = next((zh for kind, zh in _SMTP_CAUSES if isinstance(exc, kind)), None)
    detail = f"{type(exc).__name__}: {exc}"
    if password:
        detail = detail.replace(password, "***")
    return (
        f"邮件发送失败（{where}）：{cause or cause_of(exc) or '连接或发送出错'}。技术细节：{detail}"
    )
