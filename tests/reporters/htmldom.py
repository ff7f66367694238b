"""A tiny DOM for tests: parse HTML with the standard library and query elements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Element]:
        for c in self.children:
            if isinstance(c, Element):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, pred: Callable[[Element], bool] | None = None) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (pred is None or pred(e))]

    def by_id(self, ident: str) -> Element | None:
        found = self.find_all(pred=lambda e: e.attrs.get("id") == ident)
        return found[0] if found else None

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> Iterator[Element]:
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.cur = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.cur)
        self.cur.children.append(el)
        if tag not in VOID:
            self.cur = el

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.cur.children.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.cur))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.cur.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.cur.tag}>")
            node = self.cur
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.cur = node
        self.cur = self.cur.parent or self.root

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def parse(html_text: str) -> tuple[Element, list[str]]:
    """(document, nesting errors)."""
    b = _Builder()
    b.feed(html_text)
    b.close()
    if b.cur is not b.root:
        b.errors.append(f"<{b.cur.tag}> not closed")
    return b.root, b.errors
