"""reply_text: the new text an agent wrote at the top of a reply, without the quoted notification.

When an agent answers mailbot's notification from their own mail client, only what the agent wrote is relayed
to the client. Everything the mail client added is removed:

* **`>` quotes** (any depth, ``>``, ``> >``, ``>>``) and the **attribution line** that introduces them, in the
  forms Gmail, Apple Mail, Thunderbird, Outlook, mobile clients and webmails write it, in English, Latvian,
  Lithuanian, Romanian, Slovak, Russian and a dozen other languages ("On Mon, 2 Nov 2026 at 10:00, Name <a@b>
  wrote:", "Name wrote on 02.11.2026 10:00:", "… rakstīja:", "… rašė:", "… a scris:", "… napísal(a):",
  "… написал(а):", "… пишет:", Gmail's Russian "пн, 2 нояб. 2026 г. в 10:00, Name <a@b>:", "Am … schrieb Name:"),
  also when the client wrapped it over up to four lines.
* a **trailing original/forwarded message**: an Outlook headers block ("From:/Sent:/To:/Subject:" and its
  translations, with or without the "____" or "-----" rule above it), a separator line ("-----Original
  Message-----", "-------- Forwarded Message --------", "Pārsūtītā ziņa", "Persiųstas laiškas", "Mesaj
  redirecționat", "Preposlaná správa", "Пересылаемое сообщение", "Исходное сообщение", "Begin forwarded
  message:", …), or an attribution line that is *not* followed by `>` lines (HTML mail turned into text loses
  the blockquote, so the quoted text follows the attribution unmarked). Everything from there on is dropped.
* **"Sent from my iPhone"-style footers** (and "Get Outlook for Android", "Nosūtīts no mana iPhone",
  "Išsiųsta iš mano iPhone", "Trimis de pe iPhone", "Odoslané z iPhonu", "Отправлено с iPhone", …) at the end.

The rules, in the order they matter:

1. **Inline replies are kept.** Text that follows a `>` block is the agent's (an attribution line needs a `>`
   block after it to be treated as the start of a *quote*, and a quote is only the `>` lines themselves), so
   when the agent writes between quoted blocks their lines are kept and the quoted lines dropped; where a quote
   was removed between two kept lines, exactly one blank line separates them.
2. **An attribution without `>` lines after it ends the new text** only when it is unmistakable: it ends with
   the "wrote:" verb and carries a time (10:00) or an e-mail address, or it has a date and ends with an e-mail
   address and a colon, or it is "<date> … schrieb/skrev <name>:". "Jānis wrote:" followed by plain text, "As I
   wrote on 1.11.2026:", or "The client wrote: …" inside a sentence are the agent's own text and stay. Right
   before a `>` block, though, any line ending with the verb ("Jānis rakstīja:") is its attribution and goes.
3. **An Outlook headers block** needs a From line and at least three different header kinds (From, Sent/Date,
   To, Subject, Cc, Reply-To), or From plus one more kind right under a "____"/"-----" rule.
4. **Nothing is cut from the very top.** If a separator, headers block or unquoted attribution comes before any
   new text, only that separator/header/attribution is removed and what follows is read as new text (so a
   forward without a note gives the forwarded message rather than an empty string). A `>` block at the top is
   still dropped: an agent's reply that is only a quote gives "".
5. A single `>` line standing alone in the agent's own text (the only `>` line in the message, not nested
   (">>", "> >"), with no attribution before it and the agent's text both before and after it, e.g. ">50 users
   need a licence") is not a quote. `>` inside a line ("Step 1 > Settings > Users") never is.
6. Footers and, once something was removed, rule lines ("--", "____", "-----") are trimmed from the end;
   signatures are not (the agent's "-- \\nIlze" stays).

Text where nothing is found comes back unchanged (only trailing whitespace trimmed); otherwise line ends are
normalised to LF. Every regular expression runs on a bounded slice of one line (or a join of at most a few
short lines) and has no nested quantifiers, so the work is linear in the input: a 767 KB line of ">" takes
milliseconds.
"""
from __future__ import annotations

import re

from mailbot.agents.quote_marks import (ANY_VERB, BROKEN_WRAP, CONTINUES, DELIMITER, MAX_ATTR, MAX_ATTR_LINE, MAX_WRAP,
                                        attribution, clean, ends_like_attribution, header_block, header_kind,
                                        is_footer, is_quote, is_separator)

__all__ = ["reply_text"]


# --- the parser -------------------------------------------------------------------------------------------

_KEEP, _QUOTE, _DROP = 0, 1, 2


