"""Item: a rule whose library is missing is exit 2 naming what to install (never a warning and
exit 0), and the documented install has every library the bundled policy needs.

The missing module is simulated in a subprocess by a ``sys.meta_path`` finder that refuses it,
as an environment installed without it would.
"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from .helpers import ROOT, Box, cli, no_traceback

BLOCK = """
import sys
class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _Missing())
"""


@pytest.mark.parametrize(("blocked", "package"), [
    ({"phonenumbers"}, "phonenumbers"),
    ({"sudachipy"}, "sudachipy"),
    ({"regex"}, "regex"),
])
def test_missing_library_is_exit_2_naming_the_package(box: Box, blocked: set[str], package: str) -> None:
    proc = cli("lint", str(box.repo), pre=BLOCK.format(blocked=blocked))
    no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    # located at the rule's definition in the (bundled, installed) policy
    m = re.search(r"^\S*policy/ube/2025-04-01/rules/text\.yaml:\d+:\d+: error \[internal-error\] (.*)$", proc.stdout, re.M)
    assert m, proc.stdout
    assert re.search(rf"pip install --upgrade [^」]*\b{package}\b", m.group(1)), m.group(1)


def test_missing_library_in_english_names_the_module(box: Box) -> None:
    proc = cli("lint", str(box.repo), "--lang", "en", "-f", "json", pre=BLOCK.format(blocked={"phonenumbers"}))
    assert proc.returncode == 2
    assert "phonenumbers" in proc.stdout and "pip install" in proc.stdout and "pii-phone" in proc.stdout


def test_rules_that_do_not_need_it_run_when_its_rules_are_not_selected(box: Box) -> None:
    """Only the rules that will run need their libraries (must not fire)."""
    proc = cli("lint", str(box.repo), "--ignore", "pii-phone", pre=BLOCK.format(blocked={"phonenumbers"}))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_xlsx_registry_needs_openpyxl(box: Box) -> None:
    (box.repo / "registry.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (box.repo / "snspolicy.yaml").write_text("policy: ube/2025-04-01\nregistry: registry.xlsx\n", encoding="utf-8")
    proc = cli("lint", str(box.repo), pre=BLOCK.format(blocked={"openpyxl"}))
    no_traceback(proc)
    assert proc.returncode == 2
    assert "openpyxl" in proc.stdout


def test_default_install_has_every_library_of_the_bundled_policy() -> None:
    """pip install snspolicy (no extras) installs what the rules need; the hooks add nothing,
    so the pre-commit environment is CI's."""
    from snspolicy.engine.libraries import RULE_LIBRARIES, XLSX

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = {re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    needed = {lib.package.lower() for libs in RULE_LIBRARIES.values() for lib in libs} | {XLSX.package.lower()}
    assert needed <= deps, needed - deps
    assert {"openpyxl", "zxcvbn"} <= deps
    for extra in ("text", "images", "office"):  # kept as aliases
        assert project["optional-dependencies"][extra]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert all(not h.get("additional_dependencies") for h in hooks)
