"""The approver's review page: one self-contained, accessible HTML file (``-f html -o review.html``).

Under clause 5 every post is approved by the account's 管理者 or 代理者. This page
shows them each post as it will go out, with every finding marked in the text:

* a summary at the top: pass/fail, counts, a table per account and per guideline clause;
* per account, each post with its metadata (account and platform, publish time in
  JST, status, category, author, approval, media with rights and consent, revisions …),
  the body with each finding highlighted in place (``<mark data-f="N">``) followed by a
  numbered link to the finding's explanation (message, clause, rule, suggestion) beside
  the text, and for X accounts the weighted-length meter (Japanese counts 2, a URL 23);
* findings on other files (accounts, press releases, incidents, unreadable files) listed per file.

The file has no script and no external asset (inline CSS, a Content-Security-Policy
that forbids both), reads without JavaScript, works offline and prints on A4.
Japanese by default (``<html lang="ja">``); ``ctx.lang = "en"`` gives English.

Where the text comes from: :attr:`ReportContext.documents` (see
:mod:`snspolicy.reporters.documents`); without it the page lists the findings per file.

Safety: every string (file names, messages, post text, metadata) is HTML-escaped and
element ids are numbers, never taken from the input. A finding whose (already masked)
message contains ``*`` points at personal data or a secret: the highlighted text and the
metadata value it points at are masked on the page too (letters and digits become ``*``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snspolicy.core.model import Finding, ReportContext, RuleInfo, Severity
from snspolicy.reporters._strings import clause_name, t
from snspolicy.reporters._util import Item, clause_key, counts, fails, lang_of, norm_path, prepare, severity_of

JST = dt.timezone(dt.timedelta(hours=9), "JST")
X_LIMIT = 280
_X_NAMES = {"x", "twitter"}
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_WORD = re.compile(r"\w")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_SEV_CLASS = {Severity.ERROR: "sev-error", Severity.WARNING: "sev-warning", Severity.INFO: "sev-info"}
PLATFORMS = {"x": "X", "twitter": "X", "instagram": "Instagram", "facebook": "Facebook", "line": "LINE",
             "youtube": "YouTube", "tiktok": "TikTok", "threads": "Threads"}

S: dict[str, dict[str, str]] = {
    "title": {"ja": "SNS 投稿の確認ページ（承認者用）", "en": "SNS post review (for approvers)"},
    "skip": {"ja": "投稿の一覧へ移動", "en": "Skip to the posts"},
    "fail": {"ja": "修正が必要です。「違反」をすべて直してから承認してください。",
             "en": "Changes needed: every error must be fixed before approval."},
    "pass": {"ja": "合格です。止めるべき問題はありません（警告・情報は確認してください）。",
             "en": "Passed: nothing blocks approval (please read the warnings and notes)."},
    "pass_clean": {"ja": "合格です。問題は見つかりませんでした。", "en": "Passed: no problems found."},
    "summary": {"ja": "概要", "en": "Summary"},
    "counts": {"ja": "件数", "en": "Counts"},
    "files_checked": {"ja": "確認したファイル: {n}", "en": "Files checked: {n}"},
    "policy": {"ja": "ポリシー: {policy}", "en": "Policy: {policy}"},
    "fail_level": {"ja": "「{level}」以上があると不合格になります。", "en": "The check fails on any {level} or worse."},
    "waived_hidden": {"ja": "例外として承認済みの指摘 {n} 件は表示していません。", "en": "{n} waived findings are not shown."},
    "by_account": {"ja": "アカウント別", "en": "By account"},
    "by_clause": {"ja": "ガイドラインの条項別", "en": "By guideline clause"},
    "account": {"ja": "アカウント", "en": "Account"},
    "platform": {"ja": "SNS", "en": "Platform"},
    "posts_n": {"ja": "投稿数", "en": "Posts"},
    "clause": {"ja": "条項", "en": "Clause"},
    "clause_name": {"ja": "内容", "en": "Topic"},
    "total": {"ja": "合計", "en": "Total"},
    "unknown_account": {"ja": "（アカウント不明）", "en": "(unknown account)"},
    "account_file": {"ja": "アカウントのファイル", "en": "account file"},
    "toc": {"ja": "指摘のある投稿", "en": "Posts with findings"},
    "posts": {"ja": "投稿", "en": "Posts"},
    "account_h": {"ja": "アカウント {account}", "en": "Account {account}"},
    "meta": {"ja": "投稿の情報", "en": "Post details"},
    "body": {"ja": "本文（投稿される文章）", "en": "Text (as it will be posted)"},
    "findings": {"ja": "指摘", "en": "Findings"},
    "no_findings": {"ja": "指摘はありません。", "en": "No findings."},
    "no_body": {"ja": "（本文がありません）", "en": "(no text)"},
    "finding": {"ja": "指摘", "en": "Finding"},
    "to_text": {"ja": "本文の該当箇所へ（指摘 {n}）", "en": "Back to the text (finding {n})"},
    "to_meta": {"ja": "該当する項目へ（指摘 {n}）", "en": "Back to the field (finding {n})"},
    "line": {"ja": "{line} 行目", "en": "line {line}"},
    "rule_help": {"ja": "ルールの説明", "en": "About this rule"},
    "fix": {"ja": "直し方の提案", "en": "Suggested fix"},
    "waived": {"ja": "例外として承認済み", "en": "Waived"},
    "masked": {"ja": "（個人情報・秘密のため伏せています）", "en": "(hidden: personal data or a secret)"},
    "other_files": {"ja": "投稿以外のファイルの指摘", "en": "Findings in other files"},
    "other_files_note": {
        "ja": "アカウント・報道発表・不正アクセスの記録などのファイルと、読み込めなかったファイルです。",
        "en": "Account, press release and incident files, and files that could not be read.",
    },
    "no_documents": {
        "ja": "このページには投稿の本文が含まれていません（指摘だけを一覧にしています）。",
        "en": "This page does not include the posts' text (findings only).",
    },
    "meter": {"ja": "X の文字数（重み付き）", "en": "X length (weighted)"},
    "meter_text": {"ja": "{length} / {limit} 字分", "en": "{length} / {limit}"},
    "meter_over": {"ja": "{over} 字分超過", "en": "{over} over"},
    "meter_left": {"ja": "残り {left} 字分", "en": "{left} left"},
    "meter_note": {"ja": "日本語は1文字を2、URL は1つを23と数えます。",
                   "en": "Japanese characters count 2, every URL 23."},
    "length": {"ja": "文字数", "en": "Length"},
    "length_text": {"ja": "{length} 文字", "en": "{length} characters"},
    "other_meta": {"ja": "その他（{line} 行目）", "en": "Other (line {line})"},
    "footer": {"ja": "{tool} {version} が作成しました。投稿の内容を含むため、リポジトリと同じ扱いで保管してください。",
               "en": "Made by {tool} {version}. It contains the posts' text: keep it like the repository itself."},
    "none": {"ja": "なし", "en": "none"},
    "sep": {"ja": "、", "en": ", "},
    "employee": {"ja": "職員番号 {id}", "en": "employee {id}"},
    "external": {"ja": "職員以外: {name}", "en": "non-staff: {name}"},
    "permitted": {"ja": "（許可: {by}、{on}）", "en": " (permitted by {by} on {on})"},
    "approved": {"ja": "{by}（{on} 承認）", "en": "{by} (approved {on})"},
    "unparsed_time": {"ja": "{value}（日時として読めません）", "en": "{value} (not a date/time)"},
    "jst": {"ja": "日本時間", "en": "JST"},
    "alt": {"ja": "代替テキスト", "en": "alt text"},
    "rights": {"ja": "権利", "en": "rights"},
    "people": {"ja": "写っている人", "en": "people"},
    "no_rights": {"ja": "権利の記載なし", "en": "no rights recorded"},
    "no_people": {"ja": "記載なし", "en": "not recorded"},
}

META_KEYS = ("account", "status", "publish_at", "category", "author", "approval", "press_release",
             "consultation", "media", "revisions", "deleted", "waivers")
META_LABELS: dict[str, dict[str, str]] = {
    "account": {"ja": "アカウント", "en": "Account"},
    "status": {"ja": "状態", "en": "Status"},
    "publish_at": {"ja": "公開日時", "en": "Publish time"},
    "category": {"ja": "分類", "en": "Category"},
    "author": {"ja": "作成者", "en": "Author"},
    "approval": {"ja": "承認", "en": "Approval"},
    "press_release": {"ja": "報道発表", "en": "Press release"},
    "consultation": {"ja": "意見募集", "en": "Consultation"},
    "media": {"ja": "画像・動画", "en": "Media"},
    "revisions": {"ja": "公開後の修正", "en": "Revisions"},
    "deleted": {"ja": "削除の記録", "en": "Deletion"},
    "waivers": {"ja": "例外（waiver）", "en": "Waivers"},
}
STATUS = {
    "draft": {"ja": "下書き", "en": "draft"},
    "approved": {"ja": "承認済み", "en": "approved"},
    "scheduled": {"ja": "予約済み", "en": "scheduled"},
    "published": {"ja": "公開済み", "en": "published"},
    "deleted": {"ja": "削除済み", "en": "deleted"},
}
PEOPLE = {
    "none": {"ja": "写っていない", "en": "none"},
    "crowd": {"ja": "群衆（個人が特定できない）", "en": "crowd (not identifiable)"},
    "identifiable": {"ja": "本人と分かる人（同意なし）", "en": "identifiable (no consent)"},
    "consented": {"ja": "本人と分かる人（同意あり）", "en": "identifiable (consented)"},
}
RIGHTS = {
    "own": {"ja": "市が撮影・作成", "en": "own"},
    "licensed": {"ja": "利用許諾あり", "en": "licensed"},
    "public-domain": {"ja": "パブリックドメイン", "en": "public domain"},
    "partner": {"ja": "提携先の提供", "en": "partner"},
}
WEEKDAYS = {"ja": "月火水木金土日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


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
    for m in _COMMENT.finditer(body):
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


def _entries(ctx: ReportContext) -> dict[str, Mapping[str, Any]]:
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


def _accounts(entries: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
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


def _build(items: list[Item], entries: Mapping[str, Mapping[str, Any]], hidden: list[Item] | None = None
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


def _sev(sev: Severity, lang: str) -> str:
    return t(str(sev), lang)


def _badge(sev: Severity, lang: str) -> str:
    return f'<span class="badge {_SEV_CLASS[sev]}">{esc(_sev(sev, lang))}</span>'


def _worst(placed: list[Placed]) -> Severity:
    return max((p.item.severity for p in placed), default=Severity.INFO)


def _clause_label(clause: str, lang: str) -> str:
    if not clause or clause == "-":
        return t("md_no_clause", lang)
    name = clause_name(clause, lang)
    return t("md_clause", lang, clause=clause) + (f" {name}" if name else "")


def _ref(p: Placed, lang: str) -> str:
    """The numbered link from the text (or a metadata row) to the finding's explanation."""
    label = p.item.title or p.item.rule
    return (f'<a class="ref {_SEV_CLASS[p.item.severity]}" id="ref-{p.n}" href="#f-{p.n}">'
            f'<span class="vh">{esc(s("finding", lang))} </span>{p.n}'
            f'<span class="vh">{esc(paren(f"{_sev(p.item.severity, lang)}: {label}", lang))}</span></a>')


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


