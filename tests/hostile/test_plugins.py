"""Item: a plugin or rule that raises ``SystemExit(0)`` or any ``BaseException`` at import or
while checking is an ``internal-error`` finding with exit 2 (never exit 0, never a traceback),
and each rule's time is bounded.

The plugins are real distributions found by :mod:`importlib.metadata`: a ``*.dist-info``
folder with an ``entry_points.txt`` beside the module, on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import Box, cli, located, no_traceback

FRAGMENT = """\
rules:
  evil-rule:
    clause: "3(6)"
    severity: warning
    title: {ja: "悪いプラグインのルール", en: "A bad plugin's rule"}
    message: {ja: "悪いプラグイン", en: "bad plugin"}
    doc:
      what: {ja: "試験用", en: "for tests"}
      why: {ja: "試験用", en: "for tests"}
      bad: "x"
      good: "y"
"""

RULE_MODULE = """\
from pathlib import Path
from snspolicy.rules.api import rule

POLICY = Path(__file__).with_name("rules.yaml")

class Weird(BaseException):
    pass

@rule("evil-rule", kinds=("post",))
def evil(doc, ctx):
    {body}
    return ()
"""


def _site(tmp: Path, module_text: str, fragment: bool = True) -> Path:
    site = tmp / "site"
    pkg = site / "evilplugin"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(module_text, encoding="utf-8")
    if fragment:
        (pkg / "rules.yaml").write_text(FRAGMENT, encoding="utf-8")
    info = site / "evilplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evilplugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[snspolicy.rules]\nevil = evilplugin\n", encoding="utf-8")
    return site


def _lint(box: Box, site: Path, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli("lint", str(box.repo), *extra, env={"PYTHONPATH": str(site), **(env or {})})


@pytest.mark.parametrize("code", ["raise SystemExit(0)", "raise SystemExit(1)", "raise GeneratorExit()",
                                  "class Weird(BaseException):\n    pass\nraise Weird('boom')"])
def test_plugin_failing_at_import_is_exit_2(box: Box, tmp_path: Path, code: str) -> None:
    site = _site(tmp_path, code + "\n", fragment=False)
    proc = _lint(box, site, "-f", "json")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    findings = json.loads(proc.stdout)
    assert len(findings) == 1
    f = findings[0]
    assert f["rule"] == "internal-error" and "evilplugin" in f["path"] and "evil" in f["message"]
    assert (f["line"], f["column"]) == (1, 1)


@pytest.mark.parametrize(("body", "shown"), [
    ("raise SystemExit(0)", "SystemExit"),
    ("raise Weird('x')", "Weird"),
    ("raise KeyError('x')", "KeyError"),
])
def test_rule_raising_is_internal_error_exit_2(box: Box, tmp_path: Path, body: str, shown: str) -> None:
    site = _site(tmp_path, RULE_MODULE.format(body=body))
    proc = _lint(box, site)
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = located(proc.stdout, "posts/test-x/test-post.md", 1, 1)
    assert "[internal-error]" in line and "evil-rule" in line and shown in line


def test_well_behaved_plugin_rule_runs(box: Box, tmp_path: Path) -> None:
    """Must not fire: a plugin that does nothing wrong leaves the run green."""
    site = _site(tmp_path, RULE_MODULE.format(body="pass"))
    proc = _lint(box, site)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_slow_rule_is_reported_after_it_returns(box: Box, tmp_path: Path) -> None:
    site = _site(tmp_path, RULE_MODULE.format(body="import time; time.sleep(0.5)"))
    proc = _lint(box, site, "--lang", "en", env={"SNSPOLICY_RULE_TIME_LIMIT": "0.2"})
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if "evil-rule took" in ln)
    assert "rules.yaml:2:3:" in line and "[internal-error]" in line and "limit 0.2 s" in line


def test_rule_under_the_time_limit_passes(box: Box, tmp_path: Path) -> None:
    site = _site(tmp_path, RULE_MODULE.format(body="pass"))
    proc = _lint(box, site, env={"SNSPOLICY_RULE_TIME_LIMIT": "30"})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_engine_contains_base_exceptions_in_process(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine itself (no CLI boundary): SystemExit from a rule becomes a fatal finding."""
    import dataclasses

    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.engine.registry import load_builtin_rules
    from snspolicy.rules.api import REGISTRY

    load_builtin_rules()

    def exits(doc, ctx):  # type: ignore[no-untyped-def]
        raise SystemExit(0)

    monkeypatch.setitem(REGISTRY, "post-approval", dataclasses.replace(REGISTRY["post-approval"], func=exits))
    done = run(LintRequest([box.repo], options=LintOptions(lang="en")))
    assert done.result.exit_code(done.setup.config.fail_on) == 2
    f = next(f for f in done.result.findings if f.rule == "internal-error")
    assert f.path == "posts/test-x/test-post.md" and "SystemExit" in f.message


def test_keyboard_interrupt_is_not_swallowed(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from snspolicy.app.lint import LintOptions, LintRequest, run
    from snspolicy.engine.registry import load_builtin_rules
    from snspolicy.rules.api import REGISTRY

    load_builtin_rules()

    def interrupted(doc, ctx):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setitem(REGISTRY, "post-approval", dataclasses.replace(REGISTRY["post-approval"], func=interrupted))
    with pytest.raises(KeyboardInterrupt):
        run(LintRequest([box.repo], options=LintOptions(lang="en")))
