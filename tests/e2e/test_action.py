"""The composite GitHub Action (``action.yml`` at the repo root).

* its metadata validates against the GitHub action schema, and the workflow in
  docs/integrations.md that uses it validates against the workflow schema (check-jsonschema);
* inputs reach the scripts only through ``env`` (no ``${{ inputs.* }}`` pasted into a script);
* end to end: the action's ``run:`` steps are executed as scripts, the way the runner does
  (``bash --noprofile --norc -eo pipefail``), against a temp posts repo with a pull-request-like
  base ref, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP pointing to temp files.
  The install step is replaced by the snspolicy under test (``python -m snspolicy`` of this
  checkout); the lint step relies on ``snspolicy lint`` writing several outputs from one run
  (``-f FORMAT:PATH``, repeatable).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CLEAN, ROOT, WITHOUT_CACHE, write

ACTION = ROOT / "action.yml"
DOC = ROOT / "docs" / "integrations.md"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _check_jsonschema() -> list[str]:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if Path(exe).is_file():
        return [exe]
    try:
        import check_jsonschema  # noqa: F401
    except ImportError:
        pytest.skip("check-jsonschema is not installed (pip install 'snspolicy[test]')")
    return [sys.executable, "-m", "check_jsonschema"]


def _validate(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*_check_jsonschema(), "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_metadata_validates(tmp_path: Path) -> None:
    proc = _validate("vendor.github-actions", ACTION)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the check can fail: an action without runs.using is rejected
    broken = action()
    del broken["runs"]["using"]
    bad = tmp_path / "action.yml"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    assert _validate("vendor.github-actions", bad).returncode != 0


def _doc_workflow() -> str:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    found = [b for b in blocks if re.search(r"^\s*- uses: \S+/snspolicy@", b, re.MULTILINE) and "jobs:" in b]
    assert found, "docs/integrations.md shows no workflow that uses the action"
    return found[0]


def test_documented_workflow_validates(tmp_path: Path) -> None:
    wf = tmp_path / "snspolicy.yml"
    wf.write_text(_doc_workflow(), encoding="utf-8")
    proc = _validate("vendor.github-workflows", wf)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = yaml.safe_load(wf.read_text(encoding="utf-8"))
    steps = [s for job in data["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    for u in uses:  # third-party actions pinned by full commit SHA
        if "/snspolicy@" not in u:
            assert re.search(r"@[0-9a-f]{40}$", u), u
    names = {i for s in steps if "/snspolicy@" in s.get("uses", "") for i in (s.get("with") or {})}
    assert names <= set(action()["inputs"]), names - set(action()["inputs"])


def test_inputs_reach_scripts_only_through_env() -> None:
    meta = action()
    assert meta["runs"]["using"] == "composite"
    for step in meta["runs"]["steps"]:
        assert step.get("shell") == "bash"
        assert not EXPR.search(step.get("run", "")), f"expression inside the script of {step.get('name')}"
        assert "if" not in step  # every step runs; the lint step decides the outcome itself
    outputs = {k: v["value"] for k, v in meta["outputs"].items()}
    assert set(outputs) >= {"errors", "warnings", "exit-code", "sarif-file"}
    assert set(meta["inputs"]) >= {"path", "base-ref", "policy-from", "fail-on", "formats", "lang"}


# --------------------------------------------------------------------------- running the steps


def _cli() -> list[str]:
    return [sys.executable, "-m", "snspolicy"]


def test_lint_has_the_options_the_action_uses() -> None:
    """The lint step passes -f FORMAT:PATH (several), --base, --policy-from, --fail-on and --lang."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([*_cli(), "lint", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and "FORMAT:PATH" in proc.stdout
    for option in ("--base", "--policy-from", "--fail-on", "--lang"):
        assert option in proc.stdout


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _evaluate(expr: str, ctx: dict[str, dict[str, str]]) -> str:
    m = re.fullmatch(r"(inputs|github|runner)\.([A-Za-z0-9_-]+)", expr)
    if m:
        return ctx[m.group(1)][m.group(2)]
    m = re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expr)
    if m:
        return ctx["steps"].get(f"{m.group(1)}.{m.group(2)}", "")
    raise AssertionError(f"expression the test runner does not know: {expr!r} (keep the action's expressions simple)")


def _substitute(value: str, ctx: dict[str, dict[str, str]]) -> str:
    return EXPR.sub(lambda m: _evaluate(m.group(1), ctx), value)