def _meta_html(post: Post, accounts: Mapping[str, tuple[str, str]], lang: str) -> str:
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
        refs = "".join(_ref(p, lang) for p in placed)
        cls = f' class="flagged {_SEV_CLASS[_worst(placed)]}"' if placed else ""
        rows.append(f"<tr{cls}><th scope=\"row\">{esc(label)}</th><td>{value}{refs}</td></tr>")
    unmapped = by_key.get("", [])
    if unmapped:
        first = min(p.item.line for p in unmapped)
        refs = "".join(_ref(p, lang) for p in unmapped)
        rows.append(f'<tr class="flagged {_SEV_CLASS[_worst(unmapped)]}"><th scope="row">'
                    f'{esc(s("other_meta", lang, line=first))}</th><td>{refs}</td></tr>')
    return '<table class="meta">' + "".join(rows) + "</table>"


def _body_html(post: Post, lang: str) -> str:
    """The body with every finding marked in place (``<mark data-f="…">``) and a link after it."""
    body = post.body
    if not body.strip():
        return f'<p class="nobody">{esc(s("no_body", lang))}</p>'
    placed = [p for p in post.placed if p.where == "body"]
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(body)]
    points = {0, len(body)}
    for p in placed:
        points.update((p.start, p.end))
    for a, b in post.masks:
        points.update((a, b))
    for a, b in comments:
        points.update((a, b))
    pts = sorted(points)
    out: list[str] = []
    for i, at in enumerate(pts):
        for p in sorted((q for q in placed if q.end == at), key=lambda q: q.n):
            out.append(_ref(p, lang))
        if i + 1 == len(pts):
            break
        nxt = pts[i + 1]
        seg = body[at:nxt]
        cover = [p for p in placed if p.start <= at and nxt <= p.end and p.start < p.end]
        hide = any(p.sensitive for p in cover) or any(a <= at and nxt <= b for a, b in post.masks)
        text = mask_text(seg) if hide else seg
        piece = esc(text)
        if any(a <= at and nxt <= b for a, b in comments):
            piece = f'<span class="comment">{piece}</span>'
        if cover:
            ids = " ".join(str(p.n) for p in sorted(cover, key=lambda q: q.n))
            piece = f'<mark class="hl {_SEV_CLASS[_worst(cover)]}" data-f="{ids}">{piece}</mark>'
        out.append(piece)
    masked = any(p.sensitive for p in placed) or bool(post.masks)
    note = f'<p class="note">{esc(s("masked", lang))}</p>' if masked else ""
    return f'<div class="text" lang="ja">{"".join(out)}</div>{note}'


