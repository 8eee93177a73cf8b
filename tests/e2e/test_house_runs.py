"""The house style in a real kernel: the installed kernel and the executed notebook."""

from __future__ import annotations

from analysis import house
from analysis.present import chart_font, plots

SMALLEST_TEXT_PX = round(plots.style_rc()["xtick.labelsize"] / 72 * plots.CSS_PX_PER_IN, 1)


def test_the_installed_kernel_starts_with_the_house_style(tmp_path):
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    house.install_kernel(prefix=str(tmp_path))
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "share/jupyter/kernels")])
    km = KernelManager(kernel_name=house.KERNEL_NAME, kernel_spec_manager=ksm)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    messages = []
    code = (
        "import matplotlib; print(matplotlib.rcParams['font.sans-serif'][0])\n"
        "import matplotlib.pyplot as plt\n"
        "plt.bar(['邹区镇', '北港街道'], [5, 1]); plt.title('事故起数'); plt.show()"
    )
    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(code, output_hook=messages.append, timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    printed = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
    assert printed.strip() == chart_font.chinese_font_family()  # no missing-glyph warning either
    shown = [m["content"] for m in messages if m["msg_type"] == "display_data"]
    assert len(shown) == 1  # plt.show() displays the figure once, through the house PNG
    assert shown[0]["metadata"]["image/png"] == {
        "alt": "事故起数",
        "width": round(plots.WIDTH_IN * plots.CSS_PX_PER_IN),
        "text_px": SMALLEST_TEXT_PX,
    }


def test_the_executed_notebook_holds_no_object_addresses(built_briefing):
    """An address differs from run to run: the executed notebook would never repeat."""
    executed = (built_briefing.parent / "briefing.ipynb").read_text(encoding="utf-8")
    assert "house.table(" in executed and " at 0x" not in executed
