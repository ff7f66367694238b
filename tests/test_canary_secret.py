"""4(3) canary: a secret planted in an account file, a post and a random text file is
reported by secret-in-repo, yet its full value never reaches stdout, stderr or any
file snspolicy writes — in every lint format, with ``-o``, and in ``registry export``
(csv, xlsx, markdown) and ``registry check``.

The canary is assembled at run time so that this file does not contain it.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import WITHOUT_CACHE, run_cli, write

CANARY = "gh" + "p_" + "C4nAry7Qz" + "Wx2Lm9Kd4Rt6Vb1Np8Hs3Jf5gT0"  # 'ghp_' + 36 alphanumerics
assert len(CANARY) == 40
LINT_FORMATS = ["text", "json", "sarif", "github", "markdown", "junit"]
REGISTRY_FORMATS = {"csv": "csv", "xlsx": "xlsx", "markdown": "md"}


def _contains(data: bytes, needle: str) -> bool:
    """True when ``needle`` occurs in ``data`` or, for a ZIP (xlsx), in any of its members."""
    if needle.encode("utf-8") in data:
        return True
    for enc in ("utf-16-le", "cp932"):
        if needle.encode(enc) in data:
            return True
    if data[:2] == b"PK":
        import io

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(needle.encode("utf-8") in z.read(n) for n in z.namelist())
    return False


@pytest.fixture(scope="module")
def canary_repo(tmp_path_factory) -> Path:
    import shutil

    from conftest import CLEAN

    root = tmp_path_factory.mktemp("canary") / "repo"
    shutil.copytree(CLEAN, root, symlinks=True, ignore=WITHOUT_CACHE)
    acc = root / "accounts" / "ube-city-x.yaml"
    text = acc.read_text(encoding="utf-8")
    text = text.replace("  reviewed_on:", f"  # 引き継ぎ用 token: {CANARY}\n  reviewed_on:", 1)
    # also inside a value that the 一覧表 exports (利用目的)
    text = text.replace("purpose: ", f"purpose: 連携キー {CANARY} ", 1)
    acc.write_text(text, encoding="utf-8")
    post = next((root / "posts" / "ube-city-x").rglob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + f"\n\n（下書きメモ: {CANARY}）\n", encoding="utf-8")
    write(root, "notes/handover.txt", f"引き継ぎ事項\nAPI: {CANARY}\n")
    return root


def _assert_clean(result, *files: Path) -> None:
    assert CANARY not in result.stdout, "canary in stdout"
    assert CANARY not in result.stderr, "canary in stderr"
    for f in files:
        assert f.is_file(), f
        assert not _contains(f.read_bytes(), CANARY), f"canary in {f.name}"


def test_canary_is_reported_in_all_three_places(canary_repo):
    r = run_cli("lint", "-f", "json", str(canary_repo))
    assert r.returncode == 1, r.stderr
    findings = json.loads(r.stdout)
    where = {f["path"] for f in findings if f["rule"] == "secret-in-repo"}
    post = next((canary_repo / "posts" / "ube-city-x").rglob("*.md")).relative_to(canary_repo).as_posix()
    assert {"accounts/ube-city-x.yaml", post, "notes/handover.txt"} <= where
    assert all(f["clause"] == "4(3)" for f in findings if f["rule"] == "secret-in-repo")
    assert any("ghp_****" in f["message"] for f in findings if f["rule"] == "secret-in-repo")
    assert CANARY not in r.stdout and CANARY not in r.stderr


@pytest.mark.parametrize("fmt", LINT_FORMATS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_lint_never_prints_the_canary(canary_repo, fmt, lang):
    r = run_cli("lint", "-f", fmt, "--lang", lang, str(canary_repo))
    assert r.returncode == 1
    assert "secret-in-repo" in r.stdout
    _assert_clean(r)


@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_lint_output_file_never_holds_the_canary(canary_repo, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    r = run_cli("lint", "-f", fmt, "-o", str(out), str(canary_repo))
    assert r.returncode == 1
    assert "secret-in-repo" in out.read_text(encoding="utf-8")
    _assert_clean(r, out)


@pytest.mark.parametrize("fmt", list(REGISTRY_FORMATS))
def test_registry_export_never_holds_the_canary(canary_repo, tmp_path, fmt):
    out = tmp_path / f"ichiran.{REGISTRY_FORMATS[fmt]}"
    r = run_cli("registry", "export", "-f", fmt, "-o", str(out), str(canary_repo))
    assert r.returncode == 0, r.stderr
    _assert_clean(r, out)
    assert "伏せ字" in r.stderr  # the user is told that something was masked
    if fmt != "xlsx":
        r2 = run_cli("registry", "export", "-f", fmt, str(canary_repo))
        assert r2.returncode == 0 and r2.stdout
        _assert_clean(r2)


def test_registry_export_cp932_csv_never_holds_the_canary(canary_repo, tmp_path):
    out = tmp_path / "ichiran-sjis.csv"
    r = run_cli("registry", "export", "--encoding", "cp932", "-o", str(out), str(canary_repo))
    assert r.returncode == 0, r.stderr
    _assert_clean(r, out)


def test_registry_check_and_lint_never_echo_a_canary_from_a_committed_registry(canary_repo, tmp_path):
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(canary_repo, root, symlinks=True)
    reg = root / "ichiran.csv"
    assert run_cli("registry", "export", "-o", str(reg), str(root)).returncode == 0
    # someone pastes the canary into a cell of the committed 一覧表 (its 備考 column)
    text = reg.read_bytes().decode("utf-8-sig").splitlines()
    text[1] = text[1] + f" {CANARY}"
    reg.write_bytes(("\r\n".join(text) + "\r\n").encode("utf-8-sig"))
    r = run_cli("registry", "check", str(reg), str(root))
    assert r.returncode == 1
    _assert_clean(r)
    (root / "snspolicy.yaml").write_text(re.sub(r"(?m)^registry:.*\n", "", (root / "snspolicy.yaml").read_text(encoding="utf-8")) + "registry: ichiran.csv\n",
                                         encoding="utf-8")
    for fmt in LINT_FORMATS:
        r = run_cli("lint", "-f", fmt, str(root))
        assert "registry-stale" in r.stdout
        _assert_clean(r)