def _meter_html(post: Post, platform: str, lang: str, x_limit: int) -> str:
    try:
        from snspolicy.text.clarity import weighted_length
    except Exception:  # noqa: BLE001 - the page still works without the meter
        return ""
    text = posted_text(post.body)
    length = weighted_length(text, platform or "")
    if platform not in _X_NAMES:
        if not platform:
            return ""
        return (f'<p class="length">{esc(s("length", lang))}: '
                f'{esc(s("length_text", lang, length=length))}</p>')
    limit = max(1, int(x_limit))
    over = length - limit
    pct = min(100, round(length * 100 / limit))
    state = "over" if over > 0 else ("near" if length * 10 >= limit * 9 else "ok")
    detail = s("meter_over", lang, over=over) if over > 0 else s("meter_left", lang, left=-over)
    return (f'<div class="meter {state}"><p><span class="mlabel">{esc(s("meter", lang))}</span>: '
            f'<strong>{esc(s("meter_text", lang, length=length, limit=limit))}</strong>'
            f'{paren_open(lang)}<span class="mdetail">{esc(detail)}</span>{paren_close(lang)}</p>'
            f'<div class="bar" aria-hidden="true"><span style="width: {pct}%"></span></div>'
            f'<p class="mnote">{esc(s("meter_note", lang))}</p></div>')


