"""The review page in a real browser: Debian's chromium, headless, driven over the DevTools protocol.

The page is the one ``-f html`` makes for the bundled violations example (``--today 2026-01-15``,
with the posts' documents filled in). The tests read the DOM (every finding present and marked
at the right text), walk the page with the Tab key (each finding's link is reached, in order,
with a visible focus ring), check colour contrast (axe-core from npm, and our own WCAG check),
print it on A4, check that it loads nothing, and take the screenshot used in the docs
(``SNSPOLICY_UPDATE_SCREENSHOT=1`` rewrites ``docs/img/review-page.png``).

Everything skips, with the reason, when chromium is not installed; the axe test also skips
without ``tests/browser/node_modules/axe-core`` (``.ci/browser-deps`` installs both).
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from .cdp import Browser, find_chromium

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VIOLATIONS = ROOT / "examples" / "ube-city-posts-violations"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = ROOT / "docs" / "img" / "review-page.png"

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium fonts-noto-cjk, or run .ci/browser-deps)",
)


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The review page of the violations example, and the expected text of every finding in a post body."""
    from reporters.example_run import lint_repo

    from snspolicy.reporters import render

    findings, ctx = lint_repo(VIOLATIONS)
    page = tmp_path_factory.mktemp("review") / "review.html"
    page.write_text(render("html", findings, ctx), encoding="utf-8")
    expected = []
    for f in findings:
        entry = ctx.documents.get(f.path)
        in_body = bool(entry) and entry.get("kind") == "post" and f.line >= entry["body_line"]
        text = _span_text(VIOLATIONS / f.path, f) if in_body else None
        if text is not None and "*" in f.message:
            text = re.sub(r"\w", "*", text)  # sensitive text is masked on the page
        expected.append({"rule": f.rule, "message": f.message, "path": f.path, "text": text})
    return {"url": page.as_uri(), "path": page, "expected": expected, "count": len(findings)}


@pytest.fixture(scope="module")
def browser() -> Any:
    assert CHROMIUM is not None
    b = Browser(CHROMIUM, width=1200, height=900)
    try:
        yield b
    finally:
        b.close()


def _span_text(path: Path, f: Any) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    if f.line == f.end_line:
        return lines[f.line - 1][f.column - 1:f.end_column - 1]
    return "\n".join([lines[f.line - 1][f.column - 1:], *lines[f.line:f.end_line - 1],
                      lines[f.end_line - 1][:f.end_column - 1]])


FINDINGS_JS = """(() => {
  const marks = {};
  for (const m of document.querySelectorAll('mark[data-f]'))
    for (const n of m.dataset.f.split(' ')) marks[n] = (marks[n] || '') + m.textContent;
  return [...document.querySelectorAll('li.finding')].map(li => {
    const n = li.id.slice(2);
    const ref = document.getElementById('ref-' + n);
    return {n, rule: li.querySelector('code').textContent, text: li.textContent,
            shown: li.getClientRects().length > 0,
            ref: ref ? {href: ref.getAttribute('href'), shown: ref.getClientRects().length > 0,
                        label: ref.textContent} : null,
            marked: marks[n] ?? null};
  });
})()"""


def test_every_finding_present_and_anchored(browser: Browser, review: dict[str, Any]) -> None:
    browser.goto(review["url"])
    assert browser.js("document.documentElement.lang") == "ja"
    dom = browser.js(FINDINGS_JS)
    assert len(dom) == review["count"] > 40
    unused = list(dom)
    anchored = 0
    for want in review["expected"]:
        match = [d for d in unused if d["rule"] == want["rule"] and want["message"] in d["text"]]
        assert match, f"finding not on the page: {want['rule']} {want['path']}"
        got = match[0]
        unused.remove(got)
        assert got["shown"], got
        if want["text"] is None:
            continue
        assert got["ref"] and got["ref"]["shown"] and got["ref"]["href"] == f"#f-{got['n']}", got
        assert got["marked"] == want["text"], (want["rule"], want["path"], got["marked"], want["text"])
        anchored += 1
    assert not unused and anchored >= 20
    # following a finding's link shows its explanation; its back link returns to the text
    browser.js("location.hash = '#ref-1'; document.getElementById('ref-1').click()")
    assert browser.js("document.querySelector(':target').id") == "f-1"


TAB_JS = """(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const cs = getComputedStyle(e), r = e.getBoundingClientRect();
  return {id: e.id, tag: e.tagName, href: e.getAttribute('href'), outline: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth), inView: r.bottom > 0 && r.top < innerHeight};
})()"""


def test_keyboard_reaches_every_finding_in_order(browser: Browser, review: dict[str, Any]) -> None:
    browser.goto(review["url"])
    seen: list[dict[str, Any]] = []
    for _ in range(2000):
        browser.tab()
        info = browser.js(TAB_JS)
        if info is None:
            if seen:
                break  # past the last element
            continue
        seen.append(info)
    assert seen, "Tab focused nothing"
    assert seen[0]["href"] == "#posts", "the first Tab stop is the skip link"
    refs = [int(i["id"][4:]) for i in seen if i["id"].startswith("ref-")]
    linked = browser.js("[...document.querySelectorAll('a.ref')].map(a => +a.id.slice(4))")
    in_posts = sum(1 for e in review["expected"] if e["path"].startswith("posts/"))
    assert len(linked) == in_posts > 30  # every finding in a post has its link (the others are listed per file)
    assert refs == sorted(linked) == list(range(1, in_posts + 1)), "each finding's link is reached once, in page order"
    for info in seen:
        assert info["outline"] != "none" and info["outlineWidth"] >= 2, f"no visible focus ring on {info}"
        assert info["inView"], f"focused element not scrolled into view: {info}"
    # Enter on a finding's link moves to its explanation
    browser.goto(review["url"])
    browser.js("document.getElementById('ref-3').focus()")
    browser.press("Enter", "Enter", 13)
    assert browser.js("location.hash") == "#f-3"