def _outputs(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def run_action(workspace: Path, temp: Path, inputs: dict[str, str], github: dict[str, str],
               fake_bin: Path) -> dict[str, Any]:
    """Run the action's steps like the runner does; the install step is replaced by ``fake_bin``."""
    meta = action()
    values = {k: str(v.get("default", "")) for k, v in meta["inputs"].items()}
    values.update(inputs)
    ctx: dict[str, dict[str, str]] = {"inputs": values, "github": {"action_path": str(ROOT), **github},
                                      "runner": {"temp": str(temp)}, "steps": {}}
    ctx["inputs"] = {k: _substitute(v, ctx) for k, v in values.items()}
    summary = temp / "step_summary.md"
    summary.write_text("", encoding="utf-8")
    results = []
    for i, step in enumerate(meta["runs"]["steps"]):
        out_file = temp / f"output-{i}"
        out_file.write_text("", encoding="utf-8")
        if step.get("id") == "install":
            ctx["steps"].update({"install.bin": str(fake_bin), "install.python": sys.executable})
            continue
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SNSPOLICY_", "GITHUB_", "INPUT_"))}
        env.update({k: _substitute(str(v), ctx) for k, v in (step.get("env") or {}).items()})
        env.update(GITHUB_OUTPUT=str(out_file), GITHUB_STEP_SUMMARY=str(summary), RUNNER_TEMP=str(temp),
                   GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(ROOT),
                   GITHUB_EVENT_NAME=github.get("event_name", ""), GITHUB_BASE_REF=github.get("base_ref", ""))
        script = temp / f"step-{i}.sh"
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, capture_output=True, text=True, timeout=600)
        outs = _outputs(out_file)
        for k, v in outs.items():
            ctx["steps"][f"{step.get('id')}.{k}"] = v
        results.append({"step": step.get("id"), "code": proc.returncode, "stdout": proc.stdout,
                        "stderr": proc.stderr, "outputs": outs})
        if proc.returncode != 0:
            break
    action_outputs = {k: _substitute(v["value"], ctx) for k, v in meta["outputs"].items()}
    return {"steps": results, "outputs": action_outputs, "summary": summary.read_text(encoding="utf-8")}


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    """A posts repo: main (clean example) and a pull-request branch that adds a violation to one post."""
    repo = tmp_path / "posts-repo"
    shutil.copytree(CLEAN, repo, symlinks=True, ignore=WITHOUT_CACHE)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    _git(repo, "checkout", "-q", "-b", "feature")
    post = next(p for p in sorted((repo / "posts").rglob("*.md")) if "status: published" not in p.read_text("utf-8"))
    write(repo, post.relative_to(repo).as_posix(), post.read_text(encoding="utf-8") + "\n外人の観光客にも人気です。\n")
    _git(repo, "commit", "-qam", "change a post")
    return repo


@pytest.mark.slow
def test_action_steps_on_a_pull_request(pr_repo: Path, tmp_path: Path) -> None:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    fake = temp / "snspolicy"
    fake.write_text("#!/bin/sh\n" f"PYTHONPATH={shlex.quote(str(ROOT / 'src'))} exec {shlex.join(_cli())} \"$@\"\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    html = tmp_path / "review.html"
    run = run_action(pr_repo, temp, {"formats": f"html:{html} gitlab:{tmp_path / 'gl.json'}", "fail-on": "warning"},
                     {"event_name": "pull_request", "base_ref": "main"}, fake)
    lint = run["steps"][-1]
    assert lint["step"] == "lint"
    out = run["outputs"]
    assert out["exit-code"] == "1" and lint["code"] == 1, lint["stderr"]  # fail-on warning: the step fails
    assert int(out["warnings"]) >= 1 and out["errors"] == "0"
    changed = _git(pr_repo, "diff", "--name-only", "main", "HEAD").split()
    annotations = [ln for ln in lint["stdout"].splitlines() if ln.startswith("::")]
    assert annotations and all(any(f"file={c}" in a for c in changed) for a in annotations), annotations
    sarif = json.loads((pr_repo / out["sarif-file"]).read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris and uris <= set(changed)
    assert "SNS 投稿ガイドラインのチェック結果" in run["summary"]  # the markdown went to the job summary
    assert Path(out["summary-file"]).read_text(encoding="utf-8") in run["summary"]
    gl = json.loads((tmp_path / "gl.json").read_text(encoding="utf-8"))
    assert len(gl) == len(sarif["runs"][0]["results"]) == len(annotations)  # one run, same findings everywhere
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    # fail: "false" reports without failing the step
    run = run_action(pr_repo, temp, {"fail-on": "warning", "fail": "false", "sarif-file": ""},
                     {"event_name": "pull_request", "base_ref": "main"}, fake)
    assert run["steps"][-1]["code"] == 0 and run["outputs"]["exit-code"] == "1" and run["outputs"]["sarif-file"] == ""

    # a push (no pull request): the whole repo is linted, nothing fails at the default level
    run = run_action(pr_repo, temp, {}, {"event_name": "push", "base_ref": ""}, fake)
    assert run["outputs"]["exit-code"] == "0", run["steps"][-1]["stderr"]
    assert run["steps"][-1]["code"] == 0

    # a broken configuration is exit status 2 and always fails the step
    (pr_repo / "snspolicy.yaml").write_text("policy: no/such-policy\n", encoding="utf-8")
    run = run_action(pr_repo, temp, {"fail": "false"}, {"event_name": "push", "base_ref": ""}, fake)
    assert run["outputs"]["exit-code"] == "2" and run["steps"][-1]["code"] == 2