def _rule_help(item: Item, rules: Mapping[str, Any], lang: str) -> str:
    info = rules.get(item.rule) if isinstance(rules, Mapping) else None
    if not isinstance(info, RuleInfo):
        return ""
    parts = []
    if info.description and info.description != info.title:
        parts.append(f"<p>{esc(info.description)}</p>")
    if info.help:
        parts.append(f'<p class="help">{esc(info.help)}</p>')
    if not parts:
        return ""
    return f'<details><summary>{esc(s("rule_help", lang))}</summary>{"".join(parts)}</details>'


def _finding_html(p: Placed, rules: Mapping[str, Any], lang: str) -> str:
    item = p.item
    title = item.title or item.rule
    head = (f'<p class="fhead">{_badge(item.severity, lang)} <span class="num">{esc(s("finding", lang))} {p.n}</span> '
            f'<strong>{esc(title)}</strong></p>')
    where = [esc(_clause_label(item.clause, lang)), f"<code>{esc(item.rule)}</code>"]
    if item.path:
        where.append(esc(s("line", lang, line=item.line)))
    parts = [head, f'<p class="where">{" ・ ".join(where)}</p>',
             f'<p class="msg">{esc(item.message or title)}</p>']
    fix = getattr(item.finding, "fix", None)
    description = getattr(fix, "description", None) if fix is not None else None
    if description:
        text = str(description)
        replacement = getattr(fix, "replacement", None)
        if replacement and not p.sensitive:
            text += f" → 「{replacement}」" if lang == "ja" else f" → \u201c{replacement}\u201d"
        parts.append(f'<p class="fix"><span class="flabel">{esc(s("fix", lang))}:</span> {esc(text)}</p>')
    if item.waived:
        reason = f": {item.waiver_reason}" if item.waiver_reason else ""
        parts.append(f'<p class="waived">{esc(s("waived", lang) + reason)}</p>')
    parts.append(_rule_help(item, rules, lang))
    if p.where in ("body", "meta"):
        key = "to_text" if p.where == "body" else "to_meta"
        parts.append(f'<p class="back"><a href="#ref-{p.n}">{esc(s(key, lang, n=p.n))}</a></p>')
    return f'<li id="f-{p.n}" class="finding {_SEV_CLASS[item.severity]}">{"".join(parts)}</li>'


