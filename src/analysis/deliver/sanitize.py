"""What leaders open holds no script and loads nothing: each cell's HTML, cleaned with nh3.

The analyst's notebook may show anything: ``display(HTML("<script>…"))``, a Markdown image
from a web address, an ``onerror=`` attribute. Before a cell's HTML goes into briefing.html
it is cleaned with nh3 (the Rust sanitiser ammonia): scripts, event handlers, frames,
objects, forms and remote resources (``src``/``srcset`` not ``data:``, CSS ``url()`` or
``@import`` not ``data:``) are removed, and each removal becomes a Chinese warning naming
the cell. The project's own markup (tables, inline ``data:`` charts, classes, ``data-*``)
passes unchanged.

A cell from which nothing is removed keeps its exact bytes, so a briefing stays
byte-identical: nothing is removed when two parsers agree — the standard library's
``HTMLParser`` finds nothing outside the rules and leaves no tag, comment or style open
(which would join with the next cell), and nh3 gives the same result with the rules as with
everything allowed.
"""

from __future__ import annotations

import re
import sys
from html import escape
from html.parser import HTMLParser
from typing import Any

import nh3
from jinja2 import pass_context

from analysis.notebook_cells import cell_label
from analysis.terminal import for_terminal

# Tags a cell may show; everything else is removed (its text kept, except REMOVED_WITH_TEXT).
ALLOWED_TAGS = frozenset(
    "a abbr b bdi blockquote br caption code col colgroup dd del details div dl dt em "
    "figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark ol p pre q "
    "s samp section small span strong style sub summary sup table tbody td tfoot th thead "
    "time tr u ul var wbr".split()
)
REMOVED_WITH_TEXT = frozenset(
    "script noscript template iframe frame frameset object embed applet noembed noframes "
    "xmp svg math title textarea select".split()
)
# Every element a browser gives a meaning to, so that "allow everything" really does.
_KNOWN_TAGS = (
    ALLOWED_TAGS
    | REMOVED_WITH_TEXT
    | frozenset(
        "address area article aside audio base basefont bgsound big blink body button canvas "
        "center cite data datalist dfn dialog dir font form head hgroup html image input "
        "isindex keygen label legend link listing main map marquee menu meta meter nav "
        "nextid nobr optgroup option output param picture plaintext portal progress rb rp "
        "rt rtc ruby search slot source spacer strike track tt video animate animatemotion "
        "animatetransform set use foreignobject feimage".split()
    )
)
GLOBAL_ATTRIBUTES = frozenset(
    "class id title lang dir align valign width height colspan rowspan scope headers "
    "role style span start reversed open datetime".split()
)
TAG_ATTRIBUTES = {"a": frozenset({"href", "target"}), "img": frozenset({"src", "alt"})}
GENERIC_PREFIXES = frozenset({"data-", "aria-"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")  # what browsers ignore inside a URL
_CSS_REF = re.compile(r"url\(|image-set\(|image\(|@import|expression\(|\\", re.IGNORECASE)
_CSS_DATA = re.compile(r"""url\(\s*["']?data:image/""", re.IGNORECASE)
_TAG_KINDS = {"script": "脚本", "iframe": "内嵌页面", "frame": "内嵌页面", "object": "插件"}
_TAG_KINDS |= {"embed": "插件", "applet": "插件", "link": "外部样式或资源", "base": "基准地址"}
_ALL_SCHEMES = LINK_SCHEMES | {"data", "javascript", "vbscript", "file", "ftp", "blob", "about"}


def _scheme(url: str) -> str:
    match = _SCHEME.match(_URL_CHARS.sub("", url))
    return match.group(1).lower() if match else ""


def css_problem(css: str) -> str | None:
    """Why CSS text could load something or hide what it loads (a url() not of a
    ``data:`` image, @import, an escape), in Chinese; None when it cannot."""
    refs = _CSS_REF.findall(css)
    if not refs:
        return None
    if all(r.lower() == "url(" for r in refs) and len(refs) == len(_CSS_DATA.findall(css)):
        return None
    shown = css.strip()[:60]
    return f"样式中引用了外部资源或含转义（{shown}）"


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why an attribute is removed, in Chinese; None when it may stay."""
    name = name.lower()
    allowed = (
        name in GLOBAL_ATTRIBUTES
        or name in TAG_ATTRIBUTES.get(tag, ())
        or any(name.startswith(p) for p in GENERIC_PREFIXES)
    )
    if name.startswith("on"):
        return f"事件处理属性 {name}（会执行脚本）"
    if not allowed:
        return f"不允许的属性 <{tag} {name}>"
    if name == "src" and not IMAGE_DATA.match(value.strip()):
        return f"不是内嵌的图片 {value.strip()[:80]}（简报不从网络或其他文件加载内容）"
    if name == "href" and _scheme(value) not in ("", *LINK_SCHEMES):
        return f"链接 {value.strip()[:60]}（{_scheme(value)}: 链接不允许）"
    if name == "style":
        return css_problem(value)
    return None


def _filter(tag: str, name: str, value: str) -> str | None:
    return None if attribute_problem(tag, name, value) else value


def _cleaner(tags: set[str], removed_with_text: set[str]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=removed_with_text,
        attributes={"*": set(GLOBAL_ATTRIBUTES), **{t: set(a) for t, a in TAG_ATTRIBUTES.items()}},
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        attribute_filter=_filter,
        url_schemes=set(_ALL_SCHEMES),
        link_rel=None,
        strip_comments=False,
    )


_STRICT = _cleaner(set(ALLOWED_TAGS), set(REMOVED_WITH_TEXT))
_STRICT_WITHOUT_STYLE = _cleaner(set(ALLOWED_TAGS - {"style"}), set(REMOVED_WITH_TEXT | {"style"}))


class _Scan(HTMLParser):
    """The standard library's reading of a fragment: what the rules would remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []
        self.tags: set[str] = set()
        self.schemes: set[str] = set()
        self.style_refused = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"{_TAG_KINDS.get(tag, '不允许的标记')} <{tag}>")
        for name, value in attrs:
            self.schemes.add(_scheme(value or ""))
            problem = attribute_problem(tag, name, value or "")
            if problem and tag in ALLOWED_TAGS:
                self.removed.append(problem)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.cdata_elem == "style":
            problem = css_problem(data)
            if problem:
                self.style_refused = True
                self.removed.append(problem)

    @property
    def left_open(self) -> bool:
        """Markup not finished at the end (a tag, a comment, a style), which the next cell
        would finish."""
        return bool(self.rawdata) or self.cdata_elem is not None


_EVERYTHING = nh3.Cleaner(
    tags=set(_KNOWN_TAGS),
    clean_content_tags=set(),
    generic_attribute_prefixes={""},
    url_schemes=set(_ALL_SCHEMES),
    link_rel=None,
    strip_comments=False,
)


def _everything_allowed(html: str, scan: _Scan) -> str:
    """nh3 with every element, attribute and scheme seen allowed (the reference that the
    rules' result must equal)."""
    schemes = scan.schemes - {""}
    if scan.tags <= _KNOWN_TAGS and schemes <= _ALL_SCHEMES:
        return _EVERYTHING.clean(html)
    return nh3.clean(
        html,
        tags=set(_KNOWN_TAGS | scan.tags),
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=set(_ALL_SCHEMES | schemes),
        link_rel=None,
        strip_comments=False,
    )


def _scanned(html: str) -> _Scan:
    scan = _Scan()
    scan.feed(html)
    return scan


def clean_fragment(html: str) -> tuple[str, list[str]]:
    """(the fragment to publish, what was removed in Chinese). Unchanged — the very same
    string — when nothing had to be removed."""
    scan = _scanned(html)
    if not scan.removed and not scan.left_open:
        if _STRICT.clean(html) == _everything_allowed(html, scan):
            return html, []
    removed = list(dict.fromkeys(scan.removed)) or ["无法识别或未闭合的标记"]
    return _cleaned(html, scan), removed


def _cleaned(html: str, scan: _Scan) -> str:
    """nh3's cleaning, read again by the standard library's parser: where the two read the
    markup differently (a style left open, markup inside a style), styles go too, then all
    markup (only the text stays)."""
    for cleaner in (_STRICT, _STRICT_WITHOUT_STYLE):
        if cleaner is _STRICT and (scan.style_refused or scan.left_open):
            continue
        cleaned = cleaner.clean(html)
        check = _scanned(cleaned)
        if not check.removed and not check.left_open:
            return cleaned
    return escape(nh3.clean(html, tags=set(), clean_content_tags=set(REMOVED_WITH_TEXT)))


class Removals(list):
    """What was removed, by cell: passed in the exporter's resources, which nbconvert
    deep-copies before the template runs, so a copy is this very list."""

    def __deepcopy__(self, memo: dict) -> Removals:
        return self


@pass_context
def clean_cell(context: Any, html: str, cell: Any) -> str:
    """The template filter (templates/briefing): a cell's HTML cleaned; what was removed is
    added to ``resources["briefing"]["removed"]`` (Removals) as (cell label, [reasons])."""
    cleaned, removed = clean_fragment(str(html))
    if removed:
        record = context["resources"].get("briefing", {}).get("removed")
        if record is not None:
            record.append((cell_label(context["nb"], cell), removed))
    return cleaned


def warn_removed(title: str, removed: list[tuple[str, list[str]]], stream=None) -> None:
    """Tell the analyst, in Chinese, what was left out of the briefing and from which cell."""
    if not removed:
        return
    lines = [f"警告：简报《{title}》中删去了以下内容（简报不含脚本，也不从网络加载任何内容）："]
    lines += [f"  {where}：{'；'.join(reasons)}" for where, reasons in removed]
    lines.append("  请修改这些单元格，改用项目的表格和图表（analysis.house）或内嵌图片。")
    print(for_terminal("\n".join(lines)), file=stream or sys.stderr)
