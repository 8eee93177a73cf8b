"""E-mail a rendered briefing: MIME message, .eml file, SMTP delivery.

The message is::

    multipart/mixed
      multipart/alternative
        text/plain                (derived from the HTML body: headings, paragraphs, tables)
        multipart/related
          text/html               (built for mail clients, charts referenced as cid:…)
          image/png …             (one part per distinct chart shown in the body)
      text/html attachment        (the standalone briefing, unchanged)
      application/pdf attachment  (briefing.pdf, when the run made one)

:func:`email_briefing` sends a short body made for mail clients (export/mail_body.py: the
key points, narrative, small tables and two charts) and attaches the full briefing.

SMTP settings come from environment variables ``BRIEFING_SMTP_*`` or a ``.env`` file
(environment wins); the password is never printed, logged or put in an error message.
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import logging
import os
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import css_inline
from dotenv import dotenv_values

from analysis.atomic import write_atomic
from analysis.deliver import mail_checks
from analysis.deliver.document import parse_briefing
from analysis.deliver.mail_body import CID_DOMAIN, cid_for, mail_body
from analysis.errors import AnalysisError, ConfigError
from analysis.settings import config
from analysis.settings.yaml_files import config_fault

log = logging.getLogger(__name__)

ENV_PREFIX = "BRIEFING_SMTP_"
UNSENT_HEADER = "X-Unsent"
DEFAULT_ENV_FILE = config.PROJ_ROOT / ".env"
Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}


class MailError(AnalysisError):
    """Building or sending the e-mail failed (message in Chinese, never with the password)."""


# --- HTML for mail clients ----------------------------------------------------------

_DATA_URI_SRC = re.compile(
    r"""(?P<attr>\bsrc\s*=\s*)(?P<q>["'])data:image/(?P<sub>png|jpeg|gif|webp);base64,"""
    r"""(?P<data>[A-Za-z0-9+/=\s]*)(?P=q)""",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def html_for_email(html: str) -> tuple[str, dict[str, bytes]]:
    """Rewrite ``data:`` image URIs to ``cid:`` references and inline the CSS.

    Returns the HTML for the mail body and ``{cid: image bytes}``. Cids are derived from
    a hash of the bytes (the same chart twice is one part). ``<script>`` elements are
    dropped (mail clients block them anyway); escaped text such as
    ``&lt;script&gt;`` stays escaped text.
    """
    images: dict[str, bytes] = {}

    def to_cid(match: re.Match[str]) -> str:
        try:
            data = base64.b64decode(re.sub(r"\s+", "", match["data"]), validate=True)
        except (binascii.Error, ValueError):
            return match[0]  # leave a malformed URI alone rather than break the mail
        cid = cid_for(data)
        images[cid] = data
        return f"{match['attr']}{match['q']}cid:{cid}{match['q']}"

    body = _DATA_URI_SRC.sub(to_cid, html)
    body = _SCRIPT.sub("", body)
    body = css_inline.inline(
        body,
        keep_style_tags=False,
        keep_at_rules=True,  # @media rules cannot be inlined; keep them in <style>
        load_remote_stylesheets=False,
    )
    return body, images


# --- plain-text alternative ---------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "ul",
    "ol",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "main",
    "nav",
    "aside",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg"}
_UNDERLINES = {"h1": "=", "h2": "-"}  # lower headings ((一)、一是…) stand on their own line


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced mail client (a hanzi takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _TextExtractor(HTMLParser):
    """HTML → readable plain text; entity references are decoded (text stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    # building blocks
    def _flush(self, blank: bool = False) -> None:
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(self.current)).strip()
        self.current = []
        if text:
            self.lines.append(text)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._flush(blank=True)
        elif tag == "br":
            self._flush()
        elif tag == "li":
            self._flush()
            self.current.append("- ")
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._data(f"[图：{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.lines.append(" | ".join(self.row))
            self.row = None
        elif tag in _HEADINGS:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            self.current = []
            if text:
                self.lines.append(text)
                if tag in _UNDERLINES:  # the title and the numbered parts (一、二、…)
                    self.lines.append(_UNDERLINES[tag] * min(40, _display_width(text)))
            self.lines.append("")
        elif tag in _BLOCKS or tag == "li":
            self._flush(blank=tag != "li")

    def _data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._data(data)

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        for line in self.lines:
            if line == "" and (not out or out[-1] == ""):
                continue
            out.append(line)
        return "\n".join(out).strip() + "\n"


def html_to_text(html: str) -> str:
    """Plain-text version of the briefing (headings underlined, table rows as ``a | b``)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


# --- message ------------------------------------------------------------------------


def _image_subtype(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "octet-stream"


def build_message(
    html: str,
    images: Mapping[str, bytes] | None,
    subject: str,
    sender: str,
    recipients: Sequence[str],
    attachment_html: str | None = None,
    attachment_name: str = "简报.html",
    attachment_pdf: bytes | None = None,
    text_source: str | None = None,
) -> EmailMessage:
    """The e-mail of a briefing.

    ``html`` is either the standalone briefing (``images=None``: it goes through
    :func:`html_for_email`) or HTML already prepared by it (``images`` = its cid map).
    ``attachment_html`` (typically the standalone briefing) is attached as
    ``attachment_name`` (non-ASCII names are RFC 2231-encoded); ``None`` = no attachment.
    ``attachment_pdf`` is attached under the same name with ``.pdf``. The plain-text part
    is derived from ``text_source`` (default: ``html``).
    """
    if images is None:
        html, images = html_for_email(html)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    if sender:
        msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=CID_DOMAIN)

    # base64 keeps every part 7-bit clean (no reliance on the server's 8BITMIME).
    msg.set_content(
        html_to_text(text_source or html), subtype="plain", charset="utf-8", cte="base64"
    )
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    html_part = msg.get_payload()[1]
    for cid, data in images.items():
        subtype = _image_subtype(data)
        maintype = "image" if subtype != "octet-stream" else "application"
        html_part.add_related(
            data,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{cid}>",
            disposition="inline",
            filename=f"{cid.split('@', 1)[0]}.{subtype if maintype == 'image' else 'bin'}",
        )
    if attachment_html is not None:
        msg.make_mixed()
        msg.add_attachment(
            attachment_html.encode("utf-8"),  # bytes: line endings kept as in the file
            maintype="text",
            subtype="html",
            cte="base64",
            filename=attachment_name,
            params={"charset": "utf-8"},
        )
    if attachment_pdf is not None:
        msg.add_attachment(  # makes the message multipart/mixed when it is not yet
            attachment_pdf,
            maintype="application",
            subtype="pdf",
            filename=str(Path(attachment_name).with_suffix(".pdf")),
        )
    return msg


def write_eml(msg: EmailMessage, path: Path) -> Path:
    """Write ``msg`` to ``path`` atomically (temp file in the same folder + os.replace)."""
    return write_atomic(path, msg.as_bytes(policy=email.policy.SMTP))


# --- SMTP settings and sending ------------------------------------------------------


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
        return config_fault(self.path, reason, lines[-1] if lines else None)


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
            raise config_fault(path, "邮件配置文件不存在")
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


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """``client.login``, plus AUTH PLAIN in UTF-8 for non-ASCII credentials (which
    smtplib would reject with a UnicodeEncodeError)."""
    if (user + password).isascii():
        client.login(user, password)
        return
    client.ehlo_or_helo_if_needed()
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError(
            "服务器不支持 AUTH PLAIN，无法使用含中文等非 ASCII 字符的用户名或密码"
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, resp = client.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, resp)


def send(msg: EmailMessage, settings: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    """Send ``msg`` to ``settings.recipients`` over SMTP (SSL, STARTTLS or plain).

    Logs in when a user is configured. Returns the recipients the server refused
    (empty when all were accepted); raises :class:`MailError` in Chinese otherwise.
    """
    settings.check()
    assert settings.host and settings.sender  # for type checkers; check() ensured it
    sender_addr = getaddresses([settings.sender])[0][1]
    to_addrs = [getaddresses([r])[0][1] for r in settings.recipients]
    where = f"{settings.host}:{settings.port}（{settings.security}）"
    if settings.user and settings.security == "none" and not mail_checks.is_loopback(settings.host):
        log.warning("SMTP 连接未加密，用户名和密码将以明文传输：%s", where)
    log.info("正在通过 %s 发送邮件给 %d 位收件人", where, len(to_addrs))
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                _login(client, settings.user, settings.password or "")
            refused = client.send_message(msg, from_addr=sender_addr, to_addrs=to_addrs)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"SMTP 登录失败（{where}，用户 {settings.user}）：服务器拒绝了用户名或密码"
            f"（{exc.smtp_code}）"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"SMTP 服务器拒收全部收件人：{'、'.join(exc.recipients)}") from None
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        raise MailError(mail_checks.send_failure(exc, where, settings.password)) from None
    if refused:
        log.warning("以下收件人被服务器拒收：%s", "、".join(refused))
    log.info("邮件已发送：%s", msg.get("Subject", ""))
    return refused


def email_briefing(
    briefing_html_path: Path,
    eml_path: Path,
    subject: str,
    settings: SmtpSettings | None = None,
    send_now: bool = False,
) -> Path:
    """Build the e-mail of a rendered briefing, write it as .eml, optionally send it.

    ``settings=None`` reads :meth:`SmtpSettings.from_env`. Without ``send_now`` only
    the .eml is written (sender/recipients filled in when configured), for review or for
    sending from a mail client. Returns ``eml_path``.
    """
    briefing_html_path = Path(briefing_html_path)
    if settings is None:
        settings = SmtpSettings.from_env()
    if send_now:
        settings.check()
    try:
        html = briefing_html_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MailError(f"找不到简报文件：{briefing_html_path}") from None
    pdf_path = briefing_html_path.with_suffix(".pdf")
    pdf = pdf_path.read_bytes() if pdf_path.exists() else None
    names = [f"{subject}.html"] + ([f"{subject}.pdf"] if pdf is not None else [])
    body = mail_body(parse_briefing(html), names)
    msg = build_message(
        body.html,
        body.images,
        subject=subject,
        sender=settings.sender or "",
        recipients=settings.recipients,
        attachment_html=html,
        attachment_name=names[0],  # the reader sees the briefing's title, not a path
        attachment_pdf=pdf,
        text_source=body.content,
    )
    write_eml(as_draft(msg), Path(eml_path))
    log.info("已生成邮件文件：%s", eml_path)
    if send_now:
        send(msg, settings)
    return Path(eml_path)


def as_draft(msg: EmailMessage) -> EmailMessage:
    """A copy of ``msg`` marked ``X-Unsent: 1``: Outlook (and Thunderbird) open the .eml as
    a draft ready to send, not as a received message that can only be forwarded. The
    message sent over SMTP carries no such header."""
    import copy

    draft = copy.deepcopy(msg)
    draft[UNSENT_HEADER] = "1"
    return draft