def _findings_list(placed: list[Placed], rules: Mapping[str, Any], lang: str) -> str:
    if not placed:
        return f'<p class="none">{esc(s("no_findings", lang))}</p>'
    return '<ul class="findings">' + "".join(_finding_html(p, rules, lang) for p in placed) + "</ul>"


def _count_cells(items: list[Item]) -> str:
    c = counts(items)
    return "".join(f'<td class="n">{c[sev]}</td>' for sev in _SEVERITIES)


def _count_heads(lang: str) -> str:
    return "".join(f'<th scope="col" class="n">{esc(_sev(sev, lang))}</th>' for sev in _SEVERITIES)


# --------------------------------------------------------------------------- the page


CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --link: #0b57d0;
  --err: #b3261e; --err-bg: #fde2e0; --warn: #7a4f00; --warn-bg: #fff0c2; --info: #0b5394; --info-bg: #dcebfb;
  --ok: #1e6b34; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Yu Gothic", Meiryo,
  system-ui, sans-serif; color: var(--ink); background: #fff; line-height: 1.7; font-size: 100%; }
body { margin: 0 auto; max-width: 78rem; padding: 0 1.25rem 3rem; }
a { color: var(--link); }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; border-radius: 2px; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 0 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .3rem; color: var(--muted); }
code { font-family: ui-monospace, "Noto Sans Mono CJK JP", monospace; font-size: .9em; }
.skip { position: absolute; left: -999rem; top: .5rem; background: #fff; padding: .4rem .8rem; }
.skip:focus { left: .5rem; }
.vh { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.status { font-weight: bold; padding: .6rem .9rem; border-left: .5rem solid; margin: .6rem 0; }
.status.fail { border-color: var(--err); background: var(--err-bg); }
.status.pass { border-color: var(--ok); background: #e3f3e6; }
.facts { color: var(--muted); margin: .2rem 0; }
table { border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.summary-grid { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
.summary-grid table { font-size: .9rem; }
.summary-grid th, .summary-grid td { padding: .1rem .5rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .3em; color: #fff; font-size: .85em;
  font-weight: bold; }
.badge.sev-error { background: var(--err); }
.badge.sev-warning { background: var(--warn); }
.badge.sev-info { background: var(--info); }
.toc ul { columns: 2 22rem; padding-left: 1.2rem; }
article.post { border: 1px solid var(--line); border-radius: .4rem; padding: .8rem 1rem; margin: 1rem 0;
  break-inside: avoid; }
article.post.has-error { border-left: .4rem solid var(--err); }
article.post.has-warning { border-left: .4rem solid var(--warn); }
.path { font-family: ui-monospace, monospace; font-size: .85em; color: var(--muted); word-break: break-all; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0 1.5rem; }
@media (max-width: 60rem) { .grid { grid-template-columns: minmax(0, 1fr); } }
table.meta { width: 100%; font-size: .92rem; }
table.meta th { width: 8.5em; background: #f6f6f6; font-weight: normal; }
table.meta tr.flagged th { font-weight: bold; }
table.meta tr.flagged.sev-error td { background: var(--err-bg); }
table.meta tr.flagged.sev-warning td { background: var(--warn-bg); }
table.meta tr.flagged.sev-info td { background: var(--info-bg); }
table.meta ul { margin: 0; padding-left: 1.1rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); border-radius: .3rem;
  padding: .7rem .9rem; background: #fcfcfc; font-size: 1.02rem; }
mark.hl { color: var(--ink); padding: .05em 0; border-bottom: 2px solid; }
mark.hl.sev-error { background: var(--err-bg); border-color: var(--err); }
mark.hl.sev-warning { background: var(--warn-bg); border-color: var(--warn); }
mark.hl.sev-info { background: var(--info-bg); border-color: var(--info); }
.comment { color: var(--muted); font-style: italic; }
a.ref { font-size: .75em; font-weight: bold; vertical-align: super; line-height: 1; margin: 0 .1em;
  padding: 0 .3em; border-radius: .6em; text-decoration: none; color: #fff; white-space: nowrap; }
a.ref.sev-error { background: var(--err); }
a.ref.sev-warning { background: var(--warn); }
a.ref.sev-info { background: var(--info); }
a.ref:focus-visible { outline-color: var(--ink); }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: .35rem solid; border-radius: .3rem; padding: .4rem .7rem;
  margin: 0 0 .6rem; font-size: .93rem; break-inside: avoid; }
li.finding.sev-error { border-left-color: var(--err); }
li.finding.sev-warning { border-left-color: var(--warn); }
li.finding.sev-info { border-left-color: var(--info); }
li.finding:target { box-shadow: 0 0 0 3px var(--link); }
li.finding p { margin: .15rem 0; }
.where { color: var(--muted); font-size: .9em; }
.fix { background: #eef6ee; padding: .1rem .4rem; }
.flabel { font-weight: bold; }
.waived { color: var(--muted); font-style: italic; }
.help { white-space: pre-wrap; font-size: .9em; }
details summary { cursor: pointer; color: var(--link); }
.note, .none, .nobody { color: var(--muted); font-size: .9em; }
.meter { margin: .6rem 0; }
.meter p { margin: .1rem 0; }
.meter .bar { height: .6rem; background: #e6e6e6; border-radius: .3rem; overflow: hidden; max-width: 28rem; }
.meter .bar span { display: block; height: 100%; background: var(--ok); }
.meter.near .bar span { background: var(--warn); }
.meter.over .bar span { background: var(--err); }
.meter.over .mdetail { color: var(--err); font-weight: bold; }
.mnote { color: var(--muted); font-size: .85em; }
section.file { margin: 1rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  .skip, .toc, .back, details summary { display: none; }
  .grid { grid-template-columns: minmax(0, 1fr); }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  mark.hl { border-bottom-width: 2px; }
  a.ref { color: #fff; }
}
"""


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False,
           x_limit: int = X_LIMIT) -> str:
    """Render the review page (see the module docstring)."""
    lang = lang_of(getattr(ctx, "lang", "ja"))
    everything = prepare(findings, show_waived=True, root=getattr(ctx, "root", None))
    active = [i for i in everything if not i.waived]
    shown = everything if show_waived else active
    entries = _entries(ctx)
    accounts, account_files = _accounts(entries)
    posts, others = _build(shown, entries, [i for i in everything if i.waived and not show_waived])
    rules = getattr(ctx, "rules", None) or {}
    try:
        x_limit = int(x_limit)
    except (TypeError, ValueError):
        x_limit = X_LIMIT

    fail_on = severity_of(getattr(ctx, "fail_on", Severity.ERROR))
    failed = fails(active, fail_on)
    c = counts(active)
    title = s("title", lang)
    if c[Severity.ERROR]:
        title += f" — {_sev(Severity.ERROR, lang)} {c[Severity.ERROR]}"

    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'\">",
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="{esc(getattr(ctx, "tool_name", "snspolicy"))} '
        f'{esc(getattr(ctx, "tool_version", ""))}">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#posts">{esc(s("skip", lang))}</a>',
        "<header>",
        f"<h1>{esc(s('title', lang))}</h1>",
    ]
    if failed:
        out.append(f'<p class="status fail" role="status">{esc(s("fail", lang))}</p>')
    else:
        out.append(f'<p class="status pass" role="status">{esc(s("pass_clean" if not active else "pass", lang))}</p>')
    facts = [s("files_checked", lang, n=getattr(ctx, "files_checked", 0))]
    policy = getattr(ctx, "policy_id", "")
    if policy:
        facts.append(s("policy", lang, policy=policy))
    facts.append(s("fail_level", lang, level=_sev(fail_on, lang)))
    out.append(f'<p class="facts">{esc(" ・ ".join(facts))}</p>')
    waived = len(everything) - len(active)
    if waived and not show_waived:
        out.append(f'<p class="facts">{esc(s("waived_hidden", lang, n=waived))}</p>')
    if not entries:
        out.append(f'<p class="facts">{esc(s("no_documents", lang))}</p>')
    out.append("</header>")
    out.append("<main>")

    # ---- summary
    out.append(f'<section aria-labelledby="h-summary"><h2 id="h-summary">{esc(s("summary", lang))}</h2>')
    out.append(f'<table class="counts"><caption class="vh">{esc(s("counts", lang))}</caption><thead><tr>'
               f'{_count_heads(lang)}</tr></thead><tbody><tr>{_count_cells(active)}</tr></tbody></table>')
    out.append('<div class="summary-grid">')
    # per account
    acc_posts: dict[str, list[Post]] = {}
    for post in posts:
        acc_posts.setdefault(post.account, []).append(post)
    acc_items: dict[str, list[Item]] = {}
    for post in posts:
        acc_items.setdefault(post.account, []).extend(p.item for p in post.placed if not p.item.waived)
    for path, placed in others:
        acc = account_files.get(path)
        if acc is not None:
            acc_items.setdefault(acc, []).extend(p.item for p in placed if not p.item.waived)
    acc_order = sorted(set(acc_posts) | set(acc_items), key=lambda a: (a == "", a))
    acc_anchor = {a: f"acct-{i + 1}" for i, a in enumerate(a for a in acc_order if a in acc_posts)}
    if acc_order:
        out.append('<div class="summary-part">')
        out.append(f'<h3 id="h-by-account">{esc(s("by_account", lang))}</h3>')
        out.append(f'<table aria-labelledby="h-by-account"><thead><tr><th scope="col">{esc(s("account", lang))}</th>'
                   f'<th scope="col">{esc(s("platform", lang))}</th><th scope="col" class="n">{esc(s("posts_n", lang))}'
                   f"</th>{_count_heads(lang)}</tr></thead><tbody>")
        for acc in acc_order:
            platform, handle = accounts.get(acc, ("", ""))
            name = esc(acc) if acc else esc(s("unknown_account", lang))
            if acc in acc_anchor:
                name = f'<a href="#{acc_anchor[acc]}">{name}</a>'
            plat = " ".join(x for x in (PLATFORMS.get(platform, platform), handle) if x)
            out.append(f'<tr><th scope="row">{name}</th><td>{esc(plat)}</td>'
                       f'<td class="n">{len(acc_posts.get(acc, []))}</td>{_count_cells(acc_items.get(acc, []))}</tr>')
        out.append("</tbody></table></div>")
    # per clause
    if active:
        out.append('<div class="summary-part">')
        out.append(f'<h3 id="h-by-clause">{esc(s("by_clause", lang))}</h3>')
        out.append(f'<table aria-labelledby="h-by-clause"><thead><tr><th scope="col">{esc(s("clause", lang))}</th>'
                   f'<th scope="col">{esc(s("clause_name", lang))}</th>{_count_heads(lang)}</tr></thead><tbody>')
        by_clause: dict[str, list[Item]] = {}
        for item in active:
            by_clause.setdefault(item.clause, []).append(item)
        for clause in sorted(by_clause, key=clause_key):
            label = clause if clause and clause != "-" else t("md_no_clause", lang)
            out.append(f'<tr><th scope="row">{esc(label)}</th><td>{esc(clause_name(clause, lang))}</td>'
                       f"{_count_cells(by_clause[clause])}</tr>")
        out.append(f'<tr><th scope="row">{esc(s("total", lang))}</th><td></td>{_count_cells(active)}</tr>')
        out.append("</tbody></table></div>")
    out.append("</div>")
    flagged = [p for p in posts if p.placed]
    if flagged:
        out.append(f'<nav class="toc" aria-labelledby="h-toc"><h3 id="h-toc">{esc(s("toc", lang))}</h3><ul>')
        for i, post in enumerate(posts):
            if post.placed:
                c_post = counts([p.item for p in post.placed])
                tally = s("sep", lang).join(f"{_sev(sev, lang)} {c_post[sev]}" for sev in _SEVERITIES if c_post[sev])
                out.append(f'<li><a href="#post-{i + 1}">{esc(post.meta.get("id") or post.path)}</a>'
                           f"{esc(paren(tally, lang))}</li>")
        out.append("</ul></nav>")
    out.append("</section>")

    # ---- posts, per account
    out.append(f'<section id="posts" aria-label="{esc(s("posts", lang))}">')
    index = {id(p): i + 1 for i, p in enumerate(posts)}
    for acc in [a for a in acc_order if a in acc_posts]:
        platform, handle = accounts.get(acc, ("", ""))
        plat = " ".join(x for x in (PLATFORMS.get(platform, platform), handle) if x)
        name = acc or s("unknown_account", lang)
        heading = s("account_h", lang, account=name) + (paren(plat, lang) if plat else "")
        aid = acc_anchor[acc]
        out.append(f'<section class="account" id="{aid}" aria-labelledby="h-{aid}"><h2 id="h-{aid}">{esc(heading)}</h2>')
        for post in acc_posts[acc]:
            k = index[id(post)]
            worst = _worst(post.placed) if post.placed else None
            cls = "post" + (f" has-{worst!s}" if worst in (Severity.ERROR, Severity.WARNING) else "")
            pid = post.meta.get("id") or post.path.rsplit("/", 1)[-1]
            out.append(f'<article class="{cls}" id="post-{k}" aria-labelledby="h-post-{k}">')
            out.append(f'<h3 id="h-post-{k}">{esc(pid)}</h3><p class="path">{esc(post.path)}</p>')
            out.append('<div class="grid"><div class="left">')
            out.append(f'<h4 id="h-meta-{k}">{esc(s("meta", lang))}</h4>')
            out.append(_meta_html(post, accounts, lang))
            out.append(f'<h4 id="h-body-{k}">{esc(s("body", lang))}</h4>')
            out.append(_body_html(post, lang))
            out.append(_meter_html(post, platform, lang, x_limit))
            out.append('</div><div class="right">')
            out.append(f'<h4 id="h-findings-{k}">{esc(s("findings", lang))}</h4>')
            out.append(_findings_list(post.placed, rules, lang))
            out.append("</div></div></article>")
        out.append("</section>")
    out.append("</section>")

    # ---- other files
    if others:
        out.append(f'<section id="files" aria-labelledby="h-files"><h2 id="h-files">{esc(s("other_files", lang))}</h2>')
        out.append(f'<p class="note">{esc(s("other_files_note", lang))}</p>')
        for i, (path, placed) in enumerate(others):
            shown_path = path or "-"
            out.append(f'<section class="file" aria-labelledby="h-file-{i + 1}">'
                       f'<h3 id="h-file-{i + 1}" class="path">{esc(shown_path)}</h3>')
            out.append(_findings_list(placed, rules, lang))
            out.append("</section>")
        out.append("</section>")

    out.append("</main>")
    out.append(f'<footer><p>{esc(s("footer", lang, tool=getattr(ctx, "tool_name", "snspolicy"), version=getattr(ctx, "tool_version", "")))}</p></footer>')
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
