"""E-mail of a briefing: MIME structure, cid images, CSS inlining, escaping, SMTP delivery
to a real local server (aiosmtpd on 127.0.0.1 only), settings and password hygiene."""

from __future__ import annotations

import base64
import email
import email.policy
import io
import logging
import re
import socket
import traceback
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from PIL import Image

from analysis.deliver import mail, mail_html, smtp_settings
from analysis.errors import ConfigError, MailError

PASSWORD = "Zq7-密码-UNIQUE-pw-93817"
USER = "analyst@example.cn"
SUBJECT = "钟楼区安全生产简报（2024年1—6月）"
ATTACHMENT_NAME = "钟楼区安全生产简报_2024年6月.html"
ENV_KEYS = ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "SENDER", "RECIPIENTS", "TIMEOUT")


def _png(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buf, format="PNG")
    return buf.getvalue()


PNG_A, PNG_B = _png("#1f5fa8"), _png("#b3b3b3")


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


SAMPLE_HTML = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>简报</title>
<style>
h1 {{ color: #1f5fa8; font-size: 22px; }}
p.note {{ color: #555555; }}
td {{ padding: 2px 6px; }}
@media (max-width: 600px) {{ h1 {{ font-size: 18px; }} }}
</style>
<script>document.title = "live";</script>
</head><body>
<h1>钟楼区安全生产简报</h1>
<p class="note">西林街道：&lt;script&gt;alert(1)&lt;/script&gt; 隐患 3 项，A&amp;B 公司。</p>
<img src="{_uri(PNG_A)}" alt="累计事故起数">
<img src='{_uri(PNG_B)}' alt="各镇隐患数">
<img src="{_uri(PNG_A)}" alt="同一张图再次出现">
<table><tr><th>镇/街道</th><th>事故起数</th></tr><tr><td>邹区镇</td><td>2</td></tr></table>
</body></html>
"""


# --- local SMTP server --------------------------------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


ASCII_USER, ASCII_PASSWORD = "relay", "Ascii-Pw-55021"
ACCOUNTS = {USER: PASSWORD, ASCII_USER: ASCII_PASSWORD}


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and ACCOUNTS.get(auth_data.login.decode()) == auth_data.password.decode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: server answers 535


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    sink = _Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=_free_loopback_port(),
        authenticator=_authenticate,
        auth_require_tls=False,  # loopback test server without TLS
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    try:
        yield controller, sink
    finally:
        controller.stop()


@pytest.fixture
def clean_env(monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(smtp_settings.ENV_PREFIX + key, raising=False)
    return monkeypatch


def _env_file(tmp_path: Path, port: int, password: str = PASSWORD) -> Path:
    path = tmp_path / ".env"
    path.write_text(
        "\n".join(
            [
                "BRIEFING_SMTP_HOST=127.0.0.1",
                f"BRIEFING_SMTP_PORT={port}",
                "BRIEFING_SMTP_SECURITY=none",
                "BRIEFING_SMTP_TIMEOUT=5",
                f"BRIEFING_SMTP_USER={USER}",
                f"BRIEFING_SMTP_PASSWORD={password}",
                "BRIEFING_SMTP_SENDER=安全生产简报 <briefing@example.cn>",
                "BRIEFING_SMTP_RECIPIENTS=leader@example.cn, 王科长 <wang@example.cn>",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


# --- tests --------------------------------------------------------------------------


def test_send_briefing_to_local_server(smtp_server, tmp_path, clean_env, caplog, capsys):
    controller, sink = smtp_server
    caplog.set_level(logging.WARNING, logger="mail.log")  # aiosmtpd echoes the session
    caplog.set_level(logging.DEBUG)  # second: the handler level must end at DEBUG
    settings = smtp_settings.SmtpSettings.from_env(_env_file(tmp_path, controller.port))
    briefing = tmp_path / ATTACHMENT_NAME
    briefing.write_text(SAMPLE_HTML, encoding="utf-8")
    eml = tmp_path / "out" / "简报.eml"
    before = len(sink.messages)

    assert mail.email_briefing(briefing, eml, SUBJECT, settings, send_now=True) == eml

    assert len(sink.messages) == before + 1
    mail_from, rcpt_tos, raw = sink.messages[-1]
    assert mail_from == "briefing@example.cn"
    assert rcpt_tos == ["leader@example.cn", "wang@example.cn"]
    msg = _parse(raw)

    # structure: mixed → alternative(text/plain, related(html, images)) + attachment
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert [i.get_content_type() for i in images] == ["image/png", "image/png"]  # deduplicated

    # cid references resolve to the attached images, and nothing is left as data:
    body = html_part.get_content()
    assert "data:" not in body
    by_cid = {i["Content-ID"].strip("<>"): i.get_content() for i in images}
    referenced = set(re.findall(r'src="cid:([^"]+)"', body))
    assert referenced == set(by_cid)
    assert sorted(by_cid.values()) == sorted([PNG_A, PNG_B])

    # built for mail clients: inline styles only, table layout, no live script
    assert "<style" not in body and "var(--" not in body
    assert "display:flex" not in body.replace(" ", "") and "display:grid" not in body
    assert '<h1 style="' in body and '<table width="100%" cellpadding="4"' in body
    assert "<script" not in body.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert f"见附件《{SUBJECT}.html》" in body

    # subject, attachment name, plain text
    assert msg["Subject"] == SUBJECT
    assert "=?utf-8?" in raw.decode("ascii").split("\r\n\r\n", 1)[0]  # encoded on the wire
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == f"{SUBJECT}.html"  # the title, not the file path
    assert "filename*0*=utf-8''%E9%92%9F" in raw.decode("ascii")  # RFC 2231
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_payload(decode=True) == SAMPLE_HTML.encode("utf-8")  # byte-exact
    text = plain.get_content()
    assert "钟楼区安全生产简报" in text
    assert "<script>alert(1)</script>" in text  # shown as text in the text part
    assert "镇/街道 | 事故起数" in text and "邹区镇 | 2" in text
    assert "[图：累计事故起数]" in text
    assert "document.title" not in text and "font-size" not in text

    # the .eml is the same message, opening as a draft ready to send; the password is nowhere
    draft = _parse(eml.read_bytes())
    assert draft["Subject"] == SUBJECT and draft["X-Unsent"] == "1"
    assert msg["X-Unsent"] is None, "the message sent is not a draft"
    assert draft["From"].addresses[0].addr_spec == "briefing@example.cn"
    assert [a.addr_spec for a in draft["To"].addresses] == rcpt_tos
    assert not list(eml.parent.glob("*.tmp"))
    out = capsys.readouterr()
    ours = [r.getMessage() for r in caplog.records if r.name != "mail.log"]
    for haystack in [raw.decode("ascii"), eml.read_text("ascii"), out.out, out.err, *ours]:
        assert PASSWORD not in haystack
    assert any("已发送" in m for m in ours), ours


def test_wrong_password_error_does_not_reveal_it(smtp_server, tmp_path, clean_env, caplog, capsys):
    controller, sink = smtp_server
    caplog.set_level(logging.WARNING, logger="mail.log")  # aiosmtpd echoes the session
    caplog.set_level(logging.DEBUG)  # second: the handler level must end at DEBUG
    wrong = PASSWORD + "-WRONG"
    settings = smtp_settings.SmtpSettings.from_env(_env_file(tmp_path, controller.port, wrong))
    msg = mail.build_message(SAMPLE_HTML, None, SUBJECT, settings.sender, settings.recipients)
    before = len(sink.messages)
    with pytest.raises(MailError) as info:
        mail.send(msg, settings)
    assert len(sink.messages) == before
    assert "登录失败" in str(info.value)
    shown = "".join(traceback.format_exception(info.value)) + repr(info.value)
    out = capsys.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    for haystack in (shown, out.out, out.err, logs):
        assert wrong not in haystack and PASSWORD not in haystack


def test_connection_error_is_chinese_and_scrubbed(clean_env):
    port = _free_loopback_port()  # nothing listens there
    settings = smtp_settings.SmtpSettings(
        host="127.0.0.1",
        port=port,
        security="none",
        user=USER,
        password=PASSWORD,
        sender="a@example.cn",
        recipients=("b@example.cn",),
        timeout=2,
    )
    msg = mail.build_message("<p>x</p>", None, "主题", "a@example.cn", ["b@example.cn"])
    with pytest.raises(MailError, match="邮件发送失败") as info:
        mail.send(msg, settings)
    assert PASSWORD not in "".join(traceback.format_exception(info.value))


def test_settings_repr_masks_password():
    settings = smtp_settings.SmtpSettings(
        host="smtp.example.cn",
        port=465,
        security="ssl",
        user=USER,
        password=PASSWORD,
        sender="a@example.cn",
    )
    for shown in (repr(settings), str(settings), f"{settings}", f"{settings!r}"):
        assert PASSWORD not in shown
        assert "password='***'" in shown


def test_env_vars_win_over_env_file(tmp_path, clean_env):
    path = _env_file(tmp_path, 2525)
    clean_env.setenv("BRIEFING_SMTP_PORT", "2626")
    clean_env.setenv("BRIEFING_SMTP_RECIPIENTS", "a@example.cn；b@example.cn")
    settings = smtp_settings.SmtpSettings.from_env(path)
    assert settings.port == 2626
    assert settings.recipients == ("a@example.cn", "b@example.cn")
    assert settings.host == "127.0.0.1" and settings.password == PASSWORD
    assert settings.security == "none"


def test_default_port_follows_security(tmp_path, clean_env):
    path = tmp_path / "ssl.env"
    path.write_text("BRIEFING_SMTP_HOST=smtp.example.cn\nBRIEFING_SMTP_SECURITY=SSL\n")
    assert smtp_settings.SmtpSettings.from_env(path).port == 465
    path.write_text("BRIEFING_SMTP_HOST=smtp.example.cn\n")
    settings = smtp_settings.SmtpSettings.from_env(path)
    assert (settings.security, settings.port) == ("starttls", 587)


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("BRIEFING_SMTP_SECURITY=tls\n", 1, "SMTP 加密方式（BRIEFING_SMTP_SECURITY）应为"),
        ("# 端口\nBRIEFING_SMTP_PORT=abc\n", 2, "SMTP 端口（BRIEFING_SMTP_PORT）应为"),
        ("BRIEFING_SMTP_PORT=25\nexport BRIEFING_SMTP_PORT = 70000\n", 2, "实际为“70000”"),
        ("BRIEFING_SMTP_TIMEOUT=半分钟\n", 1, "SMTP 超时（BRIEFING_SMTP_TIMEOUT）应为秒数"),
    ],
)
def test_bad_settings_name_the_file_and_the_line(tmp_path, clean_env, content, line, message):
    path = tmp_path / "bad.env"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        smtp_settings.SmtpSettings.from_env(path)
    assert str(info.value).startswith(f"配置文件 {path} 第 {line} 行：")
    assert message in str(info.value)


def test_a_bad_setting_from_the_environment_names_the_variable(tmp_path, clean_env):
    path = tmp_path / "ok.env"
    path.write_text("BRIEFING_SMTP_PORT=25\n", encoding="utf-8")
    clean_env.setenv("BRIEFING_SMTP_PORT", "abc")
    with pytest.raises(ConfigError, match="^环境变量 BRIEFING_SMTP_PORT：SMTP 端口"):
        smtp_settings.SmtpSettings.from_env(path)


def test_missing_host_reported_when_sending(tmp_path, clean_env):
    path = tmp_path / "empty.env"
    path.write_text(f"BRIEFING_SMTP_PASSWORD={PASSWORD}\n")
    settings = smtp_settings.SmtpSettings.from_env(path)
    msg = mail.build_message("<p>x</p>", None, "主题", "", [])
    with pytest.raises(ConfigError) as info:
        mail.send(msg, settings)
    assert "未配置 SMTP 服务器地址（BRIEFING_SMTP_HOST）" in str(info.value)
    assert "未配置收件人" in str(info.value)
    assert PASSWORD not in str(info.value)


def test_missing_env_file_is_an_error(tmp_path, clean_env):
    with pytest.raises(ConfigError, match="nope.env：邮件配置文件不存在"):
        smtp_settings.SmtpSettings.from_env(tmp_path / "nope.env")


def test_draft_eml_without_smtp_settings(tmp_path, clean_env):
    briefing = tmp_path / ATTACHMENT_NAME
    briefing.write_text(SAMPLE_HTML, encoding="utf-8")
    settings = smtp_settings.SmtpSettings(host=None, port=587)
    eml = mail.email_briefing(briefing, tmp_path / "draft.eml", SUBJECT, settings)
    msg = _parse(eml.read_bytes())
    assert msg["Subject"] == SUBJECT and msg["To"] is None
    assert msg["X-Unsent"] == "1"  # Outlook opens it as a draft, not a received message
    # overwriting is atomic too and leaves no temp file behind
    mail.email_briefing(briefing, eml, SUBJECT + "（修订）", settings)
    assert _parse(eml.read_bytes())["Subject"] == SUBJECT + "（修订）"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ATTACHMENT_NAME, "draft.eml"])


def test_html_for_email_is_deterministic_and_dedups():
    first = mail_html.html_for_email(SAMPLE_HTML)
    second = mail_html.html_for_email(SAMPLE_HTML)
    assert first == second
    body, images = first
    assert len(images) == 2
    assert all(cid.endswith("@" + mail.CID_DOMAIN) for cid in images)
    assert body.count("cid:") == 3


def test_escaped_markup_stays_text_in_both_parts():
    html = (
        "<html><body><p>行业：&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;</p>"
        "</body></html>"
    )
    msg = mail.build_message(html, None, "主题", "a@example.cn", ["b@example.cn"])
    parsed = _parse(msg.as_bytes())
    body = parsed.get_body(("html",)).get_content()
    text = parsed.get_body(("plain",)).get_content()
    assert "<script" not in body.lower() and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script> & <b>" in text


def test_html_to_text_layout():
    text = mail_html.html_to_text(
        "<h1>标题</h1><p>第一段<br>换行</p><h2>一、事故 A</h2><ul><li>甲</li><li>乙</li></ul>"
        "<h3>（一）镇街</h3><table><tr><td>镇</td><td> 3 </td></tr></table>"
    )
    assert text.splitlines() == [
        "标题",
        "====",
        "",
        "第一段",
        "换行",
        "",
        "一、事故 A",
        "-" * 10,  # as wide as the heading: a hanzi takes two columns
        "",
        "- 甲",
        "- 乙",
        "",
        "（一）镇街",
        "",
        "镇 | 3",
    ]


def test_ascii_credentials_use_smtplib_login(smtp_server, clean_env):
    controller, sink = smtp_server
    settings = smtp_settings.SmtpSettings(
        host="127.0.0.1",
        port=controller.port,
        security="none",
        user=ASCII_USER,
        password=ASCII_PASSWORD,
        sender="a@example.cn",
        recipients=("b@example.cn",),
        timeout=5,
    )
    before = len(sink.messages)
    msg = mail.build_message("<p>你好</p>", None, "主题", settings.sender, settings.recipients)
    assert mail.send(msg, settings) == {}
    assert len(sink.messages) == before + 1


# --- the sample briefing's e-mail, as a mail client sees it ----------------------------


def test_mail_body_selects_key_points_small_tables_and_two_charts():
    from analysis.deliver.document import parse_briefing
    from analysis.deliver.mail_body import MAX_CHARTS, MAX_TABLE_ROWS, mail_body

    big = "".join(f"<tr><td>镇{i}</td><td>{i}</td></tr>" for i in range(MAX_TABLE_ROWS + 1))
    charts = [_png(c) for c in ("#111111", "#222222", "#333333")]
    html = (
        "<h1>钟楼区安全生产工作简报</h1>"
        '<p class="banner">示例数据：合成数据</p>'
        "<h2>本期要点</h2><ul><li>事故起数同比下降85.0%</li><li>重大隐患尚有1项未整改</li></ul>"
        "<h2>一、总体情况</h2><p>截至10月底&lt;注&gt;。</p>"
        "<table><caption>小表</caption><tr><th>指标</th><th>数值</th></tr>"
        "<tr><td>事故起数</td><td>9起</td></tr></table>"
        f"<table><caption>大表</caption><tr><th>镇</th><th>数</th></tr>{big}</table>"
        + "".join(f'<img src="{_uri(c)}" alt="图{i}">' for i, c in enumerate(charts))
        + "<h2>附件</h2><table><tr><th>附表</th></tr><tr><td>不在正文</td></tr></table>"
        "<footer><p>程序版本：x</p></footer>"
    )
    body = mail_body(parse_briefing(html), ["简报.html"])
    assert "• 事故起数同比下降85.0%" in body.html and "重大隐患尚有1项未整改" in body.html
    assert "截至10月底&lt;注&gt;。" in body.html
    assert "9起" in body.html and "镇0" not in body.html
    assert f"表“大表”共 {MAX_TABLE_ROWS + 1} 行，见附件中的完整简报。" in body.html
    assert len(body.images) == MAX_CHARTS and body.html.count("cid:") == MAX_CHARTS
    assert "图：图2（见附件中的完整简报）" in body.html
    assert "不在正文" not in body.html and "附件（附表、数据质量与来源）见附件" in body.html
    assert "程序版本：x" in body.html and "见附件《简报.html》" in body.html
    assert "max-width:640px" in body.html and "max-width:640px" not in body.content  # no layout
