"""The speed machinery: its public-API path (BRIEFING_PUBLIC_API=1) gives the same bytes, and
the export uses nbconvert's own options."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from jupyter_client import KernelManager

from analysis.run import speedups
from analysis.settings import config


def _cli_report(out_root, public_api: str) -> subprocess.CompletedProcess:
    env = os.environ | {speedups.PUBLIC_API_ENV: public_api}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--out", str(out_root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.PROJ_ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory, default_params):
    """briefing.html of the sample data made with the speed-ups and with public APIs only."""
    paths = {}
    for public_api in ("0", "1"):
        out_root = tmp_path_factory.mktemp(f"public-api-{public_api}")
        result = _cli_report(out_root, public_api)
        assert result.returncode == 0, result.stderr
        paths[public_api] = out_root / default_params.output_subdir / "briefing.html"
    return paths


def test_public_api_path_gives_byte_identical_html(both_paths):
    fast, public = (both_paths[k].read_bytes() for k in ("0", "1"))
    assert len(fast) > 10_000
    assert fast == public


def test_public_api_path_gives_identical_tables(both_paths):
    fast, public = both_paths["0"].parent, both_paths["1"].parent
    csvs = sorted(p.name for p in fast.glob("*.csv"))
    assert csvs and csvs == sorted(p.name for p in public.glob("*.csv"))
    for name in csvs:
        assert (fast / name).read_bytes() == (public / name).read_bytes(), name


@pytest.mark.parametrize(("value", "public"), [("1", True), ("0", False), ("", False)])
def test_the_flag_means_what_it_says(value, public):
    code = "from analysis.run import speedups; print(speedups.PUBLIC_API_ONLY)"
    env = os.environ | {speedups.PUBLIC_API_ENV: value}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == str(public), out.stderr


def test_public_path_uses_the_stock_kernel_manager(monkeypatch):
    monkeypatch.setattr(speedups, "PUBLIC_API_ONLY", True)
    assert speedups.kernel_manager_class() is KernelManager
    monkeypatch.setattr(speedups, "PUBLIC_API_ONLY", False)
    fast = speedups.kernel_manager_class()
    assert fast is not KernelManager and issubclass(fast, KernelManager)


def test_public_path_leaves_sys_modules_alone(monkeypatch):
    monkeypatch.delitem(sys.modules, "rfc3987_syntax", raising=False)
    monkeypatch.setattr(speedups, "PUBLIC_API_ONLY", True)
    speedups.skip_unused_format_checker()
    assert "rfc3987_syntax" not in sys.modules
    monkeypatch.setattr(speedups, "PUBLIC_API_ONLY", False)
    speedups.skip_unused_format_checker()
    assert sys.modules["rfc3987_syntax"] is None


def test_export_uses_nbconvert_options_no_permalinks_no_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 一、总体情况\n\n本月**事故**较少。"),
        nbformat.v4.new_code_cell(
            "secret_working = 1",
            outputs=[nbformat.v4.new_output("execute_result", {"text/html": "<p>表格</p>"})],
        ),
    ]
    html = speedups.export_html(nb, "钟楼区安全生产简报")
    assert "<h2>一、总体情况</h2>" in html
    assert "anchor-link" not in html and "&#" not in html
    assert "<p>表格</p>" in html and "secret_working" not in html
    assert "<title>钟楼区安全生产简报</title>" in html


def test_the_warm_exporter_is_made_once_per_process():
    assert speedups.warm_exporter() is speedups.warm_exporter()


def test_the_ready_check_reads_everything_the_start_published(tmp_path, monkeypatch):
    """ReadyClient returns once the kernel answered, with nothing of the start-up left on
    IOPub (what jupyter_client's 0.2 s of waiting for silence makes sure of)."""
    from queue import Empty

    from analysis.run.kernel import running_kernel

    monkeypatch.setattr(speedups, "PUBLIC_API_ONLY", False)
    with running_kernel() as km:
        kc = km.client()
        assert isinstance(kc, speedups.ReadyClient)
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            with pytest.raises(Empty):
                kc.get_iopub_msg(timeout=0.3)
            reply = kc.execute_interactive("print('就绪')", timeout=30, output_hook=lambda m: None)
            assert reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
