"""Everything that makes a briefing run faster than the stock papermill + nbconvert route, in
one place.

Two of the speed-ups reach past public APIs; with ``BRIEFING_PUBLIC_API=1`` in the
environment both are left out and only public APIs are used. The briefing is byte-identical
either way (tests/e2e/test_speedups.py), only slower:

* jsonschema imports ``rfc3987_syntax`` (installed with jupyterlab) to check "iri" formats,
  which compiles a grammar at import time (~0.7 s per process). Notebook validation never
  uses those formats; marking the module absent in ``sys.modules`` makes jsonschema skip that
  checker. ``skip_unused_format_checker()`` must run before papermill or nbformat is
  imported.
* jupyter_client polls a killed kernel every 0.1 s until it is gone; a killed kernel is gone
  within milliseconds, so ``FastShutdownKernelManager`` overrides the private ``_async_wait``
  to poll faster (~0.1 s per briefing).

Also left out under that flag, though built on public APIs only: ``ReadyClient`` replaces
jupyter_client's start-up check, which ends by draining IOPub until nothing has come for
0.2 s, with an exact one (~0.2 s per briefing, in a batch too).

The rest uses public APIs only and applies on both paths:

* the kernel imports the project while it boots, in parallel with the caller's own imports
  (``KERNEL_PRELOAD``, an IPython start-up line);
* the export uses nbconvert's ``TemplateExporter`` with the project's template and nbconvert's
  own options (no permalinks, no input, no prompts). That skips ``HTMLExporter``'s
  BeautifulSoup pass, which only adds accessibility attributes to the stock templates' markup
  and re-serialises the whole page (90% of the export time, and XML-style ``<br/>``);
* the exporter is built once per process, its template compiled while the kernel works
  (``warm_exporter``).
"""

from __future__ import annotations

import os
import sys
import time
from functools import cache
from queue import Empty
from typing import TYPE_CHECKING

from jupyter_client import BlockingKernelClient, KernelManager, protocol_version_info

from analysis.settings import config

if TYPE_CHECKING:
    from nbconvert.exporters import TemplateExporter
    from nbformat import NotebookNode

# The notebook imports the same module, so this changes timing only, never results.
KERNEL_PRELOAD = "import analysis.briefing, analysis.house, seaborn"

PUBLIC_API_ENV = "BRIEFING_PUBLIC_API"
PUBLIC_API_ONLY = os.environ.get(PUBLIC_API_ENV, "0") not in ("", "0")


def skip_unused_format_checker() -> None:
    if not PUBLIC_API_ONLY:
        sys.modules.setdefault("rfc3987_syntax", None)


class FastShutdownKernelManager(KernelManager):
    """A KernelManager that waits for a killed kernel with a 5 ms poll instead of 100 ms."""

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval)


class ReadyClient(BlockingKernelClient):
    """A kernel client whose ``wait_for_ready`` ends as soon as the kernel is ready.

    Ready means: a kernel_info request has its reply on the shell channel and its ``idle``
    status on IOPub. IOPub is then connected, and everything the kernel published before
    (which jupyter_client drains by waiting for 0.2 s of silence) has been read. If IOPub
    was not connected yet (ZeroMQ's slow joiner), the status is lost and the request is
    sent again, as jupyter_client does."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            msg_id = self.kernel_info()
            if self._idle_after(msg_id):
                return
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    def _idle_after(self, msg_id: str) -> bool:
        """Whether the reply to ``msg_id`` and then its idle status arrive in time."""
        try:
            while (reply := self.get_shell_msg(timeout=1))["parent_header"].get("msg_id") != msg_id:
                pass
            while True:
                msg = self.get_iopub_msg(timeout=0.2)
                if msg["parent_header"].get("msg_id") == msg_id and _is_idle(msg):
                    break
        except Empty:
            return False
        version = int(reply["content"]["protocol_version"].split(".")[0])
        if version != protocol_version_info[0]:  # as jupyter_client's own check does
            self.session.adapt_version = version
        return True


def _is_idle(msg: dict) -> bool:
    return msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"


def kernel_manager_class() -> type[KernelManager]:
    return KernelManager if PUBLIC_API_ONLY else FastShutdownKernelManager


def kernel_client_class() -> str:
    """The dotted name of the client class for ``KernelManager(client_class=...)``."""
    if PUBLIC_API_ONLY:
        return "jupyter_client.blocking.BlockingKernelClient"
    return f"{__name__}.ReadyClient"


def _markdown_without_permalinks(source: str) -> str:
    """nbconvert's markdown filter with its own ``exclude_anchor_links`` option: a briefing
    needs no heading permalinks (HTMLExporter offers the option, TemplateExporter does not)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(escape=False, exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(source)


def briefing_exporter() -> TemplateExporter:
    """nbconvert's exporter for the project's template (templates/briefing)."""
    from nbconvert.exporters import TemplateExporter

    return TemplateExporter(
        template_name="briefing",
        template_file="index.html.j2",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        filters={"markdown2html": _markdown_without_permalinks},
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
        exclude_unknown=True,
    )


@cache
def warm_exporter() -> TemplateExporter:
    """An exporter with its template and filters loaded, made once per process (a batch
    worker reuses it for every briefing) and, the first time, while the kernel works."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    exporter = briefing_exporter()
    # one export of a one-cell notebook loads and compiles the template and its filters
    export_html(new_notebook(cells=[new_markdown_cell("#")]), "", exporter)
    return exporter


def export_html(nb: NotebookNode, title: str, exporter: TemplateExporter | None = None) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = exporter or briefing_exporter()
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html
