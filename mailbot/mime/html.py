"""HTML-only mail turned into readable plain text: block elements break lines, paragraphs are separated by
a blank line, list items get bullets (numbers in ordered lists), links keep their target, a table row is one
line with its cells separated by tabs (paragraphs inside a cell, as Outlook writes them, do not break it),
images leave their alt text; scripts, styles, comments and the head are dropped."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK = {"div", "br", "tr", "li", "table", "ul", "ol", "pre", "hr", "section", "article", "header", "footer",
          "dl", "dt", "dd", "address", "center", "form", "nav", "aside", "main", "figure", "figcaption",
          "fieldset", "details", "summary", "caption", "thead", "tbody", "tfoot"}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}  # a blank line before and after
_SKIP = {"script", "style", "head", "title", "template", "noscript", "xml", "svg", "object", "iframe"}
_IN_HEAD = {"meta", "link", "title", "style", "script", "base", "noscript", "template", "head", "html"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []  # open elements whose content is dropped
        self.pre = 0
        self.href: list[str | None] = []
        self.lists: list[list] = []  # [tag, next number]
        self.cells = 0  # open table cells: blocks inside one do not break the row's line

    def _break(self, n: int) -> None:
        """End the current line, leaving at least n line breaks (at most: blocks never pile up blank lines)."""
        have = 0
        for i in range(len(self.out) - 1, max(-1, len(self.out) - 65), -1):
            stripped = self.out[i].rstrip(" \t")
            if not stripped:
                continue
            have += len(stripped) - len(stripped.rstrip("\n"))
            if have >= n or stripped.strip("\n"):
                break
        if self.out and have < n:
            self.out.append("\n" * (n - have))

    def _space(self) -> None:
        if self.out and not self.out[-1].endswith((" ", "\t", "\n")):
            self.out.append(" ")

    def _leave_head(self) -> None:
        """A head that was never closed ends at the body, or the whole mail would be lost (HTML5 does so)."""
        self.skip = [t for t in self.skip if t not in ("head", "title")]

    def handle_starttag(self, tag, attrs):
        if tag == "body" or (tag not in _IN_HEAD and self.skip == ["head"]):
            self._leave_head()
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if self.skip:
            return
        attrs = dict(attrs)
        if tag == "pre":
            self.pre += 1
        if self.cells and (tag in _PARAGRAPH or tag in _BLOCK) and tag not in ("tr", "table"):
            self._space()
        elif tag == "br":
            self.out.append("\n")
        elif tag in _PARAGRAPH:
            self._break(2)
        elif tag in _BLOCK:
            self._break(1)
        if tag in ("ul", "ol"):
            self.lists.append([tag, 1])
        elif tag == "li":
            if self.lists and self.lists[-1][0] == "ol":
                self.out.append(f"{self.lists[-1][1]}. ")
                self.lists[-1][1] += 1
            else:
                self.out.append("- ")
        elif tag in ("td", "th"):
            if self.out:
                self.out[-1] = self.out[-1].rstrip(" ")
            self.out.append("\t")
            self.cells += 1
        elif tag == "a":
            self.href.append(attrs.get("href"))
        elif tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self.out.append(f"[{alt}]")
        elif tag == "hr":
            self.out.append("-" * 20 + "\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            if tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
        elif tag == "a" and self.href:
            href = (self.href.pop() or "").strip()
            before = "".join(self.out[-3:]).strip()
            if href.lower().startswith(("http:", "https:")) and not before.endswith(href) and before:
                self.out.append(f" <{href}>")
        if tag in ("td", "th"):
            self.cells = max(0, self.cells - 1)
        elif tag in ("tr", "table"):
            self.cells = 0  # a cell left open ends with its row
        if self.cells and (tag in _PARAGRAPH or tag in _BLOCK):
            self._space()
        elif tag in _PARAGRAPH:
            self._break(2)
        elif tag in _BLOCK and tag != "br":
            self._break(1)

    def handle_data(self, data):
        if self.skip == ["head"] and data.strip():
            self._leave_head()
        if self.skip:
            return
        if not self.pre:
            data = _SPACES.sub(" ", data)
            if self.out and self.out[-1].endswith(("\t", " ")):
                data = data.lstrip(" ")  # no run of spaces: in a table row that would read as a column break
        if data:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient, but a pathological document must not cost the text
        return _SPACES.sub(" ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()
    text = "".join(parser.out).replace("\xa0", " ").replace("\u200b", "")
    lines = [line.strip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