CONTRAST_JS = """(() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const over = (top, base) => ({r: top.r * top.a + base.r * (1 - top.a), g: top.g * top.a + base.g * (1 - top.a),
                                b: top.b * top.a + base.b * (1 - top.a), a: 1});
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    let base = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) base = over(c, base);
    return base; };
  const bad = []; let checked = 0; const done = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || done.has(el)) continue;
    done.add(el);
    if (!el.getClientRects().length || el.closest('.vh')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') continue;
    const bg = background(el), fg = over(parse(cs.color), bg);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    checked++;
    if (ratio < need) bad.push({text: node.textContent.trim().slice(0, 30), tag: el.tagName, cls: el.className,
                                ratio: Math.round(ratio * 100) / 100, need});
  }
  return {checked, bad};
})()"""


def test_colour_contrast_own_check(browser: Browser, review: dict[str, Any]) -> None:
    browser.goto(review["url"])
    result = browser.js(CONTRAST_JS)
    assert result["checked"] > 500
    assert result["bad"] == [], result["bad"][:10]
    # the check itself works: grey on white text fails it
    browser.js("document.querySelector('h1').style.color = '#aaaaaa'")
    assert any(b["tag"] == "H1" for b in browser.js(CONTRAST_JS)["bad"])


AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
    "'wcag22aa', 'best-practice']}, resultTypes: ['violations']})"
    ".then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, "
    "help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}))"
)


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (run .ci/browser-deps: npm ci in tests/browser)")
def test_axe_core_finds_no_violation(browser: Browser, review: dict[str, Any]) -> None:
    browser.call("Page.setBypassCSP", {"enabled": True})  # the page's CSP forbids scripts; axe is one
    try:
        browser.goto(review["url"])
        browser.js(AXE.read_text(encoding="utf-8"))
        assert browser.js("typeof axe") == "object"
        result = browser.js(AXE_RUN, await_promise=True)
        # the check itself works: a low-contrast heading is reported
        browser.js("document.querySelector('h1').style.color = '#bbbbbb'")
        broken = browser.js("axe.run({include: [['h1']]}, {runOnly: ['color-contrast']})"
                            ".then(r => ({violations: r.violations.map(v => ({id: v.id}))}))", await_promise=True)
    finally:
        browser.call("Page.setBypassCSP", {"enabled": False})
    assert result["passes"] > 10
    assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
    assert "color-contrast" in {v["id"] for v in broken["violations"]}


def test_loads_nothing_and_prints_on_a4(browser: Browser, review: dict[str, Any]) -> None:
    browser.call("Network.enable")
    browser.events.clear()
    browser.goto(review["url"])
    browser.js("0")  # flush events
    urls = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    browser.call("Network.disable")
    assert urls and all(u == review["url"] for u in urls), urls  # no font, image, style or script fetched

    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.js("getComputedStyle(document.querySelector('.skip')).display") == "none"
        cols = browser.js("getComputedStyle(document.querySelector('article .grid')).gridTemplateColumns")
        assert len(cols.split()) == 1, cols
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    assert pdf.startswith(b"%PDF")
    boxes = {tuple(round(float(x)) for x in m.groups())
             for m in re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)}
    assert boxes and all(abs(w - 595) <= 2 and abs(h - 842) <= 2 for w, h in boxes), boxes  # A4 portrait
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) > 5


def test_screenshot_for_the_docs(browser: Browser, review: dict[str, Any], tmp_path: Path) -> None:
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 1100, "height": 900, "deviceScaleFactor": 1,
                                                        "mobile": False})
    try:
        browser.goto(review["url"])
        header = browser.js("document.querySelector('table.counts').getBoundingClientRect().bottom + scrollY + 16")
        post = browser.js("""(() => { const a = [...document.querySelectorAll('article.post')]
            .find(x => x.querySelector('h3').textContent === '2026-10-13-kenshin-nagai');
            const r = a.getBoundingClientRect(); return {y: r.top + scrollY - 12, h: r.height + 24}; })()""")
        top, body = tmp_path / "top.png", tmp_path / "post.png"
        browser.screenshot(top, {"x": 0, "y": 0, "width": 1100, "height": header})
        browser.screenshot(body, {"x": 0, "y": post["y"], "width": 1100, "height": post["h"]})
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 900, "deviceScaleFactor": 1,
                                                            "mobile": False})
    for p in (top, body):
        assert p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    if os.environ.get("SNSPOLICY_UPDATE_SCREENSHOT") == "1":
        image = pytest.importorskip("PIL.Image", reason="Pillow is needed to write the docs screenshot")
        a, b = image.open(top).convert("RGB"), image.open(body).convert("RGB")
        sheet = image.new("RGB", (1100, a.height + b.height), "white")
        sheet.paste(a, (0, 0))
        sheet.paste(b, (0, a.height))
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        sheet.quantize(colors=64, method=image.Quantize.MEDIANCUT).save(SCREENSHOT, optimize=True)
    if SCREENSHOT.exists():
        assert SCREENSHOT.stat().st_size < 250_000, "keep the committed screenshot small"
