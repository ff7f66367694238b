"""Building blocks of the review page (:mod:`snspolicy.reporters.html`): page strings, escaping and
masking, placing findings in a post's text, and the post's metadata as HTML."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snspolicy.core.model import ReportContext, Severity
from snspolicy.reporters._strings import clause_name, t
from snspolicy.reporters._util import Item, norm_path
from snspolicy.reporters.html_words import META_KEYS, META_LABELS, PEOPLE, PLATFORMS, RIGHTS, STATUS, WEEKDAYS, S

from snspolicy.core.values import JST

COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_WORD = re.compile(r"\w")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEV_CLASS = {Severity.ERROR: "sev-error", Severity.WARNING: "sev-warning", Severity.INFO: "sev-info"}


def s(key: str, lang: str, **kw: Any) -> str:
    """A page string in ``lang``, formatted with ``kw`` (values are not escaped here)."""
    entry = S.get(key)
    if entry is None:
        return key
    text = entry[lang]
    try:
        return text.format(**kw)
    except (KeyError, IndexError, ValueError):
        return text


def paren_open(lang: str) -> str:
    return "（" if lang == "ja" else " ("


def paren_close(lang: str) -> str:
    return "）" if lang == "ja" else ")"


def paren(text: str, lang: str) -> str:
    """``（text）`` in Japanese, `` (text)`` in English."""
    return f"{paren_open(lang)}{text}{paren_close(lang)}"


def esc(value: object) -> str:
    """HTML-escape any value (quotes too, so the result is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def mask_text(text: str) -> str:
    """Hide letters and digits (any script) of ``text``; keep separators and line breaks."""
    return _WORD.sub("*", text)


def is_sensitive(item: Item) -> bool:
    """Does the finding point at personal data or a secret? (its masked message shows ``*``)"""
    return "*" in item.message


def posted_text(body: str) -> str:
    """The body as it will be posted: HTML comments removed (a line holding only a comment
    disappears with its line break), surrounding blank space stripped."""
    if "<!--" not in body:
        return body.strip()
    removed = [False] * len(body)
    for m in COMMENT.finditer(body):
        for i in range(m.start(), m.end()):
            removed[i] = True
    out: list[str] = []
    pos = 0
    for line in body.split("\n"):
        start, end = pos, pos + len(line)
        kept = "".join(body[i] for i in range(start, end) if not removed[i])
        only_comment = any(removed[start:end]) and not kept.strip()
        if not only_comment:
            out.append(kept)
            if end < len(body) and not removed[end]:
                out.append("\n")
        pos = end + 1
    return "".join(out).strip()


# --------------------------------------------------------------------------- the page model


@dataclass
class Placed:
    """A finding placed on the page: its number and where it shows."""

    n: int
    item: Item
    sensitive: bool
    where: str = "file"  # "body" | "meta" | "file"
    start: int = 0  # body offsets [start, end) when where == "body"
    end: int = 0
    meta_key: str = ""  # top-level front-matter key when where == "meta" ("" = not mapped)


@dataclass
class Post:
    path: str
    entry: Mapping[str, Any]
    meta: Mapping[str, Any]
    body: str
    body_line: int
    account: str
    placed: list[Placed] = field(default_factory=list)
    masks: list[tuple[int, int]] = field(default_factory=list)  # body text to hide (sensitive, not shown)


def _int(value: Any, default: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return n if n >= 1 else default


def entries(ctx: ReportContext) -> dict[str, Mapping[str, Any]]:
    raw = getattr(ctx, "documents", None)
    out: dict[str, Mapping[str, Any]] = {}
    if not isinstance(raw, Mapping):
        return out
    for path, entry in raw.items():
        if isinstance(entry, Mapping):
            out[norm_path(path)] = entry
    return out


def _kind(entry: Mapping[str, Any]) -> str:
    kind = entry.get("kind")
    if isinstance(kind, str) and kind:
        return kind
    return "post" if isinstance(entry.get("body"), str) else "other"


def _meta(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = entry.get("meta")
    return meta if isinstance(meta, Mapping) else {}


def _line_starts(body: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(body):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], body: str, body_line: int, line: int, column: int) -> int:
    """Body offset of a 1-based file line/column (clamped into the body)."""
    i = line - body_line
    if i < 0:
        return 0
    if i >= len(starts):
        return len(body)
    line_end = starts[i + 1] - 1 if i + 1 < len(starts) else len(body)
    return min(starts[i] + max(column - 1, 0), line_end)


def _meta_key(entry: Mapping[str, Any], line: int) -> str:
    lines = entry.get("meta_lines")
    if not isinstance(lines, Mapping):
        return ""
    best, best_line = "", 0
    for key, at in lines.items():
        at_i = _int(at, 0)
        if at_i and best_line < at_i <= line:
            best, best_line = str(key), at_i
    return best


def accounts_of(entries: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(account id -> (platform, handle), account file path -> account id)."""
    info: dict[str, tuple[str, str]] = {}
    files: dict[str, str] = {}
    for path, entry in entries.items():
        meta = _meta(entry)
        kind = _kind(entry)
        if kind == "account":
            acc_id = meta.get("id")
            acc = str(acc_id) if acc_id is not None else path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            platform = meta.get("platform")
            handle = meta.get("handle")
            info[acc] = (platform.strip().lower() if isinstance(platform, str) else "",
                         handle.strip() if isinstance(handle, str) else "")
            files[path] = acc
    for entry in entries.values():
        if _kind(entry) != "post":
            continue
        post_acc = _meta(entry).get("account")
        if not isinstance(post_acc, str) or not post_acc:
            continue
        platform, handle = entry.get("platform"), entry.get("handle")
        if post_acc not in info or not info[post_acc][0]:
            info[post_acc] = (str(platform or "").strip().lower(), str(handle or "").strip())
    return info, files


def _sort_time(meta: Mapping[str, Any]) -> str:
    when = meta.get("publish_at")
    return str(when) if when is not None else ""


def build(items: list[Item], entries: Mapping[str, Mapping[str, Any]], hidden: list[Item] | None = None
           ) -> tuple[list[Post], list[tuple[str, list[Placed]]]]:
    """Posts (page order) with their placed findings, and the other files with theirs; numbers assigned.

    ``hidden``: findings not shown (waived); the text of a sensitive one is still masked."""
    by_path: dict[str, list[Item]] = {}
    for item in items:
        by_path.setdefault(item.path, []).append(item)
    hidden_by_path: dict[str, list[Item]] = {}
    for item in hidden or []:
        if is_sensitive(item):
            hidden_by_path.setdefault(item.path, []).append(item)

    posts: list[Post] = []
    for path, entry in entries.items():
        if _kind(entry) != "post":
            continue
        body = entry.get("body")
        if not isinstance(body, str):
            continue
        meta = _meta(entry)
        acc = meta.get("account")
        posts.append(Post(path, entry, meta, body, _int(entry.get("body_line"), 1),
                          acc if isinstance(acc, str) else ""))
    posts.sort(key=lambda p: (p.account == "", p.account, _sort_time(p.meta), p.path))

    n = 0
    for post in posts:
        starts = _line_starts(post.body)
        meta_p: list[Placed] = []
        body_p: list[Placed] = []
        for item in by_path.pop(post.path, []):
            p = Placed(0, item, is_sensitive(item))
            if item.line < post.body_line:
                p.where, p.meta_key = "meta", _meta_key(post.entry, item.line)
                meta_p.append(p)
            else:
                p.where = "body"
                p.start = _offset(starts, post.body, post.body_line, item.line, item.column)
                p.end = max(p.start, _offset(starts, post.body, post.body_line, item.end_line, item.end_column))
                body_p.append(p)
        for p in meta_p + sorted(body_p, key=lambda q: (q.start, q.end, q.item.sort_key())):
            n += 1
            p.n = n
            post.placed.append(p)
        for item in hidden_by_path.get(post.path, []):
            if item.line >= post.body_line:
                start = _offset(starts, post.body, post.body_line, item.line, item.column)
                end = _offset(starts, post.body, post.body_line, item.end_line, item.end_column)
                post.masks.append((start, max(start, end)))

    others: list[tuple[str, list[Placed]]] = []
    for path in sorted(by_path):
        placed = []
        for item in by_path[path]:
            n += 1
            placed.append(Placed(n, item, is_sensitive(item)))
        others.append((path, placed))
    return posts, others


# --------------------------------------------------------------------------- rendering helpers


def sev_label(sev: Severity, lang: str) -> str:
    return t(str(sev), lang)


def badge(sev: Severity, lang: str) -> str:
    return f'<span class="badge {SEV_CLASS[sev]}">{esc(sev_label(sev, lang))}</span>'


def worst(placed: list[Placed]) -> Severity:
    return max((p.item.severity for p in placed), default=Severity.INFO)


def clause_label(clause: str, lang: str, headings: Mapping[str, str]) -> str:
    if not clause or clause == "-":
        return t("md_no_clause", lang)
    name = clause_name(clause, headings)
    return t("md_clause", lang, clause=clause) + (f" {name}" if name else "")


def ref(p: Placed, lang: str) -> str:
    """The numbered link from the text (or a metadata row) to the finding's explanation."""
    label = p.item.title or p.item.rule
    return (f'<a class="ref {SEV_CLASS[p.item.severity]}" id="ref-{p.n}" href="#f-{p.n}">'
            f'<span class="vh">{esc(s("finding", lang))} </span>{p.n}'
            f'<span class="vh">{esc(paren(f"{sev_label(p.item.severity, lang)}: {label}", lang))}</span></a>')


def _jst(value: Any, lang: str) -> str:
    """A publish time as Japan time: ``2026年6月15日（月）9:00（日本時間）``."""
    raw = str(value).strip()
    when: dt.datetime | dt.date | None = None
    if isinstance(value, dt.datetime) or isinstance(value, dt.date):
        when = value
    else:
        try:
            when = dt.date.fromisoformat(raw) if _DATE.match(raw) else dt.datetime.fromisoformat(raw)
        except ValueError:
            when = None
    if when is None:
        return esc(s("unparsed_time", lang, value=raw))
    if isinstance(when, dt.datetime):
        when = when.replace(tzinfo=JST) if when.tzinfo is None else when.astimezone(JST)
        day = when.date()
    else:
        day = when
    wd = WEEKDAYS[lang][day.weekday()]
    if lang == "ja":
        text = f"{day.year}年{day.month}月{day.day}日（{wd}）"
        if isinstance(when, dt.datetime):
            text += f" {when.hour}:{when.minute:02d}（{s('jst', lang)}）"
    else:
        text = f"{day.isoformat()} ({wd})"
        if isinstance(when, dt.datetime):
            text += f" {when.hour:02d}:{when.minute:02d} {s('jst', lang)}"
    return f'<time datetime="{esc(when.isoformat())}">{esc(text)}</time>'


def _compact(value: Any, depth: int = 0) -> str:
    """A short one-line text of any metadata value (not escaped)."""
    if depth > 4:
        return "…"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_compact(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_compact(v, depth + 1) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def _label(table: Mapping[str, Mapping[str, str]], value: Any, lang: str) -> str:
    entry = table.get(str(value)) if isinstance(value, (str, int)) else None
    return entry[lang] if entry else _compact(value)


def _media_html(value: Any, lang: str) -> str:
    if not isinstance(value, list) or not value:
        return esc(_compact(value)) if value not in (None, []) else esc(s("none", lang))
    rows = []
    for m in value:
        if not isinstance(m, Mapping):
            rows.append(f"<li>{esc(_compact(m))}</li>")
            continue
        parts = [f'<span class="path">{esc(m.get("path", "?"))}</span>']
        if m.get("alt"):
            parts.append(f"{esc(s('alt', lang))}: {esc(m.get('alt'))}")
        rights = m.get("rights")
        if isinstance(rights, Mapping):
            r = _label(RIGHTS, rights.get("source"), lang)
            extra = [str(rights[k]) for k in ("license", "credit") if rights.get(k)]
            parts.append(f"{esc(s('rights', lang))}: {esc(r)}" + (esc(paren(s('sep', lang).join(extra), lang)) if extra else ""))
        else:
            parts.append(f"{esc(s('rights', lang))}: {esc(s('no_rights', lang))}")
        people = m.get("people")
        parts.append(f"{esc(s('people', lang))}: "
                     + esc(_label(PEOPLE, people, lang) if people is not None else s("no_people", lang)))
        rows.append("<li>" + " ／ ".join(parts) + "</li>")
    return '<ul class="media">' + "".join(rows) + "</ul>"


def _person(value: Any, lang: str) -> str:
    if not isinstance(value, Mapping):
        return _compact(value) if value is not None else s("none", lang)
    if value.get("external"):
        text = s("external", lang, name=value.get("external"))
        if value.get("permitted_by") or value.get("permitted_on"):
            text += s("permitted", lang, by=value.get("permitted_by", "?"), on=value.get("permitted_on", "?"))
        return text
    if value.get("employee_id") is not None:
        return s("employee", lang, id=value.get("employee_id"))
    return _compact(value)


def _value_html(key: str, value: Any, post: Post, accounts: Mapping[str, tuple[str, str]], lang: str) -> str:
    """The HTML of one metadata value (everything escaped)."""
    if key == "account":
        platform, handle = accounts.get(str(value), ("", ""))
        extra = " ".join(x for x in (PLATFORMS.get(platform, platform), handle) if x)
        return esc(_compact(value)) + (esc(paren(extra, lang)) if extra else "")
    if key == "publish_at":
        return _jst(value, lang) if value not in (None, "") else esc(s("none", lang))
    if key == "status":
        return esc(_label(STATUS, value, lang))
    if key == "author":
        return esc(_person(value, lang))
    if key == "approval":
        if isinstance(value, Mapping) and value.get("approved_by") is not None:
            return esc(s("approved", lang, by=value.get("approved_by"), on=value.get("approved_on", "?")))
        return esc(_compact(value) if value is not None else s("none", lang))
    if key == "media":
        return _media_html(value, lang)
    if key in ("revisions", "waivers") and isinstance(value, list):
        return "<ul>" + "".join(f"<li>{esc(_compact(v))}</li>" for v in value) + "</ul>" if value \
            else esc(s("none", lang))
    if key == "consultation" and isinstance(value, bool):
        return esc(("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no"))
    return esc(_compact(value)) if value is not None else esc(s("none", lang))


def meta_html(post: Post, accounts: Mapping[str, tuple[str, str]], lang: str) -> str:
    by_key: dict[str, list[Placed]] = {}
    for p in post.placed:
        if p.where == "meta":
            by_key.setdefault(p.meta_key, []).append(p)
    keys = [k for k in META_KEYS if k in post.meta or k in by_key]
    keys += [k for k in by_key if k and k not in keys]
    rows = []
    for key in keys:
        placed = by_key.get(key, [])
        label = META_LABELS[key][lang] if key in META_LABELS else key
        if any(p.sensitive for p in placed):
            value = esc(mask_text(_compact(post.meta.get(key)))) + f'<span class="note">{esc(s("masked", lang))}</span>'
        else:
            value = _value_html(key, post.meta.get(key), post, accounts, lang)
        refs = "".join(ref(p, lang) for p in placed)
        cls = f' class="flagged {SEV_CLASS[worst(placed)]}"' if placed else ""
        rows.append(f"<tr{cls}><th scope=\"row\">{esc(label)}</th><td>{value}{refs}</td></tr>")
    unmapped = by_key.get("", [])
    if unmapped:
        first = min(p.item.line for p in unmapped)
        refs = "".join(ref(p, lang) for p in unmapped)
        rows.append(f'<tr class="flagged {SEV_CLASS[worst(unmapped)]}"><th scope="row">'
                    f'{esc(s("other_meta", lang, line=first))}</th><td>{refs}</td></tr>')
    return '<table class="meta">' + "".join(rows) + "</table>"
