"""Command line: ``python -m analysis <command>``; the Makefile calls these."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import __version__, config
from analysis.errors import AnalysisError, ParameterError
from analysis.export import parse_formats

FORMATS_HELP = "输出格式，逗号分隔：html,xlsx,docx,pdf（默认 html,xlsx）"


def _add_run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--district", help="区（默认见 data/config/project.yaml）")
    p.add_argument("--period", help="期间，年-月，例如 2020-10")
    p.add_argument("--unit", help="镇/街道；不填 = 全区")
    p.add_argument("--data-dir", help="数据目录（默认 data/sample）")
    p.add_argument("--issue-number", help="期号（默认 = 月份）")
    p.add_argument(
        "--lenient", action="store_true", help="剔除无效行并继续（写出 rejects.csv），默认严格"
    )
    p.add_argument("--out", type=Path, default=config.OUTPUTS_DIR, help="输出根目录")
    p.add_argument("--formats", help=FORMATS_HELP)


def _params(args):
    from analysis.params import resolve_params

    return resolve_params(
        district=args.district,
        period=args.period,
        unit=args.unit,
        data_dir=args.data_dir,
        strict=False if args.lenient else None,
        issue_number=args.issue_number,
    )


def cmd_report(args) -> int:
    params = _params(args)  # validated before any heavy work
    formats = parse_formats(args.formats)
    from analysis.kernel import running_kernel

    with running_kernel() as kernel:  # boots while the data are checked and nbconvert loads
        from analysis.cache import load_tables_cached

        # Invalid data stop here with the plain list of problems; the notebook then reads
        # the validated tables from the cache instead of checking them a second time.
        load_tables_cached(params.data_dir, strict=params.strict)
        from analysis.report import run_briefing

        path = run_briefing(params, out_root=args.out, kernel=kernel, formats=formats)
    print(f"简报已生成：{path}")
    return 0


def cmd_email(args) -> int:
    """Write briefing.eml beside the briefing (building the briefing first if missing, or if
    a format asked for with --formats is missing: --formats html,pdf attaches the PDF)."""
    params = _params(args)
    formats = parse_formats(args.formats)
    from analysis.mail import SmtpSettings, email_briefing
    from analysis.report import BRIEFING_HTML, run_briefing
    from analysis.titles import briefing_title

    html = args.out / params.output_subdir / BRIEFING_HTML
    missing = [f for f in formats if not html.with_suffix(f".{f}").exists()]
    if not html.exists() or (args.formats and missing):
        html = run_briefing(params, out_root=args.out, formats=formats)
    settings = SmtpSettings.from_env(args.env_file) if args.send else None
    eml = email_briefing(
        html, html.with_suffix(".eml"), briefing_title(params), settings, send_now=args.send
    )
    print(f"邮件已写出：{eml}" + ("，并已发送" if args.send else ""))
    return 0


def cmd_reports(args) -> int:
    from analysis import batch
    from analysis.index_page import write_index

    formats = parse_formats(args.formats)
    jobs = batch.plan(args.district, args.period, args.data_dir, False if args.lenient else None)
    summary = batch.run_batch(
        jobs, out_root=args.out, workers=args.workers, force=args.force, formats=formats
    )
    index = write_index(jobs, summary, out_root=args.out)
    print(batch.describe(summary))
    print(f"索引页：{index}")
    return 0 if summary.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analysis", description="安全生产指标与简报")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="生成一份简报（HTML + 指标表 CSV）")
    _add_run_args(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("email", help="把简报写成 briefing.eml，可选按 SMTP 设置发送")
    _add_run_args(p)
    p.add_argument("--send", action="store_true", help="按环境变量或 .env 的 SMTP 设置发送")
    p.add_argument("--env-file", type=Path, help=".env 文件（默认为项目根目录的 .env）")
    p.set_defaults(func=cmd_email)

    p = sub.add_parser("reports", help="批量生成全区及各镇/街道、1月至所选期间各月的简报")
    p.add_argument("--district", help="区（默认见 data/config/project.yaml）")
    p.add_argument("--period", help="最后一个期间，年-月（默认见 project.yaml）")
    p.add_argument("--data-dir", help="数据目录（默认 data/sample）")
    p.add_argument("--lenient", action="store_true", help="剔除无效行并继续")
    p.add_argument("--workers", type=int, help="并行进程数（默认 = CPU 核数）")
    p.add_argument("--force", action="store_true", help="全部重建，不论是否已是最新")
    p.add_argument("--formats", help=FORMATS_HELP)
    p.add_argument("--out", type=Path, default=config.OUTPUTS_DIR, help="输出根目录")
    p.set_defaults(func=cmd_reports)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ParameterError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except AnalysisError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
