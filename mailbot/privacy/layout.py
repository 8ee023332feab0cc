"""The shape of a scanned text: lines, table rows with their column headers, and the sender's signature.

Detectors judge a number or a word by what stands around it — the words before it on its line, the header of
the column it sits in, a name on the same row — so they share one reading of that shape. Tables arrive as
TAB-separated rows from spreadsheets, as CSV with `;` or `,`, as pasted text with `|` or aligned columns.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_SEPARATORS = (re.compile(r"\t"), re.compile(r";"), re.compile(r"\|"), re.compile(r" {2,}"), re.compile(r","))
# Where the sender's own signature starts: "-- ", or a closing formula on a line of its own (thanks in advance
# and wishes for the day close mail too: "Jauku dienu!", "Заранее спасибо,").
CLOSING = re.compile(
    r"^[ \t]*(--[ \t]*|(ar cieņu|ar labu vēlējumu|ar labākajiem vēlējumiem|sveicieni|paldies|pagarbiai|su pagarba|"
    r"linkėjimai|ačiū|cu stim[aă]|cu respect|cu drag|mul[țţt]umesc|s pozdravom|s úctou|s pozdravem|ďakujem|"
    r"с уважением|спасибо|всего доброго|regards|best regards|kind regards|best|thanks|thank you|br|"
    r"lugupidamisega|pozdrawiam|z poważaniem|paldies jau iepriekš|jauku dienu|ačiū iš anksto|iš anksto ačiū|"
    r"dėkoju|geros dienos|(vă )?mul[țţt]umesc anticipat|o zi bun[aă]|vopred ďakujem|pekný deň|заранее спасибо|"
    r"хорошего дня|thanks in advance|thank you in advance|have a nice day)[ \t,.!]*)$", re.I | re.M)
# Where a quoted or forwarded earlier message starts (its signature is someone else's).
_QUOTE_START = re.compile(r"^[ \t]*(>|-{3,}|_{5,}|(from|no|nuo|de la|od|от|kimden):\s|.{0,80}(wrote|rakstīja|rašė|"
                          r"a scris|napísal|написал)[^\n]{0,40}:\s*$)", re.I | re.M)


_RULE = re.compile(r"^[ \t]*[-+=|:_]{3,}[-+=|:_ \t]*$")
# A sentence that announces what follows: three words or more and a colon at the end.
_ANNOUNCES = re.compile(r"\w+\W+\w+\W+\w+[^:\n]*:$")


def _separator(line: str):
    line = line.strip()
    for sep in _SEPARATORS:
        found = len(sep.findall(line))
        if sep.pattern == ",":  # prose has commas too: only short cells, three or more of them
            if found >= 2 and all(len(c) <= 40 for c in line.split(",")):
                return sep
        elif found:
            return sep
    return None


@dataclass
class Layout:
    text: str
    starts: list[int] = field(default_factory=list)
    cells: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # line -> [(start, end, header)]
    header_lines: set[int] = field(default_factory=set)
    blocks: dict[int, tuple[int, int]] = field(default_factory=dict)  # table line -> its block's [first, last]
    prose: set[int] = field(default_factory=set)  # table lines split by commas only: maybe sentences after all
    signature: tuple[int, int] = (0, 0)  # [start, end) of the sender's own signature block

    @classmethod
    def of(cls, text: str, signature: bool = False) -> "Layout":
        lay = cls(text, [0] + [m.end() for m in re.finditer("\n", text)])
        lay._tables()
        if signature:
            lay._signature()
        return lay

    def line_of(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def line_span(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def line(self, index: int) -> str:
        start, end = self.line_span(index)
        return self.text[start:end]

    def before(self, pos: int, width: int = 60) -> str:
        """The text on pos's line before it (at most `width` characters), and its column's header."""
        start = self.line_span(self.line_of(pos))[0]
        return self.text[max(start, pos - width):pos] + " " + self.header_of(pos)

    def header_of(self, pos: int) -> str:
        for start, end, header in self.cells.get(self.line_of(pos), ()):
            if start <= pos <= end:
                return header
        return ""

    def in_table(self, pos: int) -> bool:
        return self.line_of(pos) in self.cells

    def row(self, pos: int) -> tuple[int, int]:
        return self.line_span(self.line_of(pos))

    def window(self, pos: int, lines: int = 1) -> tuple[int, int]:
        """pos's line with `lines` lines either side (a table row alone: its neighbours are other people)."""
        index = self.line_of(pos)
        if index in self.cells:
            return self.line_span(index)
        first, last = max(0, index - lines), min(len(self.starts) - 1, index + lines)
        return self.line_span(first)[0], self.line_span(last)[1]

    def paragraph(self, pos: int, reach: int = 4) -> tuple[int, int]:
        """pos's paragraph: the lines around it up to a blank (or quoted blank) line, at most `reach` lines either
        side (a table row alone, unless commas alone made it one: "Name, role, mob. ..." lines of a signature).
        A signature block, a contact card or an invoice's header is one paragraph."""
        index = self.line_of(pos)
        if index in self.cells and index not in self.prose:
            return self.line_span(index)
        first = last = index
        while first > 0 and index - first < reach and self.line(first - 1).strip(" \t>"):
            first -= 1
        while last + 1 < len(self.starts) and last - index < reach and self.line(last + 1).strip(" \t>"):
            last += 1
        return self.line_span(first)[0], self.line_span(last)[1]

    def around_table(self, line: int, before: int = 400, after: int = 200) -> str:
        """The text just before and after the table `line` belongs to (what the table is about)."""
        first, last = self.blocks.get(line, (line, line))
        start, end = self.line_span(first)[0], self.line_span(last)[1]
        return self.text[max(0, start - before):start] + " " + self.text[end:end + after]

    def in_signature(self, pos: int) -> bool:
        return self.signature[0] <= pos < self.signature[1]

    def _tables(self) -> None:
        """Blocks of two or more lines split alike (rule lines such as +----+ or ---- ---- inside a block are
        skipped); the first line of a block with letters is its header."""
        lines = [self.line(i) for i in range(len(self.starts))]
        i = 0
        while i < len(lines):
            sep = None if _RULE.match(lines[i]) else _separator(lines[i])
            if sep is None:
                i += 1
                continue
            rows, j = [i], i + 1
            while j < len(lines) and (_RULE.match(lines[j]) or _separator(lines[j]) is sep):
                if not _RULE.match(lines[j]):
                    rows.append(j)
                j += 1
            if len(rows) >= 2 or sep.pattern == r"\t":
                self._block(lines, rows, sep)
            i = max(j, i + 1)

    def _block(self, lines, rows, sep) -> None:
        header_cells: list[str] = []
        for index in rows:
            self.blocks[index] = (rows[0], rows[-1])
            if sep.pattern == ",":
                self.prose.add(index)
            base = self.starts[index]
            spans, pos = [], 0
            for m in sep.finditer(lines[index]):
                spans.append((base + pos, base + m.start()))
                pos = m.end()
            spans.append((base + pos, base + len(lines[index])))
            texts = [self.text[a:b].strip() for a, b in spans]
            if not header_cells and sum(bool(re.search(r"[^\W\d_]", t)) for t in texts) >= max(1, len(texts) // 2) \
                    and not any(re.fullmatch(r"[\d\s.,/-]{5,}", t) for t in texts):
                header_cells = [t.lower() for t in texts]
                self.header_lines.add(index)
                self.cells[index] = [(a, b, "") for a, b in spans]
                continue
            self.cells[index] = [(a, b, header_cells[k] if k < len(header_cells) else "")
                                 for k, (a, b) in enumerate(spans)]

    def _signature(self) -> None:
        text = self.text
        quote = _QUOTE_START.search(text)
        own_end = quote.start() if quote else len(text)
        closings = [m for m in CLOSING.finditer(text, 0, own_end)]
        if closings:
            start = closings[-1].start()
            if text.count("\n", start, own_end) <= 15:
                self.signature = (start, own_end)
                return
        # No closing formula: the last few short lines before the quote, if they hold the sender's contacts —
        # unless a sentence announces them ("... his details:"): then they are what the mail is about (4 of the 18
        # messages of tests/privacy_set's additions missed before: a third party's name, address and mobile).
        tail_start = own_end
        for _ in range(6):
            prev = text.rfind("\n", 0, max(0, tail_start - 1))
            line = text[prev + 1:tail_start].strip()
            if prev < 0 or len(line) > 80 or self.line_of(prev + 1) in self.cells:
                break
            if _ANNOUNCES.search(line) and tail_start < own_end:
                return
            tail_start = prev + 1
        if tail_start < own_end and re.search(r"(\+?\d[\d ()-]{6,}|@)", text[tail_start:own_end]):
            self.signature = (tail_start, own_end)
