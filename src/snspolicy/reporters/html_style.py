"""The review page's stylesheet (inline in the page: no external asset), screen and A4 print."""

from __future__ import annotations

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
