"""Command line: ``python -m analysis <command>``; the Makefile calls these.

The Makefile hands its variables over as environment variables (BRIEFING_UNIT, …), never
through the shell's command line, so a parameter is never interpreted by the shell. Each
BRIEFING_* variable is the default of the matching option. Every failure ends in one
Chinese message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from analysis import __version__
from analysis.causes import failure_reason
from analysis.deliver import parse_formats
from analysis.errors import (
    EXIT_INTERRUPTED,
    INTERRUPTED_MESSAGE,
    AnalysisError,
    OutputError,
    ParameterError,
)
from analysis.settings import config
from analysis.settings.district import district_year_file
from analysis.settings.yaml_files import shown_path
from analysis.terminal import for_terminal

FORMATS_HELP = "输出格式，逗号分隔：html,xlsx,docx,pdf（默认 html,xlsx）"


def _env(name: str) -> str | None:
    return os.environ.get(f"BRIEFING_{name}") or None


def _add_run_args(p: argparse.ArgumentParser, batch: bool = False) -> None:
    p.add_argument("--district", default=_env("DISTRICT"), help="区（默认见 project.yaml）")
    p.add_argument("--period", default=_env("PERIOD"), help="期间，年-月，例如 2020-10")
    if not batch:
        p.add_argument("--unit", default=_env("UNIT"), help="镇/街道；不填 = 全区")
        p.add_argument("--issue-number", help="期号（默认 = 月份）")
        p.add_argument(
            "--issued",
            default=_env("ISSUED"),
            help="印发日期，年-月-日（默认 = 运行当天；设置了 SOURCE_DATE_EPOCH 时为该时刻的日期）",
        )
    p.add_argument("--data-dir", default=_env("DATA_DIR"), help="数据目录（默认 data/sample）")
    p.add_argument(
        "--kind",
        default=_env("KIND"),
        help="简报类型：month（本月）、quarter（季度）、half（半年）、ytd（年初至今，默认）、year（全年）",
    )
    p.add_argument(
        "--lenient", action="store_true", help="剔除无效行并继续（写出 rejects.csv），默认严格"
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="允许期间超出数据覆盖范围（简报注明各表数据截止日期）",
    )
    p.add_argument(
        "--data-as-of",
        default=_env("DATA_AS_OF"),
        help="数据提取日期，年-月-日（数据覆盖到该日；也可写在 MANIFEST.yaml 的 extracted）",
    )
    p.add_argument(
        "--out", type=_out_root, default=_env("OUT") or config.OUTPUTS_DIR, help="输出根目录"
    )
    p.add_argument("--formats", default=_env("FORMATS"), help=FORMATS_HELP)
    p.add_argument(
        "--cell-timeout",
        default=_env("CELL_TIMEOUT"),
        help="每个单元格的运行时限（秒，默认 600）：超时即停止并说明是哪个单元格",
    )


def _out_root(text: str | Path) -> Path:
    """OUT as given, relative to the folder the command (make) was started in: the notebook
    runs elsewhere, so a relative path must never reach it."""
    return Path(text).expanduser().absolute()


def _switch(given: bool, name: str) -> bool:
    """An on/off option: the command-line switch, else the BRIEFING_<name> variable
    (1/0/true/false/yes/no; empty = off; anything else is an error)."""
    from analysis.settings.params import parse_flag

    return given or bool(parse_flag(_env(name), name))


def _params(args):
    from analysis.settings.params import resolve_params

    lenient = _switch(args.lenient, "LENIENT")
    return resolve_params(
        district=args.district,
        period=args.period,
        unit=getattr(args, "unit", None),
        data_dir=args.data_dir,
        strict=False if lenient else None,
        issue_number=getattr(args, "issue_number", None),
        issued=getattr(args, "issued", None),
        allow_partial=_switch(args.allow_partial, "ALLOW_PARTIAL"),
        kind=args.kind,
        data_as_of=args.data_as_of,
    )


def _prepare_out(out_root: Path, params) -> None:
    from analysis.atomic import check_folder

    check_folder(params.folder_in(out_root))
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"无法创建输出目录 {out_root}：{_os_reason(err)}") from None
    if not os.access(out_root, os.W_OK | os.X_OK):
        raise OutputError(f"输出目录 {out_root} 没有写入权限")


def cmd_report(args) -> int:
    from analysis.run.kernel import running_kernel
    from analysis.run.notices import data_notes

    config.check_config_dir()
    params = _params(args)  # validated before any heavy work
    formats = parse_formats(args.formats)
    _prepare_out(args.out, params)
    # a fresh kernel boots while the inputs are checked and nbconvert loads
    with running_kernel() as kernel:
        from analysis.run.planning import checked_job
        from analysis.run.report import run_briefing

        job = checked_job(params)  # its fingerprint lets `make email` tell a stale one
        params = job.params
        path = run_briefing(
            params, args.out, kernel=kernel, formats=formats, fingerprint=job.fingerprint
        )
    _say(f"简报已生成：{path}")
    for note in run_notes(params) + data_notes(params):
        _say(f"提示：{note}")
    return 0


def run_notes(params) -> list[str]:
    """What the run summary tells the analyst besides the path: parts left out because the
    district has no targets or gaps for the year."""
    year = params.period_end.year
    parts = {"targets": "目标完成情况", "gaps": "差距与下一步工作"}
    notes = []
    for kind, part in parts.items():
        path = district_year_file(params.district, kind, year)
        if not path.is_file():
            notes.append(
                f"{params.district}未配置{year}年的{part}（{shown_path(path)}），简报不含这部分"
            )
    return notes


def cmd_district(args) -> int:
    from datetime import date

    from analysis.tools.scaffold import scaffold_district

    if not args.name:
        raise ParameterError("请给出区名：make district NAME=新北区 TOWNS=甲镇,乙街道")
    towns = [t for t in (args.towns or "").replace("，", ",").split(",") if t.strip()]
    written = scaffold_district(args.name, towns, date.today().year)
    _say(f"已新建区“{args.name.strip()}”（{len(towns)} 个镇/街道）：")
    for path in written:
        _say(f"  {path}")
    _say("下一步：按需修改 district.yaml；把数据文件放进一个文件夹，")
    _say("再运行 make report DISTRICT=… DATA_DIR=…")
    return 0


def cmd_email(args) -> int:
    """Write briefing.eml beside the briefing, rebuilding the briefing first when it is
    missing, no longer matches the current data, configuration, parameters or code, or
    lacks a format asked for with --formats (--formats html,pdf attaches the PDF)."""
    from analysis.deliver.mail import email_briefing
    from analysis.deliver.smtp_settings import SmtpSettings
    from analysis.present.titles import briefing_title
    from analysis.run.planning import current_fingerprint, stored_fingerprint
    from analysis.run.preflight import check_inputs
    from analysis.run.report import BRIEFING_HTML, run_briefing

    send = _switch(args.send, "SEND")
    config.check_config_dir()
    params = _params(args)
    formats = parse_formats(args.formats)
    _prepare_out(args.out, params)
    params, _ = check_inputs(params)
    settings = SmtpSettings.from_env(args.env_file) if send else None
    html = params.folder_in(args.out) / BRIEFING_HTML
    fingerprint = current_fingerprint(params)
    missing = [f for f in formats if not html.with_suffix(f".{f}").exists()]
    if (
        not html.is_file()
        or stored_fingerprint(html.parent) != fingerprint
        or (args.formats and missing)
    ):
        _say("简报不存在、缺少所要的格式，或与当前的数据、配置、参数或代码不一致，正在重新生成……")
        html = run_briefing(params, out_root=args.out, formats=formats, fingerprint=fingerprint)
    eml = email_briefing(
        html, html.with_suffix(".eml"), briefing_title(params), settings, send_now=send
    )
    _say(f"邮件已写出：{eml}" + ("，并已发送" if send else ""))
    return 0


def cmd_watch(args) -> int:
    from analysis.run.planning import checked_job
    from analysis.run.report import run_briefing
    from analysis.run.watch import watch

    config.check_config_dir()
    params = _params(args)
    formats = parse_formats(args.formats)
    _prepare_out(args.out, params)

    def render(kernel):
        job = checked_job(_params(args))
        return run_briefing(job.params, args.out, kernel=kernel, formats=formats)

    _say("正在监视笔记本、措辞、配置和数据，保存后自动重新生成简报；按 Ctrl-C 结束。")
    try:
        watch(params, render, lambda line: _say(line))
    except KeyboardInterrupt:  # the way to end it: the kernel is stopped by then
        _say("已结束监视。")
    return 0


def cmd_reports(args) -> int:
    from analysis.run import batch
    from analysis.run.index_page import write_index
    from analysis.run.notices import batch_notes
    from analysis.run.planning import plan

    lenient = _switch(args.lenient, "LENIENT")
    allow_partial = _switch(args.allow_partial, "ALLOW_PARTIAL")
    formats = parse_formats(args.formats)
    config.check_config_dir()
    jobs = plan(
        args.district,
        args.period,
        args.data_dir,
        False if lenient else None,
        allow_partial,
        kind=args.kind,
        data_as_of=args.data_as_of,
    )
    summary = batch.run_batch(
        jobs, out_root=args.out, workers=args.workers, force=args.force, formats=formats
    )
    index = write_index(jobs, summary, out_root=args.out)
    _say(batch.describe(summary))
    for note in (run_notes(jobs[-1].params) if jobs else []) + batch_notes(summary.outcomes):
        _say(f"提示：{note}")
    _say(f"索引页：{index}（各区：{index.parent.parent / index.name}）")
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
    _add_run_args(p, batch=True)
    p.add_argument("--workers", type=int, help="并行进程数（默认 = CPU 核数 + 1）")
    p.add_argument("--force", action="store_true", help="全部重建，不论是否已是最新")
    p.set_defaults(func=cmd_reports)

    p = sub.add_parser(
        "watch", help="保存笔记本、措辞、配置或数据后自动重新生成简报（Ctrl-C 结束）"
    )
    _add_run_args(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("district", help="新建一个区的配置（镇/街道名单与设置模板）")
    p.add_argument("name", nargs="?", default=_env("NAME"), help="区名")
    p.add_argument("--towns", default=_env("TOWNS"), help="镇/街道，逗号分隔")
    p.set_defaults(func=cmd_district)
    return parser


_OS_REASONS = {
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOENT": "不存在",
    "ENOTDIR": "路径中有一部分是文件而不是文件夹",
    "EISDIR": "应为文件，实际是文件夹",
    "ENOSPC": "磁盘空间不足",
    "EROFS": "位于只读的文件系统",
    "EEXIST": "已存在同名文件",
}


def _os_reason(err: OSError) -> str:
    import errno

    return _OS_REASONS.get(errno.errorcode.get(err.errno or 0, ""), err.strerror or str(err))


def _say(message: str, stream=None) -> None:
    """Every message to the terminal goes through the same filter (analysis.terminal)."""
    print(for_terminal(message), file=stream or sys.stdout)


def _fail(message: str, code: int) -> int:
    _say(f"错误：{message}", sys.stderr)
    return code


def _stop_on_sigterm() -> None:
    """A scheduler's stop (SIGTERM) ends a run the way Ctrl-C does: same cleanup, same line."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _apply_cell_timeout(args) -> None:
    """--cell-timeout reaches the run (and a batch's workers) as BRIEFING_CELL_TIMEOUT,
    checked before anything starts."""
    from analysis.run.kernel import cell_timeout

    if getattr(args, "cell_timeout", None):
        os.environ["BRIEFING_CELL_TIMEOUT"] = str(args.cell_timeout)
    cell_timeout()


def main(argv: list[str] | None = None) -> int:
    _stop_on_sigterm()
    args = build_parser().parse_args(argv)
    try:
        _apply_cell_timeout(args)
        return args.func(args)
    except KeyboardInterrupt:
        # the notebook's cell task ends with the same interruption; asyncio would log it
        # ("Task exception was never retrieved") when the task is collected
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        _say(INTERRUPTED_MESSAGE, sys.stderr)
        return EXIT_INTERRUPTED
    except ParameterError as err:
        return _fail(str(err), 2)
    except AnalysisError as err:
        return _fail(failure_reason(err), 1)  # a full disk in a cell: the cause comes first
    except OSError as err:
        where = err.filename or "（未知文件）"
        return _fail(f"无法读写 {where}：{_os_reason(err)}", 1)
