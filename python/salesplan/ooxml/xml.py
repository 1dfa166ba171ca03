"""Small XML text helpers: escaping, attributes, elements, namespace prefixes.

The parts the splice edits are edited as text with narrow regular expressions rather than parsed
and re-serialised with ``xml.etree``: ElementTree would rename namespace prefixes and drop the
declarations that ``mc:Ignorable`` (ECMA-376 Part 3, Markup Compatibility) refers to, which makes
Excel reject the file. Everything we generate ourselves is simple, and everything we do not
understand is left untouched. These helpers are that text editing.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "NS_MAIN", "NS_R", "NS_STRICT_MAIN", "NS_XML", "PREFIX", "attr_re", "del_attr", "element_re",
    "esc_attr", "esc_text", "get_attr", "insert_child", "key", "ns_prefix", "root_tag", "set_attr",
    "start_tag", "start_tag_re",
]

#: SpreadsheetML, the main namespace of every workbook part (Transitional).
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: SpreadsheetML of Strict Open XML, which the splice does not edit.
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
#: Relationship references (``r:id``) inside a part.
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_XML = "http://www.w3.org/XML/1998/namespace"

#: An optional namespace prefix of an element name.
PREFIX = r"(?:[\w.-]+:)?"


def key(name: str) -> str:
    """Sheet, table and defined names compare case-insensitively in Excel."""
    return name.casefold()


def esc_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(value: str) -> str:
    return esc_text(value).replace('"', "&quot;")


def attr_re(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<=\s)" + re.escape(name) + r"""\s*=\s*("([^"]*)"|'([^']*)')""")


def get_attr(tag: str, name: str) -> str | None:
    """Unescaped value of attribute `name` in start tag `tag`, or None."""
    m = attr_re(name).search(tag)
    if m is None:
        return None
    return html.unescape(m.group(2) if m.group(2) is not None else m.group(3))


def set_attr(tag: str, name: str, value: str) -> str:
    """Start tag `tag` with attribute `name` set to `value` (added if absent)."""
    pattern = attr_re(name)
    new = f'{name}="{esc_attr(value)}"'
    if pattern.search(tag):
        return pattern.sub(lambda _m: new, tag, count=1)
    end = re.search(r"\s*/?>$", tag)
    assert end is not None, tag  # a start tag ends with ">"
    return tag[: end.start()] + " " + new + tag[end.start():]


def del_attr(tag: str, name: str) -> str:
    return re.sub(r"\s+" + re.escape(name) + r"""\s*=\s*("[^"]*"|'[^']*')""", "", tag, count=1)


def element_re(local: str, prefix: str) -> re.Pattern[str]:
    """Whole element `prefix:local`, empty or not. Only for elements that do
    not nest inside themselves (all the ones we look for)."""
    q = re.escape(prefix + local)
    return re.compile(rf"<{q}(?=[\s/>])[^>]*?/>|<{q}(?=[\s/>])[^>]*>.*?</{q}\s*>", re.DOTALL)


def start_tag_re(local: str, prefix: str = PREFIX, literal: bool = False) -> re.Pattern[str]:
    p = re.escape(prefix) if literal else prefix
    return re.compile(rf"<{p}{re.escape(local)}(?=[\s/>])[^>]*>")


def start_tag(element: str) -> str:
    return element[: element.index(">") + 1]


def root_tag(text: str) -> str:
    m = re.search(r"<(?![?!])[^>]*>", text)
    if m is None:
        raise ValueError("no root element")
    return m.group(0)


def ns_prefix(root_tag: str, namespace: str) -> str | None:
    """The prefix ('' for default, 'x:' otherwise) bound to `namespace` on `root_tag`."""
    for m in re.finditer(r"""\sxmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""", root_tag):
        if m.group(2) == namespace:
            return m.group(1) + ":" if m.group(1) else ""
    return None


def insert_child(text: str, prefix: str, order: list[str], local: str, fragment: str) -> str:
    """Insert `fragment` (a new `local` element) into the root of `text` after
    the last present element among those preceding `local` in `order`."""
    position = None
    for sibling in order[: order.index(local)]:
        for m in element_re(sibling, prefix).finditer(text):
            position = max(position or 0, m.end())
    if position is None:
        position = text.index(root_tag(text)) + len(root_tag(text))
    return text[:position] + fragment + text[position:]
