"""Rich text in, safe HTML out (nh3, the Rust ammonia sanitiser)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "a",
        "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "figure",
        "figcaption", "span", "hr"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


# A path on this site: "/" then a path character that cannot start another host. Browsers
# read "\\" as "/" and drop tabs and newlines, so "/\\evil.example/p.png" or "/\t/evil…" would
# load from another host: backslashes, whitespace and control characters are never allowed.
_SAME_SITE_PATH = re.compile(r"^/[A-Za-z0-9._~%!$&'()*+,;=:@-][A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*$")


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Pictures come from this site only (the site's own image paths): the
    Content-Security-Policy would block others anyway, and an outside picture tells its host
    who reads the page."""
    if tag == "img" and attribute == "src":
        return value if _SAME_SITE_PATH.match(value) else None
    return value


# In nh3's normalised output attribute values are double-quoted with any quote inside escaped,
# so ` src="` occurs only as the attribute itself: an <img> without it lost its src above.
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')


def clean_html(html: str) -> str:
    cleaned = nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"},
                        link_rel="noopener noreferrer", attribute_filter=_local_images_only)
    return _IMG_WITHOUT_SRC.sub("", cleaned)


def plain_text(html: str) -> str:
    """The words of ``html`` as text (entities decoded: whoever shows it escapes it again)."""
    return unescape(nh3.clean(html or "", tags=set())).strip()


_BLOCK_END = re.compile(r"(</(p|h[1-6]|li|blockquote|figure|figcaption|tr)>|<br\s*/?>)", re.I)


def paragraphs_text(html: str) -> str:
    """Plain text that keeps one paragraph (heading, list item) a line, blank lines between,
    for places that show text with line breaks (the activities app's learning page)."""
    text = unescape(nh3.clean(_BLOCK_END.sub(lambda m: m.group(0) + "\n", html or ""),
                              tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})


def images_in(html: str) -> list[dict[str, str]]:
    """The attributes of every <img> in ``html``."""
    parser = _Images()
    parser.feed(html or "")
    parser.close()
    return parser.images
