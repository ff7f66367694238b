"""``snspolicy schema``: the bundled JSON Schemas for editors, and the modeline that points at them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

from snspolicy.commands.schema import KINDS, kind_of, modeline

MODELINE_PREFIX = "# yaml-language-server: $schema="


@pytest.mark.parametrize("kind", KINDS)
def test_prints_each_schema_verbatim(kind):
    r = run_cli("schema", kind)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["$schema"].startswith("https://json-schema.org/")
    assert r.stdout == (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_path_names_an_existing_file(kind):
    r = run_cli("schema", kind, "--path")
    assert r.returncode == 0
    p = Path(r.stdout.strip())
    assert p.is_file() and p.name == f"{kind}.schema.json"


@pytest.mark.parametrize("name,kind", [
    ("account", "account"), ("accounts", "account"), ("accounts/ube-city-x.yaml", "account"),
    ("posts/ube-city-x/2025/2025-04-07-a.md", "post"), ("press/2025-04-10-budget.yaml", "press"),
    ("incidents/x.yaml", "incident"), ("snspolicy.yaml", "config"), ("./snspolicy.yaml", "config"),
    ("policy/ube/2025-04-01/policy.yaml", "policy"), ("policy/ube/2025-04-01/rules/core.yaml", "rules"),
    ("policy/ube/2025-04-01/lexicons/defamation.yaml", "lexicon"), ("ACCOUNT", "account"),
    ("accounts\\ube-city-x.yaml", "account"),
])
def test_kind_of_names_and_paths(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["", "nope", "media/a.jpg", "README.md", "staff/roster.csv", "accountsx/a.yaml"])
def test_unknown_names(name):
    assert kind_of(name) is None


def test_unknown_kind_is_a_usage_error_without_traceback():
    r = run_cli("schema", "tweets")
    assert r.returncode == 2
    assert "tweets" in r.stderr and "account" in r.stderr and "Traceback" not in r.stderr


def test_listing_without_a_kind():
    r = run_cli("schema")
    assert r.returncode == 0
    assert [ln.split()[0] for ln in r.stdout.splitlines()] == list(KINDS)


@pytest.mark.parametrize("rel,expected", [
    ("snspolicy.yaml", "$schema=.snspolicy/schemas/config.schema.json"),
    ("accounts/a.yaml", "$schema=../.snspolicy/schemas/account.schema.json"),
    ("posts/acc/2025/x.md", "$schema=../../../.snspolicy/schemas/post.schema.json"),
])
def test_modeline_is_relative_to_the_file(rel, expected):
    kind = kind_of(rel)
    line = modeline(kind, rel)
    assert line == MODELINE_PREFIX + expected.split("=", 1)[1]
    r = run_cli("schema", rel, "--modeline")
    assert r.stdout.strip() == line


def test_modeline_resolves_to_the_copied_schema(tmp_path):
    """Resolve each modeline from its file's folder, as the YAML language server does."""
    r = run_cli("schema", "--copy-to", str(tmp_path / ".snspolicy" / "schemas"))
    assert r.returncode == 0, r.stderr
    for rel in ("snspolicy.yaml", "accounts/a.yaml", "posts/acc/2025/x.md", "press/p.yaml", "incidents/i.yaml"):
        kind = kind_of(rel)
        target = modeline(kind, rel).removeprefix(MODELINE_PREFIX)
        resolved = ((tmp_path / rel).parent / target).resolve()
        assert resolved.is_file(), rel
        assert json.loads(resolved.read_text(encoding="utf-8"))["$id"].endswith(f"/{kind}.schema.json")


def test_copy_to_and_check(tmp_path):
    dest = tmp_path / "schemas"
    r = run_cli("schema", "--copy-to", str(dest), "--check")
    assert r.returncode == 1  # nothing copied yet
    r = run_cli("schema", "--copy-to", str(dest))
    assert r.returncode == 0
    assert sorted(p.name for p in dest.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    assert run_cli("schema", "--copy-to", str(dest), "--check").returncode == 0
    (dest / "account.schema.json").write_text("{}", encoding="utf-8")
    r = run_cli("schema", "--copy-to", str(dest), "--check")
    assert r.returncode == 1 and "account.schema.json" in r.stdout
    # one kind only
    one = tmp_path / "one"
    assert run_cli("schema", "post", "--copy-to", str(one)).returncode == 0
    assert [p.name for p in one.iterdir()] == ["post.schema.json"]


def test_schemas_validate_the_clean_example():
    """The schemas an editor gets accept the clean example's files (no false red squiggles)."""
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    example = ROOT / "examples" / "ube-city-posts"

    class Loader(yaml.SafeLoader):  # dates stay strings, as snspolicy's loader keeps them
        pass

    Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    checked = 0
    for kind, pattern in (("account", "accounts/*.yaml"), ("press", "press/*.yaml"), ("incident", "incidents/*.yaml"),
                          ("config", "snspolicy.yaml")):
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for f in example.glob(pattern):
            data = yaml.load(f.read_text(encoding="utf-8"), Loader=Loader)
            errors = list(v.iter_errors(data))
            assert not errors, (f.name, [e.message for e in errors[:3]])
            checked += 1
    assert checked >= 5


def test_modelines_in_the_repository_point_at_the_right_schema():
    """Any `# yaml-language-server: $schema=` line in examples/ and policy/ resolves to the schema of that file's kind."""
    checked = 0
    for base in (ROOT / "examples", ROOT / "policy"):
        for f in sorted(base.rglob("*")):
            if f.suffix not in (".yaml", ".yml", ".md") or not f.is_file():
                continue
            head = f.read_text(encoding="utf-8", errors="replace").splitlines()[:2]
            line = next((ln for ln in head if ln.startswith(MODELINE_PREFIX)), None)
            if line is None:
                continue
            target = (f.parent / line[len(MODELINE_PREFIX):].strip()).resolve()
            assert target.is_file(), f"{f.relative_to(ROOT)}: {line}"
            kind = kind_of(f.relative_to(base).as_posix())
            if kind is not None:
                assert target.name == f"{kind}.schema.json", f"{f.relative_to(ROOT)}: {line}"
            checked += 1
    assert checked >= 5  # the policy fragments carry one
