"""Benchmark the readers' formats: the extra time each adds to one briefing (target: at most
1.5 s each) and the sizes of the files and of the e-mail (body at most 102 KB, .eml at most
450 KB). Builds the sample briefing once (html only), then times each exporter on it.
Run with `make bench` or `python benchmarks/bench_formats.py`.
"""

from __future__ import annotations

import email
import email.policy
import statistics
import tempfile
import time
from pathlib import Path

from analysis.deliver import write_formats
from analysis.deliver.mail import email_briefing
from analysis.deliver.smtp_settings import SmtpSettings
from analysis.present.titles import briefing_title
from analysis.run.report import run_briefing
from analysis.settings.params import resolve_params

REPEATS = 3
TARGET_SECONDS = 1.5
KB = 1024


def _median_seconds(action, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    params = resolve_params()
    with tempfile.TemporaryDirectory() as tmp:
        html = run_briefing(params, out_root=Path(tmp), formats=("html",))
        out_dir = html.parent
        print(f"各输出格式的额外耗时（每份简报，{REPEATS} 次取中位数；目标 ≤ {TARGET_SECONDS} 秒）")
        for fmt in ("xlsx", "docx", "pdf"):
            if fmt == "pdf":  # the first print also starts the process's Chromium
                first = _median_seconds(lambda: write_formats(out_dir, ("html", "pdf")), 1)
                print(f"  pdf   {first:6.2f} 秒  （本进程第一份，含启动 Chromium）")
            seconds = _median_seconds(lambda f=fmt: write_formats(out_dir, ("html", f)))
            size = (out_dir / f"briefing.{fmt}").stat().st_size
            flag = "" if seconds <= TARGET_SECONDS else "  ← 超出目标"
            print(f"  {fmt:5s} {seconds:6.2f} 秒  文件 {size / KB:8.1f} KB{flag}")

        settings = SmtpSettings(host=None, port=587)
        subject = briefing_title(params)
        pdf = out_dir / "briefing.pdf"
        for label, keep_pdf in (("仅附 HTML", False), ("附 HTML 和 PDF", True)):
            if not keep_pdf:
                pdf.rename(out_dir / "pdf.bak")
            eml = out_dir / "briefing.eml"
            start = time.perf_counter()
            email_briefing(html, eml, subject, settings)
            seconds = time.perf_counter() - start
            if not keep_pdf:
                (out_dir / "pdf.bak").rename(pdf)
            raw = eml.read_bytes()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            body = msg.get_body(("html",)).get_content().encode("utf-8")
            print(
                f"  邮件（{label}）{seconds:5.2f} 秒：正文 {len(body) / KB:.1f} KB"
                f"（目标 ≤ 102 KB），.eml {len(raw) / KB:.1f} KB（目标 ≤ 450 KB）"
            )
        print(f"  HTML 简报：{html.stat().st_size / KB:.1f} KB")


if __name__ == "__main__":
    main()
