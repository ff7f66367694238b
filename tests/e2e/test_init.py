"""``snspolicy init``: a new posts repo in one command, clean under its own lint, with CI files that parse."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, run_cli

from snspolicy import __version__
from snspolicy.commands.schema import KINDS

MODELINE = "# yaml-language-server: $schema="


@pytest.fixture
def new_repo(tmp_path: Path) -> Path:
    root = tmp_path / "posts-repo"
    r = run_cli("init", str(root), "--today", TODAY)
    assert r.returncode == 0, r.stderr
    return root


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _modeline_target(path: Path) -> Path | None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[:2]:  # first line, or the first line of a post's front matter
        if line.startswith(MODELINE):
            return (path.parent / line[len(MODELINE):]).resolve()
    return None


def test_scaffold_has_the_expected_files(new_repo):
    files = _files(new_repo)
    for rel in ("snspolicy.yaml", "accounts/sample-x.yaml", "docs/operating-rules/sample-x.md", ".pre-commit-config.yaml",
                ".github/workflows/snspolicy.yml", ".gitlab-ci.yml", ".vscode/settings.json", ".vscode/extensions.json",
                "README.md", ".gitignore", "press/.gitkeep", "incidents/.gitkeep", "media/.gitkeep"):
        assert rel in files, rel
    posts = [f for f in files if f.startswith("posts/")]
    assert posts == ["posts/sample-x/2025/2025-06-08-oshirase.md"]
    for k in KINDS:
        assert f".snspolicy/schemas/{k}.schema.json" in files
    for f in files:
        assert "@@" not in (new_repo / f).read_text(encoding="utf-8"), f  # no template marker left


def test_lint_passes_right_after_init(new_repo):
    r = run_cli("lint", cwd=new_repo)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "問題は見つかりませんでした" in r.stdout
    r = run_cli("lint", "-f", "json", cwd=new_repo)
    assert json.loads(r.stdout) == []  # not even a warning


def test_lint_passes_with_the_real_date(tmp_path):
    root = tmp_path / "today"
    env = {"SNSPOLICY_TODAY": ""}
    r = run_cli("init", str(root), env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("lint", str(root), env=env)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_document_points_at_its_copied_schema(new_repo):
    expected = {"snspolicy.yaml": "config", "accounts/sample-x.yaml": "account",
                "posts/sample-x/2025/2025-06-08-oshirase.md": "post"}
    for rel, kind in expected.items():
        target = _modeline_target(new_repo / rel)
        assert target == (new_repo / ".snspolicy" / "schemas" / f"{kind}.schema.json").resolve(), rel
        assert target.is_file()
    settings = json.loads((new_repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (new_repo / schema).is_file(), schema
    assert "redhat.vscode-yaml" in json.loads((new_repo / ".vscode" / "extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert run_cli("schema", "--check", cwd=new_repo).returncode == 0  # the copies are current


def _workflow(root: Path) -> dict:
    return yaml.safe_load((root / ".github" / "workflows" / "snspolicy.yml").read_text(encoding="utf-8"))


def test_github_workflow_uses_the_action_once_with_pinned_actions(new_repo):
    text = (new_repo / ".github" / "workflows" / "snspolicy.yml").read_text(encoding="utf-8")
    wf = _workflow(new_repo)
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the bare key `on` as true
    assert "pull_request" in on and "push" in on
    job = wf["jobs"]["lint"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    ours = [u for u in uses if "/snspolicy@" in u]
    assert ours == [f"ube-city/snspolicy@v{__version__}"]  # the action, once: one lint run
    for u in uses:
        if u not in ours:  # every third-party action pinned by a full commit SHA
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u), u
    assert not any("run" in s for s in steps)  # no second lint, no script at all
    checkout = next(s for s in steps if s["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    lint = next(s for s in steps if s.get("uses") in ours)
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(lint["with"]) <= set(action["inputs"])
    assert lint["with"]["policy-from"] == "base" and lint["with"]["formats"].startswith("html:")
    upload = next(s for s in steps if s["uses"].startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ steps.%s.outputs.sarif-file }}" % lint["id"]
    assert "always()" in upload["if"] and "github.event_name != 'pull_request'" in upload["if"]
    artifact = next(s for s in steps if s["uses"].startswith("actions/upload-artifact@"))
    assert artifact["with"]["path"] == lint["with"]["formats"].split(":", 1)[1]
    assert "@@" not in text


def test_action_option_names_the_action(tmp_path):
    root = tmp_path / "own"
    r = run_cli("init", str(root), "--action", "dx-ube/snspolicy@0123456789abcdef0123456789abcdef01234567")
    assert r.returncode == 0, r.stderr
    uses = [s.get("uses", "") for s in _workflow(root)["jobs"]["lint"]["steps"]]
    assert "dx-ube/snspolicy@0123456789abcdef0123456789abcdef01234567" in uses


@pytest.mark.parametrize("bad", ["snspolicy", "a/b", "a/b@", "a/b@v1 && curl x", "a/../b@v1", "a/b@v1\nrun: x", "-x/b@v1"])
def test_invalid_action_is_a_usage_error(tmp_path, bad):
    r = run_cli("init", str(tmp_path / "x"), "--action", bad)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()


def test_gitlab_job_reports_junit_code_quality_and_the_review_page(new_repo):
    ci = yaml.safe_load((new_repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = ci["snspolicy"]
    reports = job["artifacts"]["reports"]
    assert reports["codequality"] == "gl-code-quality-report.json"
    assert reports["junit"] == "snspolicy-junit.xml"
    assert job["artifacts"]["when"] == "always"
    assert {"snspolicy-review.html", "gl-code-quality-report.json", "snspolicy-junit.xml"} <= set(job["artifacts"]["paths"])
    script = "\n".join(job["script"])
    assert "-f gitlab:gl-code-quality-report.json" in script and "--base=origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script
    main_run = job["script"][-1]  # the job's status: one run, several outputs
    assert main_run.startswith("snspolicy lint $BASE_ARGS") and "-f junit:snspolicy-junit.xml" in main_run
    assert "-f html:snspolicy-review.html" in main_run and "|| true" not in main_run
    assert any("merge_request_event" in r["if"] for r in job["rules"])


def _check_jsonschema() -> list[str]:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if Path(exe).is_file():
        return [exe]
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed (pip install 'snspolicy[test]')")
    return [sys.executable, "-m", "check_jsonschema"]


@pytest.mark.parametrize("rel,schema", [(".github/workflows/snspolicy.yml", "vendor.github-workflows"),
                                        (".gitlab-ci.yml", "vendor.gitlab-ci")])
def test_ci_files_validate_against_the_published_schemas(new_repo, tmp_path, rel, schema):
    """The SchemaStore schemas for GitHub workflows and GitLab CI (vendored by check-jsonschema, offline)."""
    cmd = [*_check_jsonschema(), "--builtin-schema", schema]
    r = subprocess.run([*cmd, str(new_repo / rel)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    # the check can fail: the same file with a job that has no runner / an unknown `when` is rejected
    data = yaml.safe_load((new_repo / rel).read_text(encoding="utf-8"))
    if "jobs" in data:
        del data["jobs"]["lint"]["runs-on"]
    else:
        data["snspolicy"]["artifacts"]["when"] = "sometimes"
    broken = tmp_path / Path(rel).name
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert subprocess.run([*cmd, str(broken)], capture_output=True, text=True, timeout=120).returncode != 0


def test_pre_commit_config_is_valid_for_pre_commit(new_repo):
    pytest.importorskip("pre_commit")
    cfg = yaml.safe_load((new_repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = cfg["repos"][0]["hooks"][0]
    assert cfg["repos"][0]["repo"] == "local" and hook["entry"] == "snspolicy lint" and hook["language"] == "python"
    assert hook["additional_dependencies"][0].startswith("snspolicy[all]==")
    r = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(new_repo / ".pre-commit-config.yaml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_hook_repo_gives_the_remote_form_with_a_real_hook_id(tmp_path):
    root = tmp_path / "remote"
    r = run_cli("init", str(root), "--hook-repo", "https://git.example.jp/dx/snspolicy", "--hook-rev", "v1.2.3")
    assert r.returncode == 0, r.stderr
    cfg = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    repo = cfg["repos"][0]
    assert repo["repo"] == "https://git.example.jp/dx/snspolicy" and repo["rev"] == "v1.2.3"
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in manifest}
    gl = (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "snspolicy[all] @ git+https://git.example.jp/dx/snspolicy@v1.2.3" in gl


def test_ci_choice(tmp_path):
    assert run_cli("init", str(tmp_path / "none"), "--ci", "none").returncode == 0
    assert not (tmp_path / "none" / ".github").exists() and not (tmp_path / "none" / ".gitlab-ci.yml").exists()
    assert run_cli("init", str(tmp_path / "gh"), "--ci", "github").returncode == 0
    assert (tmp_path / "gh" / ".github" / "workflows" / "snspolicy.yml").is_file()
    assert not (tmp_path / "gh" / ".gitlab-ci.yml").exists()


def test_account_option_renames_everything(tmp_path):
    root = tmp_path / "dept"
    r = run_cli("init", str(root), "--account", "ube-kanko-x", "--today", TODAY)
    assert r.returncode == 0, r.stderr
    assert (root / "accounts" / "ube-kanko-x.yaml").is_file()
    assert (root / "docs" / "operating-rules" / "ube-kanko-x.md").is_file()
    assert run_cli("lint", str(root)).returncode == 0


@pytest.mark.parametrize("bad", ["Sample_X", "../evil", "a b", "", "あいう"])
def test_invalid_account_id_is_a_usage_error(tmp_path, bad):
    r = run_cli("init", str(tmp_path / "x"), "--account", bad)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()


def test_existing_files_are_never_overwritten_without_force(new_repo):
    account = new_repo / "accounts" / "sample-x.yaml"
    account.write_text("# 職員が書き換えた内容\n", encoding="utf-8")
    before = {f: (new_repo / f).read_bytes() for f in _files(new_repo)}
    r = run_cli("init", str(new_repo), "--today", TODAY)
    assert r.returncode == 2
    assert "accounts/sample-x.yaml" in r.stderr and "--force" in r.stderr
    assert {f: (new_repo / f).read_bytes() for f in _files(new_repo)} == before  # nothing written at all
    r = run_cli("init", str(new_repo), "--today", TODAY, "--force")
    assert r.returncode == 0
    assert account.read_text(encoding="utf-8").startswith(MODELINE)


def test_init_into_a_folder_with_other_files(tmp_path):
    root = tmp_path / "existing"
    root.mkdir()
    (root / "memo.txt").write_text("メモ\n", encoding="utf-8")
    assert run_cli("init", "--today", TODAY, cwd=root).returncode == 0
    assert (root / "snspolicy.yaml").is_file() and (root / "memo.txt").read_text(encoding="utf-8") == "メモ\n"


def test_target_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    r = run_cli("init", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.slow
def test_installed_package_ships_templates_and_schemas(tmp_path):
    """A real (non-editable) install: templates and schemas are package data, not files of the source tree."""
    target = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target",
                          str(target), str(ROOT)], capture_output=True, text=True, timeout=600)
    if pip.returncode != 0:
        pytest.skip("cannot build the wheel here: " + pip.stderr[-500:])
    env = {**os.environ, "PYTHONPATH": str(target), "SNSPOLICY_TODAY": TODAY, "PYTHONIOENCODING": "utf-8"}
    root = tmp_path / "from-wheel"
    r = subprocess.run([sys.executable, "-m", "snspolicy", "init", str(root)], env=env, capture_output=True, text=True,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    where = subprocess.run([sys.executable, "-m", "snspolicy", "schema", "account", "--path"], env=env, capture_output=True,
                           text=True, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout  # the packaged copy, not the source tree
    lint = subprocess.run([sys.executable, "-m", "snspolicy", "lint", str(root)], env=env, capture_output=True, text=True,
                          cwd=tmp_path)
    assert lint.returncode == 0, lint.stdout + lint.stderr


# ----------------------------------------------------------------------------- running the generated CI steps


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    r = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.fixture
def pr_checkout(new_repo: Path, tmp_path: Path) -> Path:
    """The new repo as CI sees a pull request: origin/main clean, HEAD with a post published without approval."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    _git(new_repo, "init", "-q", "-b", "main")
    _git(new_repo, "add", "-A")
    _git(new_repo, "commit", "-q", "-m", "init")
    origin = tmp_path / "origin.git"
    _git(tmp_path, "clone", "-q", "--bare", str(new_repo), str(origin))
    _git(new_repo, "remote", "add", "origin", str(origin))
    _git(new_repo, "fetch", "-q", "origin")
    _git(new_repo, "checkout", "-q", "-b", "feature")
    post = new_repo / "posts" / "sample-x" / "2025" / "2025-06-08-oshirase.md"
    post.write_text(post.read_text(encoding="utf-8").replace("status: draft", "status: published", 1), encoding="utf-8")
    _git(new_repo, "commit", "-q", "-am", "publish without approval")
    return new_repo