def _attribution_start(lines: list[str], j: int) -> tuple[int, bool] | None:
    """If line j ends an attribution, (its first line, strong)."""
    last = lines[j]
    if len(last) > MAX_ATTR_LINE or not ends_like_attribution(last):
        return None
    window = "\n".join(line[:MAX_ATTR_LINE + 1] for line in lines[max(0, j - MAX_WRAP + 1):j + 1])
    if "@" not in window and not ANY_VERB.search(window):
        return None
    parts: list[str] = []
    strong = None
    for w in range(1, MAX_WRAP + 1):          # the fewest lines that hold the verb and something before it
        k = j - w + 1
        if k < 0:
            break
        line = lines[k]
        if not line.strip() or len(line) > MAX_ATTR_LINE or (k != j and is_quote(line)):
            break
        parts.insert(0, clean(line))
        strong = attribution(" ".join(parts))
        if strong is not None:
            break
    if strong is None:
        return None
    i = j - len(parts) + 1
    # extend upwards over the lines of a wrapped attribution ("On Mon, …, Jeff <" / "jeff@x.org> wrote:")
    while i > 0 and i > j - MAX_WRAP - 1:
        prev = i - 1
        cross = False
        if not lines[prev].strip() and lines[i].lstrip().startswith("<"):
            prev -= 1           # "On Thu, 31 Mar 2016 at 11:16 Some One\n\n<\nmailto:…> wrote:"
            cross = True
        if prev < 0:
            break
        p = lines[prev]
        pc = clean(p)
        if not pc or is_quote(p) or len(p) > MAX_ATTR_LINE:
            break
        if not (re.search(r"[0-9@<]", pc) and (CONTINUES.match(clean(lines[i])) or pc.endswith("<"))):
            break
        if cross and pc.endswith((".", "!", "?", ":", ";")):
            break
        joined = " ".join([pc] + parts)
        if len(joined) > MAX_ATTR:
            break
        parts.insert(0, pc)
        strong = bool(attribution(joined)) or strong
        i = prev
    return i, strong


def reply_text(text: str) -> str:
    """The new text at the top of a reply: quotes, quote headers, a trailing original/forwarded message and
    "Sent from my iPhone" footers removed, trailing whitespace trimmed. Never raises (for a str)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)
    kind = [_KEEP] * n
    cut = n
    kept: list[int] = []        # indices of kept non-blank lines, in order
    quoted_attribution = False
    no_header_before = 0

    def drop(a: int, b: int) -> None:
        for x in range(a, b):
            kind[x] = _DROP
        while kept and kept[-1] >= a:
            kept.pop()

    i = 0
    while i < n:
        line = lines[i]
        if is_quote(line) and not (i > 0 and not is_quote(lines[i - 1]) and lines[i - 1].strip()
                                    and BROKEN_WRAP.match(line)):
            kind[i] = _QUOTE
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        if is_separator(line):
            if kept:
                cut = i
                break
            drop(i, i + 1)
            i += 1
            continue
        if i >= no_header_before and header_kind(line):
            end, no_header_before = header_block(lines, i)
            if end is not None:
                if kept:
                    cut = i
                    break
                drop(i, end)
                i = end
                continue
        found = _attribution_start(lines, i)
        if found:
            start, strong = found
            nxt = i + 1
            while nxt < n and not lines[nxt].strip():
                nxt += 1
            if nxt < n and is_quote(lines[nxt]):
                drop(start, i + 1)
                quoted_attribution = True
                i += 1
                continue
            if strong:
                drop(start, i + 1)      # forget any lines of it kept before we saw its end
                if kept:
                    cut = start
                    break
                i += 1
                continue
        kept.append(i)
        i += 1

    # rule 5: a lone ">" line in the middle of the agent's own text is not a quote
    quotes = [x for x in range(cut) if kind[x] == _QUOTE]
    if len(quotes) == 1 and not quoted_attribution:
        q = quotes[0]
        if (not lines[q].lstrip(" \t")[1:].lstrip(" \t").startswith(">")
                and any(x < q for x in kept) and any(x > q for x in kept)):
            kind[q] = _KEEP

    changed = cut < n or any(k != _KEEP for k in kind[:cut])
    out: list[str] = []
    removed = False
    for x in range(cut):
        if kind[x] != _KEEP:
            removed = True
            continue
        line = lines[x]
        blank = not line.strip()
        if removed:
            if blank:
                if not out or not out[-1].strip():
                    continue
            elif out and out[-1].strip():
                out.append("")
            removed = False
        out.append(line)

    while out:
        last = out[-1]
        if not last.strip():
            out.pop()
        elif is_footer(last):
            out.pop()
            changed = True
        elif changed and DELIMITER.fullmatch(last):
            out.pop()
        else:
            break
    return "\n".join(out).rstrip()
