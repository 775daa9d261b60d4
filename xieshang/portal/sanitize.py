"""Rich text in, safe HTML out (nh3, the Rust ammonia sanitiser)."""

from __future__ import annotations

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "a",
        "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "figure",
        "figcaption", "span", "hr"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def clean_html(html: str) -> str:
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def plain_text(html: str) -> str:
    return nh3.clean(html or "", tags=set()).strip()
