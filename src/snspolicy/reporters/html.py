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

from collections.abc import Mapping
from typing import Any

from snspolicy.core.model import Finding, ReportContext, RuleInfo, Severity
from snspolicy.reporters._strings import clause_name, t
from snspolicy.reporters._util import Item, clause_key, counts, fails, lang_of, prepare, severity_of
from snspolicy.reporters.html_style import CSS
from snspolicy.reporters.html_words import PLATFORMS

X_LIMIT = 280
_X_NAMES = {"x", "twitter"}
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
from snspolicy.reporters.html_parts import (
    COMMENT, SEV_CLASS, accounts_of, badge, build, clause_label, entries, esc, mask_text, meta_html, paren, paren_close, paren_open, Placed, Post, posted_text, ref, s, sev_label, worst,
)


def _body_html(post: Post, lang: str) -> str:
    """The body with every finding marked in place (``<mark data-f="…">``) and a link after it."""
    body = post.body
    if not body.strip():
        return f'<p class="nobody">{esc(s("no_body", lang))}</p>'
    placed = [p for p in post.placed if p.where == "body"]
    comments = [(m.start(), m.end()) for m in COMMENT.finditer(body)]
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
            out.append(ref(p, lang))
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
            piece = f'<mark class="hl {SEV_CLASS[worst(cover)]}" data-f="{ids}">{piece}</mark>'
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


def _finding_html(p: Placed, rules: Mapping[str, Any], lang: str, headings: Mapping[str, str]) -> str:
    item = p.item
    title = item.title or item.rule
    head = (f'<p class="fhead">{badge(item.severity, lang)} <span class="num">{esc(s("finding", lang))} {p.n}</span> '
            f'<strong>{esc(title)}</strong></p>')
    where = [esc(clause_label(item.clause, lang, headings)), f"<code>{esc(item.rule)}</code>"]
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
    return f'<li id="f-{p.n}" class="finding {SEV_CLASS[item.severity]}">{"".join(parts)}</li>'


def _findings_list(placed: list[Placed], rules: Mapping[str, Any], lang: str, headings: Mapping[str, str]) -> str:
    if not placed:
        return f'<p class="none">{esc(s("no_findings", lang))}</p>'
    return '<ul class="findings">' + "".join(_finding_html(p, rules, lang, headings) for p in placed) + "</ul>"


def _count_cells(items: list[Item]) -> str:
    c = counts(items)
    return "".join(f'<td class="n">{c[sev]}</td>' for sev in _SEVERITIES)


def _count_heads(lang: str) -> str:
    return "".join(f'<th scope="col" class="n">{esc(sev_label(sev, lang))}</th>' for sev in _SEVERITIES)


# --------------------------------------------------------------------------- the page


def render(findings: list[Finding], ctx: ReportContext, *, show_waived: bool = False,
           x_limit: int = X_LIMIT) -> str:
    """Render the review page (see the module docstring)."""
    lang = lang_of(getattr(ctx, "lang", "ja"))
    everything = prepare(findings, show_waived=True, root=getattr(ctx, "root", None))
    active = [i for i in everything if not i.waived]
    shown = everything if show_waived else active
    docs = entries(ctx)
    accounts, account_files = accounts_of(docs)
    posts, others = build(shown, docs, [i for i in everything if i.waived and not show_waived])
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
        title += f" — {sev_label(Severity.ERROR, lang)} {c[Severity.ERROR]}"

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
    facts.append(s("fail_level", lang, level=sev_label(fail_on, lang)))
    out.append(f'<p class="facts">{esc(" ・ ".join(facts))}</p>')
    waived = len(everything) - len(active)
    if waived and not show_waived:
        out.append(f'<p class="facts">{esc(s("waived_hidden", lang, n=waived))}</p>')
    if not docs:
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
            out.append(f'<tr><th scope="row">{esc(label)}</th><td>{esc(clause_name(clause, (getattr(ctx, "clauses", None) or {})))}</td>'
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
                tally = s("sep", lang).join(f"{sev_label(sev, lang)} {c_post[sev]}" for sev in _SEVERITIES if c_post[sev])
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
            top = worst(post.placed) if post.placed else None
            cls = "post" + (f" has-{top!s}" if top in (Severity.ERROR, Severity.WARNING) else "")
            pid = post.meta.get("id") or post.path.rsplit("/", 1)[-1]
            out.append(f'<article class="{cls}" id="post-{k}" aria-labelledby="h-post-{k}">')
            out.append(f'<h3 id="h-post-{k}">{esc(pid)}</h3><p class="path">{esc(post.path)}</p>')
            out.append('<div class="grid"><div class="left">')
            out.append(f'<h4 id="h-meta-{k}">{esc(s("meta", lang))}</h4>')
            out.append(meta_html(post, accounts, lang))
            out.append(f'<h4 id="h-body-{k}">{esc(s("body", lang))}</h4>')
            out.append(_body_html(post, lang))
            out.append(_meter_html(post, platform, lang, x_limit))
            out.append('</div><div class="right">')
            out.append(f'<h4 id="h-findings-{k}">{esc(s("findings", lang))}</h4>')
            out.append(_findings_list(post.placed, rules, lang, (getattr(ctx, "clauses", None) or {})))
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
            out.append(_findings_list(placed, rules, lang, (getattr(ctx, "clauses", None) or {})))
            out.append("</section>")
        out.append("</section>")

    out.append("</main>")
    out.append(f'<footer><p>{esc(s("footer", lang, tool=getattr(ctx, "tool_name", "snspolicy"), version=getattr(ctx, "tool_version", "")))}</p></footer>')
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
