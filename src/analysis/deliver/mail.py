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
(environment wins; deliver/smtp_settings.py); the password is never printed, logged or put
in an error message. The HTML for mail clients and its plain text: deliver/mail_html.py.
"""

from __future__ import annotations

import base64
import email.policy
import logging
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from analysis.atomic import write_atomic
from analysis.deliver import mail_checks
from analysis.deliver.document import parse_briefing
from analysis.deliver.mail_body import CID_DOMAIN, mail_body
from analysis.deliver.mail_html import html_for_email, html_to_text
from analysis.deliver.smtp_settings import SmtpSettings
from analysis.errors import MailError

log = logging.getLogger(__name__)

UNSENT_HEADER = "X-Unsent"


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
    _add_images(msg.get_payload()[1], images)
    _attach(msg, attachment_html, attachment_name, attachment_pdf)
    return msg


def _add_images(html_part: EmailMessage, images: Mapping[str, bytes]) -> None:
    """Each chart as an inline part next to the HTML that shows it by ``cid:``."""
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


def _attach(
    msg: EmailMessage,
    attachment_html: str | None,
    attachment_name: str,
    attachment_pdf: bytes | None,
) -> None:
    """The standalone briefing and its PDF as attachments (either may be absent)."""
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


def write_eml(msg: EmailMessage, path: Path) -> Path:
    """Write ``msg`` to ``path`` atomically (temp file in the same folder + os.replace)."""
    return write_atomic(path, msg.as_bytes(policy=email.policy.SMTP))


# --- sending ------------------------------------------------------------------------


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