def _shim(tmp_path: Path) -> dict[str, str]:
    """PATH with a ``snspolicy`` command running this checkout's code (what `pip install` gives in CI)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "snspolicy"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m snspolicy "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    src = str(ROOT / "src")
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "SNSPOLICY_TODAY": TODAY,
            "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p), "PYTHONIOENCODING": "utf-8"}


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    # GitHub runs `run:` with `bash -e {0}`; GitLab stops at the first failing script line
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_generated_github_workflow_works_on_a_pull_request(pr_checkout, tmp_path):
    """The generated workflow's snspolicy step, with its own inputs, run through the action's steps
    (the runner of tests/e2e/test_action.py) on a pull request and on a push."""
    from e2e.test_action import run_action

    lint = next(s for s in _workflow(pr_checkout)["jobs"]["lint"]["steps"] if "/snspolicy@" in s.get("uses", ""))
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    fake = temp / "snspolicy"  # what the action's install step gives: this checkout's snspolicy
    fake.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" SNSPOLICY_TODAY={TODAY} exec "{sys.executable}" -m snspolicy "$@"\n',
                    encoding="utf-8")
    fake.chmod(0o755)
    run = run_action(pr_checkout, temp, {k: str(v) for k, v in lint["with"].items()},
                     {"event_name": "pull_request", "base_ref": "main"}, fake)
    step = run["steps"][-1]
    assert step["code"] == 1 and run["outputs"]["exit-code"] == "1", step["stderr"]  # the job fails …
    anns = [ln for ln in step["stdout"].splitlines() if ln.startswith("::")]
    assert anns and all("file=posts/sample-x/2025/2025-06-08-oshirase.md" in a for a in anns)  # … on the changed post
    assert "post-approval" in run["summary"] and "❌" in run["summary"]
    page = pr_checkout / lint["with"]["formats"].split(":", 1)[1]
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # the review page for the artifact
    # on a push to main (no base ref) the whole repo is linted, which is clean on main
    _git(pr_checkout, "checkout", "-q", "main")
    run = run_action(pr_checkout, temp, {k: str(v) for k, v in lint["with"].items()}, {"event_name": "push", "base_ref": ""},
                     fake)
    assert run["steps"][-1]["code"] == 0 and run["outputs"]["exit-code"] == "0", run["steps"][-1]["stderr"]
    sarif = json.loads((pr_checkout / run["outputs"]["sarif-file"]).read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.errata01.draft04.json"
    jsonschema.Draft4Validator(json.loads(schema_file.read_text(encoding="utf-8"))).validate(sarif)


def test_generated_gitlab_script_works_on_a_merge_request(pr_checkout, tmp_path):
    job = yaml.safe_load((pr_checkout / ".gitlab-ci.yml").read_text(encoding="utf-8"))["snspolicy"]
    env = {**_shim(tmp_path), **{k: str(v) for k, v in job["variables"].items()}, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    r = _bash("\n".join(job["script"]), pr_checkout, env)
    assert r.returncode == 1, r.stdout + r.stderr  # the job fails …
    assert "[post-approval] 5" in r.stdout
    report = pr_checkout / job["artifacts"]["reports"]["junit"]  # … and the reports are there for GitLab
    root = ET.fromstring(report.read_bytes())
    assert int(root.get("failures")) == 1
    quality = json.loads((pr_checkout / job["artifacts"]["reports"]["codequality"]).read_text(encoding="utf-8"))
    assert [q["check_name"] for q in quality] == ["post-approval"]
    assert all(q["fingerprint"] and q["location"]["path"] for q in quality)
    assert (pr_checkout / "snspolicy-review.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ----------------------------------------------------------------------------- VS Code


def _vscode(root: Path) -> tuple[dict, dict]:
    from snspolicy.io.jsonc import loads

    settings = loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    extensions = loads((root / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    return settings, extensions


LSP_SETTINGS = {
    "glspc.server.command": "snspolicy",
    "glspc.server.commandArguments": ["lsp"],
    "glspc.server.languageId": ["markdown", "yaml"],
    "glspc.server.initializationOptions": {"lang": "ja", "debounceMs": 300},
}


def test_vscode_files_start_the_language_server(new_repo):
    settings, extensions = _vscode(new_repo)
    assert {k: settings[k] for k in LSP_SETTINGS} == LSP_SETTINGS
    assert extensions["recommendations"] == ["redhat.vscode-yaml", "zsol.vscode-glspc"]
    from snspolicy.cli import COMMANDS

    assert settings["glspc.server.commandArguments"][0] in COMMANDS  # `snspolicy lsp` exists


def test_init_vscode_adds_to_existing_files_and_keeps_their_content(tmp_path):
    root = tmp_path / "existing"
    (root / ".vscode").mkdir(parents=True)
    settings_text = '{\n    // 課の設定\n    "editor.fontSize": 16,\n    "glspc.server.command": "/opt/sns/bin/snspolicy",\n}\n'
    (root / ".vscode" / "settings.json").write_text(settings_text, encoding="utf-8")
    (root / ".vscode" / "extensions.json").write_text('{"recommendations": ["ms-ceintl.vscode-language-pack-ja"]}\n',
                                                       encoding="utf-8")
    (root / "memo.txt").write_text("メモ\n", encoding="utf-8")
    r = run_cli("init", "--vscode", str(root))
    assert r.returncode == 0, r.stderr
    text = (root / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert text.startswith('{\n    // 課の設定\n    "editor.fontSize": 16,\n')  # comments and order kept
    settings, extensions = _vscode(root)
    assert settings["glspc.server.command"] == "/opt/sns/bin/snspolicy"  # the user's own value wins
    assert {k: settings[k] for k in LSP_SETTINGS if k != "glspc.server.command"} == \
        {k: v for k, v in LSP_SETTINGS.items() if k != "glspc.server.command"}
    assert "yaml.schemas" not in settings  # no schema copies here: no entries pointing at nothing
    assert extensions["recommendations"] == ["ms-ceintl.vscode-language-pack-ja", "redhat.vscode-yaml", "zsol.vscode-glspc"]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == \
        [".vscode/extensions.json", ".vscode/settings.json", "memo.txt"]  # nothing else written
    before = {p: p.read_bytes() for p in (root / ".vscode").iterdir()}
    again = run_cli("init", "--vscode", str(root))
    assert again.returncode == 0 and again.stdout == ""
    assert {p: p.read_bytes() for p in (root / ".vscode").iterdir()} == before  # idempotent


def test_init_vscode_refuses_a_broken_file_and_writes_nothing(tmp_path):
    root = tmp_path / "broken"
    (root / ".vscode").mkdir(parents=True)
    (root / ".vscode" / "extensions.json").write_text('{"recommendations": [\n', encoding="utf-8")
    r = run_cli("init", "--vscode", str(root))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith(".vscode/extensions.json:2:")
    assert (root / ".vscode" / "extensions.json").read_text(encoding="utf-8") == '{"recommendations": [\n'
    assert not (root / ".vscode" / "settings.json").exists()  # all or nothing


def test_full_init_merges_into_an_existing_vscode_folder(tmp_path):
    root = tmp_path / "with-vscode"
    (root / ".vscode").mkdir(parents=True)
    (root / ".vscode" / "settings.json").write_text('{"editor.wordWrap": "on"}\n', encoding="utf-8")
    r = run_cli("init", str(root), "--today", TODAY)
    assert r.returncode == 0, r.stderr  # not a conflict: the file is added to
    settings, _ = _vscode(root)
    assert settings["editor.wordWrap"] == "on" and settings["glspc.server.command"] == "snspolicy"
    assert "yaml.schemas" in settings


def test_unknown_policy_is_refused_before_writing(tmp_path):
    r = run_cli("init", str(tmp_path / "p"), "--policy", "nowhere/2099-01-01")
    assert r.returncode == 2 and "nowhere/2099-01-01" in r.stderr
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("rel,marker", [(".github/workflows/snspolicy.yml", "jobs:"), (".gitlab-ci.yml", "snspolicy:\n  image:")])
def test_docs_show_the_generated_ci_files(new_repo, rel, marker):
    """docs/integrations.md shows what init writes (same YAML, the version and the action's ref aside)."""
    doc = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL) if marker in b]
    assert blocks, f"docs/integrations.md shows no {rel}"

    def normal(text: str) -> str:
        return text.replace(__version__, "X.Y.Z").replace("0.1.0", "X.Y.Z")

    generated = yaml.safe_load(normal((new_repo / rel).read_text(encoding="utf-8")))
    assert yaml.safe_load(normal(blocks[0])) == generated
