"""secret-in-repo (4(3)): every text file of the repo is scanned; values are only ever shown masked.

Fake secrets are assembled at run time from pieces so that this file holds no
complete token itself.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import string
from pathlib import Path

import pytest
from conftest import write

from snspolicy.app import setup as runner
from snspolicy.app.lint import lint_setup

TODAY = dt.date(2025, 6, 1)
_rng = random.Random(20250601)


def _rand(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


GH = "gh" + "p_" + _rand(36)
AWS = "AK" + "IA" + "".join(_rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
LINE_TOKEN = _rand(120, string.ascii_letters + string.digits + "+/") + "="
PASSWORD = "Ube" + "-Koho-" + "x9Q2r"
PEM = "-----BEGIN " + "PRIVATE KEY-----\n" + _rand(64, string.ascii_letters + string.digits + "+/") + "\n-----END " + "PRIVATE KEY-----\n"


def lint(root: Path, paths: list[Path] | None = None, lang: str = "ja"):
    setup = runner.prepare(paths or [root])
    _repo, result = lint_setup(setup, lang=lang, today=TODAY, select=lambda s: s.id == "secret-in-repo")
    return [f for f in result.findings if f.rule == "secret-in-repo"]


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    return mini_repo


def _assert_masked(findings, *values: str) -> None:
    for f in findings:
        for v in values:
            assert v not in f.message and v not in f.fingerprint
        assert "****" in f.message


# --------------------------------------------------------------------------- must fire


@pytest.mark.parametrize("rel, content, needle, kind_word", [
    ("accounts/test-x.yaml", None, PASSWORD, "パスワード"),
    ("posts/test-x/test-post.md", None, GH, "github-token"),
    ("notes/memo.txt", f"引き継ぎメモ\nAWS のキー {AWS} を使う\n", AWS, "aws-access-key-id"),
    (".env", f"LINE_CHANNEL_ACCESS_TOKEN={LINE_TOKEN}\n", LINE_TOKEN[:30], ""),
    ("docs/setup.md", "接続先: https://koho:" + PASSWORD + "@ftp.example.jp/upload\n", PASSWORD, "URL"),
    ("keys/deploy.key.txt", PEM, "-----BEGIN", "秘密鍵"),  # reported at the header line
    ("docs/readme", f"token = \"{GH}\"\n", GH, ""),
])
def test_secret_fires_with_location_and_mask(repo, rel, content, needle, kind_word):
    if rel == "accounts/test-x.yaml":
        text = (repo / rel).read_text(encoding="utf-8").replace(
            "  reviewed_on: 2025-04-01", f"  reviewed_on: 2025-04-01\n  login_password: \"{PASSWORD}\"")
        write(repo, rel, text)
    elif rel.startswith("posts/"):
        write(repo, rel, (repo / rel).read_text(encoding="utf-8") + f"\n（メモ: トークンは {GH} ）\n")
    else:
        write(repo, rel, content)
    found = [f for f in lint(repo) if f.path == rel]
    assert found, lint(repo)
    f = found[0]
    assert f.clause == "4(3)" and str(f.severity) == "error"
    text = (repo / rel).read_text(encoding="utf-8")
    line = text.splitlines()[f.line - 1]
    assert needle[:8] in line[f.column - 1:]  # the column points at the value
    assert kind_word in f.message
    full = next(v for v in (PASSWORD, GH, AWS, LINE_TOKEN, PEM) if needle[:8] in v)
    _assert_masked(found, full if full != PEM else PEM.splitlines()[1][:12])


def test_english_message_is_masked_too(repo):
    write(repo, "notes/memo.txt", f"key {AWS}\n")
    found = lint(repo, lang="en")
    assert found and "known token format" in found[0].message
    _assert_masked(found, AWS)


def test_every_occurrence_is_reported_with_distinct_fingerprints(repo):
    write(repo, "notes/a.txt", f"{GH}\n{GH}\n")
    found = lint(repo)
    assert [f.line for f in found] == [1, 2]
    assert len({f.fingerprint for f in found}) == 2


# --------------------------------------------------------------------------- must not fire


@pytest.mark.parametrize("rel, content", [
    ("accounts/extra-notes.txt", "password: {min_length: 16, managed_by: password-manager, unique: true}\n"),
    ("docs/hashes.md", "commit 3f6c2a9e1b0d4c5e8f7a6b5c4d3e2f1a0b9c8d7e と 550e8400-e29b-41d4-a716-446655440000\n"),
    ("docs/howto.md", "パスワード: パスワード管理ツールに保管（ここには書かない）\npassword: ${SNS_PASSWORD}\n"),
    ("docs/allowed.md", f"テスト用の見本 {GH}  <!-- snspolicy: allow-secret -->\n"),
    ("docs/words.md", "token_url: https://api.example.jp/oauth/token\nmin_length: 14\n"),
])
def test_no_false_alarm(repo, rel, content):
    write(repo, rel, content)
    assert lint(repo) == []


def test_media_and_binary_files_are_skipped(repo):
    write(repo, "media/2025/photo.jpg", b"\xff\xd8\xff\xe0" + GH.encode() + b"\x00" * 10)
    write(repo, "media/2025/photo-without-extension", b"\x89PNG\x00\x00" + GH.encode())
    write(repo, "media/2025/clip.mp4", GH.encode())  # by extension, even without a NUL byte
    assert lint(repo) == []


def test_git_folder_and_excluded_paths_are_skipped(repo):
    write(repo, ".git/config", f"[remote]\n  url = https://user:{PASSWORD}@example.jp/r.git\n  token = {GH}\n")
    write(repo, "vendor/lib.txt", f"{GH}\n")
    write(repo, "snspolicy.yaml", "policy: ube/2025-04-01\nexclude: ['vendor/*']\n")
    assert lint(repo) == []


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlink_out_of_the_repo_is_not_followed(repo, tmp_path):
    outside = tmp_path / "home-secret.txt"
    outside.write_text(f"{GH}\n", encoding="utf-8")
    (repo / "docs").mkdir(exist_ok=True)
    os.symlink(outside, repo / "docs" / "link.txt")
    assert lint(repo) == []


def test_only_the_selected_files_are_scanned(repo):
    write(repo, "notes/a.txt", f"{GH}\n")
    write(repo, "notes/b.txt", f"{AWS}\n")
    found = lint(repo, [repo / "notes" / "b.txt"])
    assert [f.path for f in found] == ["notes/b.txt"]


def test_size_limit_is_respected(repo):
    write(repo, "snspolicy.yaml", "policy: ube/2025-04-01\nrules:\n  secret-in-repo:\n    params: {max_file_bytes: 1000}\n"
                                  "    reason: テスト\n")
    write(repo, "notes/big.txt", f"{AWS}\n" + "あ" * 2000 + f"\n{GH}\n")
    found = lint(repo)
    assert [f.line for f in found] == [1]  # the token beyond the limit is not read


def test_shift_jis_text_file_is_scanned(repo):
    write(repo, "notes/sjis.txt", ("引き継ぎ: " + AWS + "\n").encode("cp932"))
    found = lint(repo)
    assert [f.path for f in found] == ["notes/sjis.txt"]
