"""SMTP settings from ``BRIEFING_SMTP_*`` environment variables or a ``.env`` file
(environment wins); a bad value names the variable, or the file and its line. The password
is never printed, logged or put in an error message."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values

from analysis.deliver import mail_checks
from analysis.errors import AnalysisError, ConfigError
from analysis.settings import config, yaml_files

log = logging.getLogger(__name__)

ENV_PREFIX = "BRIEFING_SMTP_"
DEFAULT_ENV_FILE = config.PROJ_ROOT / ".env"
Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}


class _SettingSource:
    """Where the ``BRIEFING_SMTP_*`` values come from: the environment, else the .env file;
    a fault names the variable, or the file and the line that set it."""

    def __init__(self, environ: Mapping[str, str], path: Path):
        self.environ = environ
        self.path = path
        self.file_values = (
            {k: v for k, v in dotenv_values(path).items() if v is not None}
            if path.is_file()
            else {}
        )

    def get(self, name: str) -> str | None:
        key = ENV_PREFIX + name
        value = self.environ.get(key, self.file_values.get(key))
        value = value.strip() if isinstance(value, str) else None
        return value or None

    def checked_addresses(self, name: str) -> tuple[str, ...]:
        """The addresses of a setting (one per comma, semicolon or line); a control
        character (a CR would begin a new mail header) is refused naming the setting."""
        addresses = mail_checks.split_addresses(self.get(name))
        for address in addresses:
            hidden = mail_checks.control_characters(address)
            if hidden:
                reason = f"地址“{address}”含有控制字符（{hidden}），请每行或用逗号分隔写一个地址"
                raise self.fault(name, reason)
        return addresses

    def sender(self) -> str | None:
        addresses = self.checked_addresses("SENDER")
        if len(addresses) > 1:
            raise self.fault("SENDER", f"发件人只能有一个地址，实际有 {len(addresses)} 个")
        return addresses[0] if addresses else None

    def flag(self, name: str) -> bool:
        from analysis.settings.params import parse_flag

        try:
            return bool(parse_flag(self.get(name), name))
        except AnalysisError:
            raise self.fault(name, f"{ENV_PREFIX}{name} 应为 1/0、true/false 或 yes/no") from None

    def fault(self, name: str, reason: str) -> ConfigError:
        key = ENV_PREFIX + name
        if key in self.environ:
            return ConfigError(f"环境变量 {key}：{reason}")
        setting = re.compile(rf"^\s*(?:export\s+)?{key}\s*=")
        text = self.path.read_text(encoding="utf-8", errors="replace")
        lines = [n for n, line in enumerate(text.splitlines(), 1) if setting.match(line)]
        return yaml_files.config_fault(self.path, reason, lines[-1] if lines else None)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``repr`` masks the password."""

    host: str | None
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    timeout: float = 30.0
    allow_plaintext: bool = False  # SECURITY=none with a password to another host (mail_checks)

    def __repr__(self) -> str:
        shown = "'***'" if self.password else "None"
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port!r}, "
            f"security={self.security!r}, user={self.user!r}, password={shown}, "
            f"sender={self.sender!r}, recipients={self.recipients!r}, "
            f"timeout={self.timeout!r})"
        )

    __str__ = __repr__

    @classmethod
    def from_env(
        cls,
        env_file: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> SmtpSettings:
        """Settings from ``BRIEFING_SMTP_*`` variables, falling back to ``env_file``.

        Variables: ``HOST``, ``PORT`` (default by security: 465/587/25), ``SECURITY``
        (``starttls`` | ``ssl`` | ``none``, default ``starttls``), ``USER``,
        ``PASSWORD``, ``SENDER``, ``RECIPIENTS`` (separated by commas or semicolons),
        ``TIMEOUT`` (seconds). ``env_file=None`` reads ``<project>/.env`` if it exists.
        The environment wins over the file. A missing host is reported only when
        sending (:meth:`check`), so a draft .eml can be written without SMTP settings.
        A bad value raises ConfigError naming the variable, or the file and its line.
        """
        path = DEFAULT_ENV_FILE if env_file is None else Path(env_file)
        if env_file is not None and not path.is_file():
            raise yaml_files.config_fault(path, "邮件配置文件不存在")
        source = _SettingSource(os.environ if environ is None else environ, path)
        if f"{ENV_PREFIX}PASSWORD" in source.file_values:
            warning = mail_checks.readable_env_file(path)
            if warning:
                log.warning(warning)
        security = (source.get("SECURITY") or "starttls").lower()
        if security not in DEFAULT_PORTS:
            reason = f"SMTP 加密方式（{ENV_PREFIX}SECURITY）应为 starttls、ssl 或 none"
            raise source.fault("SECURITY", f"{reason}，实际为“{security}”")
        port_text = source.get("PORT")
        try:
            port = int(port_text) if port_text else DEFAULT_PORTS[security]
            if not 0 < port < 65536:
                raise ValueError
        except ValueError:
            reason = f"SMTP 端口（{ENV_PREFIX}PORT）应为 1–65535 的整数，实际为“{port_text}”"
            raise source.fault("PORT", reason) from None
        timeout_text = source.get("TIMEOUT")
        try:
            timeout = float(timeout_text) if timeout_text else 30.0
        except ValueError:
            reason = f"SMTP 超时（{ENV_PREFIX}TIMEOUT）应为秒数，实际为“{timeout_text}”"
            raise source.fault("TIMEOUT", reason) from None
        return cls(
            host=source.get("HOST"),
            port=port,
            security=security,  # type: ignore[arg-type]
            user=source.get("USER"),
            password=source.get("PASSWORD"),
            sender=source.sender(),
            recipients=source.checked_addresses("RECIPIENTS"),
            timeout=timeout,
            allow_plaintext=source.flag(mail_checks.ALLOW_PLAINTEXT),
        )

    def check(self) -> None:
        """Raise :class:`ConfigError` (Chinese) unless the settings suffice to send."""
        problems = []
        if not self.host:
            problems.append(f"未配置 SMTP 服务器地址（{ENV_PREFIX}HOST）")
        if not self.sender:
            problems.append(f"未配置发件人（{ENV_PREFIX}SENDER）")
        elif not _valid_address(self.sender):
            problems.append(f"发件人地址无效：{self.sender}")
        if not self.recipients:
            problems.append(f"未配置收件人（{ENV_PREFIX}RECIPIENTS，多个地址用逗号分隔）")
        bad = [r for r in self.recipients if not _valid_address(r)]
        if bad:
            problems.append(f"收件人地址无效：{'、'.join(bad)}")
        if self.user and not self.password:
            problems.append(f"已配置用户名但未配置密码（{ENV_PREFIX}PASSWORD）")
        plaintext = mail_checks.plaintext_problem(
            self.host, self.security, self.user, self.allow_plaintext
        )
        if plaintext:
            problems.append(plaintext)
        if problems:
            raise ConfigError("邮件设置不完整：" + "；".join(problems))


def _valid_address(value: str) -> bool:
    pairs = getaddresses([value])
    if len(pairs) != 1:
        return False
    addr = pairs[0][1]
    try:
        Address(addr_spec=addr)
    except (ValueError, IndexError):
        return False
    return "@" in addr and not addr.startswith("@") and not addr.endswith("@")
