"""``python -m analysis.tools.sample_data [--district zhonglou|city] [OUT_DIR]``."""

from __future__ import annotations

import argparse
import sys

from analysis.tools.sample_data.city import write_city_sample
from analysis.tools.sample_data.zhonglou import write_sample_data

WRITERS = {"zhonglou": write_sample_data, "city": write_city_sample}
NAMES = {"zhonglou": "钟楼区", "city": "示例城区"}
USAGE = "python -m analysis.tools.sample_data [--district zhonglou|city] [输出目录]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own wording is English
        self.exit(2, f"参数有误（{message}）。\n用法：{USAGE}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m analysis.tools.sample_data",
        usage=USAGE,
        description="重新生成合成示例数据（非真实台账）。",
    )
    parser.add_argument(
        "--district",
        default="zhonglou",
        help="zhonglou = 钟楼区2020示例（默认，写入 data/sample/）；"
        "city = 虚构的示例城区2022—2024（写入 data/sample_city/）",
    )
    parser.add_argument("out_dir", nargs="?", help="输出目录（默认为该示例的数据目录）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    writer = WRITERS.get(args.district)
    if writer is None:
        known = "、".join(WRITERS)
        print(f"未知的示例“{args.district}”，可选：{known}。\n用法：{USAGE}", file=sys.stderr)
        return 2
    paths = writer(args.out_dir)
    print(f"已生成合成示例数据 {NAMES[args.district]} {len(paths)} 个文件：{paths[0].parent}")
    return 0
