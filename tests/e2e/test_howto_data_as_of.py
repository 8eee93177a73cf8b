"""The guide's DATA_AS_OF lines (section 十二): the make variable and the command-line
option both reach the run parameters."""

from __future__ import annotations

import shlex

from test_howtos import snippet

from analysis import cli
from analysis.settings import config

D = "示例城区"


def test_the_guides_data_as_of_lines_reach_the_run_parameters(monkeypatch):
    """The guide's make line (each variable becomes BRIEFING_<name>, as the Makefile hands
    it over) and its command-line equivalent both declare the extraction date."""
    make_line, command = (line for line in snippet("data_as_of").splitlines() if line.strip())
    makefile = (config.PROJ_ROOT / "Makefile").read_text(encoding="utf-8")
    run_variables = makefile.split("RUN_VARIABLES :=", 1)[1].split("\n$(foreach", 1)[0]
    for word in shlex.split(make_line)[2:]:
        name, value = word.split("=", 1)
        assert name in run_variables.split(), name
        monkeypatch.setenv(f"BRIEFING_{name}", value)
    args = cli.build_parser().parse_args(["report", "--district", D])
    assert cli._params(args).data_as_of == "2021-12-05"
    for name in ("KIND", "PERIOD", "DATA_AS_OF"):
        monkeypatch.delenv(f"BRIEFING_{name}")
    words = shlex.split(command.split("：", 1)[1])[3:]  # after "python -m analysis"
    args = cli.build_parser().parse_args([*words, "--district", D])
    params = cli._params(args)
    assert (params.data_as_of, params.kind, params.period) == ("2021-12-05", "month", "2021-11")
