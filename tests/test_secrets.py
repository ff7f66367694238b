"""Tests for snspolicy.domain.secretscan (clause 4(3): no secret anywhere in the repo).

Fake secrets are assembled at run time from pieces, so that this file itself
contains no complete token (and no push-protection scanner trips over it).
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snspolicy.core.mask import mask_secret
from snspolicy.domain.secretscan import SecretMatch, SecretParams, is_secret_key, scan_file, scan_text, shannon_entropy

_rng = random.Random(4321)


def _rand(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


CANARY = "gh" + "p_" + "Zq7Xw2Lm9Kd4Rt6Vb1Np8Hs3Jf5Gc0Ya1Ue7T"  # 'ghp_' + 36 alphanumerics
LINE_TOKEN = _rand(150, string.ascii_letters + string.digits + "+/") + "="  # like a LINE channel access token
AWS_KEY = "AK" + "IA" + "Z5XQ7RPLM3NO4KJD"
SLACK = "xo" + "xb-" + "1234567890-1234567890123-" + _rand(24)
GOOGLE = "AI" + "za" + _rand(35, string.ascii_letters + string.digits + "_-")
STRIPE = "sk" + "_live_" + _rand(24)
JWT = (
    "ey"
    + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    + "ey"
    + "JzdWIiOiIxMjM0NTY3ODkwIn0."
    + _rand(43, string.ascii_letters + string.digits + "_-")
)
PEM = (
    "-----BEGIN "
    + "RSA PRIVATE KEY-----\n"
    + _rand(64, string.ascii_letters + string.digits + "+/")
    + "\n"
    + _rand(64)
    + "\n-----END RSA PRIVATE KEY-----\n"
)
FB = "EA" + "AG" + _rand(150)
X_BEARER = "A" * 22 + _rand(12) + "%3D" + _rand(40)

# (path, text, expected kinds in order)
POSITIVES: list[tuple[str, str, list[str]]] = [
    ("accounts/a.yaml", f"id: a\ntoken: {CANARY}\n", ["github-token"]),
    ("notes.md", f"LINEのトークン {LINE_TOKEN} を設定\n", ["high-entropy"]),
    ("accounts/a.yaml", f"channel_access_token: {LINE_TOKEN}\n", ["keyed"]),
    (".env", f"AWS_ACCESS_KEY_ID={AWS_KEY}\n", ["aws-access-key-id"]),
    ("config.json", f'{{"slack": "{SLACK}"}}\n', ["slack-token"]),
    ("x.yaml", f"maps_key: {GOOGLE}\n", ["google-api-key"]),
    ("x.ini", f"[pay]\nkey = {STRIPE}\n", ["stripe-key"]),
    ("posts/p.md", f"---\nid: p\n---\nデバッグ用 {JWT}\n", ["jwt"]),
    ("keys/id.txt", PEM, ["private-key"]),
    ("x.json", '{"key": "' + PEM.replace("\n", "\\n") + '"}', ["private-key"]),
    ("x.yaml", f"page_access_token: {FB}\n", ["facebook-token"]),
    ("x.yaml", f"bearer: {X_BEARER}\n", ["x-bearer-token"]),
    ("accounts/a.yaml", 'security:\n  password: "Tr0ub4dor&3"\n', ["keyed"]),
    ("accounts/a.yaml", "security:\n  password: Tr0ub4dor&3  # 仮\n", ["keyed"]),
    ("accounts/a.yaml", "passphrase: correct horse battery staple\n", ["keyed"]),
    ("accounts/a.yaml", "パスワード: Ube2025!abc\n", ["keyed"]),
    ("accounts/a.yaml", "暗証番号: 4321\n", ["keyed"]),
    ("posts/p.md", "---\nid: p\n---\nログイン用パスワード：Ube2025!abc です\n", ["keyed"]),
    ("docs/memo.md", "管理画面 https://admin:S3cr3tPassw0rd@cms.example.jp/login\n", ["url-credentials"]),
    ("docs/memo.md", "API https://api.example.jp/v1?access_token=Zx9Yw8Vu7Ts6Rq5Po4Nm3 を使う\n", ["keyed"]),
    (".env", "DB_PASSWORD=hunter2hunter2\nexport API_KEY=0a1b2c3d4e5f60718293\n", ["keyed", "keyed"]),
    ("settings.json", '{"clientSecret": "q8W3e5R7t9Y1u3I5o7P9", "apiKey": "k3Y9mZ2xQ7wB5nR8"}', ["keyed", "keyed"]),
    ("accounts/a.yaml", "profile:\n  line:\n    channel_secret: 0123456789abcdef0123456789abcdef\n", ["keyed"]),
]

NEGATIVES: list[tuple[str, str]] = [
    (
        "accounts/ube-city-x.yaml",
        """# yaml-language-server: $schema=../schemas/account.schema.json
id: ube-city-x
platform: x
handle: "@ube_city"
url: https://x.com/ube_city
purpose: 市政情報の発信
departments: [広報広聴課]
manager: {name: 山田 太郎, employee_id: "100001", title: 広報広聴課長}
deputies: []
approval: {approved_by: "100001", approved_on: 2025-04-01}
operating_rules: docs/operating-rules/ube-city-x.md
holders:
  - {name: 佐藤 花子, employee_id: "200002", department: 広報広聴課, assigned_on: 2025-04-01}
  - {name: 鈴木 一郎, employee_id: "200003", department: 広報広聴課, assigned_on: 2025-04-01}
holders_exception: null
security:
  two_factor: {enabled: true, method: totp}
  password:
    min_length: 14
    managed_by: password-manager
    unique: true
    last_changed_on: 2025-04-01
  reviewed_on: 2025-04-01
registry_submitted_on: 2025-04-02
profile:
  disclaimer_url: https://www.city.ube.yamaguchi.jp/shisei/koho/sns/disclaimer.html
status: active
""",
    ),
    ("accounts/flow.yaml", "security: {password: {min_length: 14, managed_by: password-manager, unique: true}}\n"),
    (
        "accounts/placeholders.yaml",
        """password: ''
token: '***'
secret: "<redacted>"
api_key: CHANGE_ME
client_secret: ${CLIENT_SECRET}
db_password: "{{ vault_db_password }}"
access_token: xxxxxxxxxxxxxxxx
password: null
password: ~
secret: false
token: your_token_here
pass: changeme
password: 1Password
private_key: ./keys/id_ed25519.pem
password_file: /run/secrets/sns
password: op://広報/ube-city-x/password
パスワード: パスワード管理ツールで管理（平文で書かない）
暗証番号: 別途管理
password_changed: 2025-04-01
token_url: https://api.x.com/oauth2/token
input_token: position
""",
    ),
    (
        "incidents/2025-05-01-x.yaml",
        """account: ube-city-x
detected_at: 2025-05-01T08:30:00+09:00
password: changed
password_reset: {password: 2025-05-01T08:45:00+09:00}
password_changed_at: 2025-05-01T08:45:00+09:00
steps:
  password: {at: 2025-05-01T08:45:00+09:00}
  platform_notified: {at: 2025-05-01T09:00:00+09:00}
  reports: {reason: 該当なし}
""",
    ),
    (
        "posts/2025/2025-04-01-sakura.md",
        """---
id: 2025-04-01-sakura
account: ube-city-x
status: published
publish_at: 2025-04-01T09:00:00+09:00
category: tourism
author: {employee_id: "200002"}
approval: {approved_by: "100001", approved_on: 2025-03-31}
media:
  - path: media/2025/IMG_20250401_093012_Sakura.jpg
    alt: 真締川沿いの桜
    rights: {source: own}
    people: none
---
真締川沿いの桜が見頃を迎えています🌸 4月5日（土）・6日（日）は「ときわ公園桜まつり」を開催します。
詳しくは市ホームページ https://www.city.ube.yamaguchi.jp/kanko/event/sakura2025/index.html をご覧ください。
問い合わせ：観光政策課 0836-34-8353
#宇部市 #ときわ公園 #桜まつり2025 #UbeSakuraFestival2025
""",
    ),
    (
        "posts/2025/2025-04-02-info.md",
        """---
id: 2025-04-02-info
account: ube-city-x
---
【お知らせ】SNSアカウントの乗っ取りにご注意ください。パスワードは定期的に変更し、二段階認証を設定しましょう。
パスワードの使い回しはやめましょう。パスワード：英数字記号を組み合わせた14文字以上
動画はこちら https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=AbC123dEf456GhI7Jk
共有フォルダ https://drive.google.com/file/d/1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ/view?usp=sharing
Instagram https://www.instagram.com/p/C5xYz12AbCd/?igsh=MWd0eXJ5bWx3cWZ4Ng==
地図 https://maps.app.goo.gl/Ab12Cd34Ef56Gh78
""",
    ),
    (
        "docs/release.md",
        """commit 3f2a9c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f708
image sha256: 9b74c9897bac770ffc029102a200c5de4b3b2a0c6c5b0e3c2d1e0f9a8b7c6d5e
id 123e4567-e89b-12d3-a456-426614174000
<script src="x.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>
![図](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)
AWS docs use AKIAIOSFODNN7EXAMPLE as an example.
The file starts with '-----BEGIN RSA PRIVATE KEY-----' and ends with the END line.
Password: see the password manager.
""",
    ),
    ("policy/rules.yaml", "description: checks the rules declared in security.password: minimum length and so on\n"),
    (
        "press/2025-04-10-budget.yaml",
        """id: 2025-04-10-budget
title: 令和7年度当初予算案の概要
embargo_until: 2025-04-10T14:00:00+09:00
keywords: [当初予算案, 予算案の概要]
""",
    ),
    ("staff/roster.csv", "employee_id,name,department,status\n100001,山田 太郎,広報広聴課,active\n200002,佐藤 花子,広報広聴課,active\n"),
    ("posts/2025/long.md", "---\nid: long\n---\n" + "宇部市は山口県の南西部に位置し、瀬戸内海に面した緑豊かなまちです。" * 40 + "\n"),
    ("posts/2025/ids.md", "---\nid: ids\n---\n投稿ID 1777777777777777777 と 2025-04-01-sakura-festival-at-tokiwa-park-2025\n"),
]


@pytest.mark.parametrize("path,text,kinds", POSITIVES)
def test_positive_cases_are_found(path: str, text: str, kinds: list[str]) -> None:
    found = scan_text(text, path)
    assert [m.kind for m in found] == kinds


@pytest.mark.parametrize("path,text", NEGATIVES)
def test_negative_cases_are_quiet(path: str, text: str) -> None:
    assert scan_text(text, path) == []


def test_canary_never_leaks() -> None:
    text = f"# account\nid: x\nnotes: |\n  the token is {CANARY} (remove me)\n"
    found = scan_text(text, "accounts/x.yaml")
    assert len(found) == 1
    m = found[0]
    assert isinstance(m, SecretMatch)
    assert m.kind == "github-token"
    line = text.split("\n")[m.line - 1]
    assert line[m.column - 1 : m.end_column - 1] == CANARY  # the span is exact
    for rendered in (repr(m), str(m), m.masked, repr(found), str(vars(m))):
        assert CANARY not in rendered
        assert CANARY[4:] not in rendered
        assert CANARY[4:12] not in rendered  # not even a chunk after the prefix
    assert m.masked.startswith("ghp_") and m.masked.endswith("****")
    assert len(m.masked) <= 4 + 4


def test_columns_and_lines() -> None:
    text = 'a: 1\n  password: "Tr0ub4dor&3"\r\n'
    (m,) = scan_text(text, "x.yaml")
    assert (m.line, m.column, m.end_column) == (2, 14, 25)


def test_column_counts_code_points_in_japanese_lines() -> None:
    text = "メモ：パスワード：Ube2025!abc\n"
    (m,) = scan_text(text, "posts/p.md")
    assert text[m.column - 1 : m.end_column - 1] == "Ube2025!abc"


def test_mask_never_shows_more_than_four_characters() -> None:
    assert mask_secret("abc") == "****"
    assert mask_secret("Tr0ub4dor&3") == "Tr****"
    assert mask_secret(CANARY) == "ghp_****"
    assert mask_secret("") == "****"


def test_mapping_and_managed_by_are_not_secrets() -> None:
    assert scan_text("password:\n  min_length: 14\n  managed_by: password-manager\n", "a.yaml") == []


def test_key_names() -> None:
    for key in (
        "password",
        "db_password",
        "PASSWORD",
        "apiKey",
        "api_key",
        "client_secret",
        "clientSecret",
        "access_token",
        "private_key",
        "pwd",
        "ログインパスワード",
        "暗証番号",
        "パスワード（X）",
    ):
        assert is_secret_key(key), key
    for key in (
        "min_length",
        "managed_by",
        "password_policy",
        "token_url",
        "last_changed_on",
        "secretary",
        "tokenizer",
        "passport",
        "bypass_cache",
        "compass",
    ):
        assert not is_secret_key(key), key


_KEY_PARTS = ["pass", "word", "db", "api", "key", "Key", "KEY", "client", "Secret", "sec", "ret", "access", "token",
              "pwd", "pin", "cred", "ential", "ログイン", "パスワード", "暗証番号", "x", "_", "-", ".", "\u212a", "（X）"]


@given(st.lists(st.sampled_from(_KEY_PARTS), min_size=1, max_size=5), st.text(max_size=20))
@settings(max_examples=600, deadline=None)
def test_the_text_pre_screen_never_hides_a_secret_key(parts: list[str], around: str) -> None:
    """The scan skips looking for ``key: value`` secrets in a text where no key can name one
    (most posts): every key that names a secret, whatever its case, separators or neighbours
    (the Kelvin sign lowers to k), passes the pre-screen."""
    from snspolicy.domain.secretscan import may_name_a_secret

    key = "".join(parts)
    if is_secret_key(key):
        assert may_name_a_secret(f"{around}{key}: {CANARY}{around}"), key


def test_a_text_with_no_secret_key_finds_the_same_as_before_the_pre_screen() -> None:
    from snspolicy.domain import secretscan

    texts = ["id: p1\naccount: ube-city-x\n---\n本文 https://example.jp/a?b=c\n", f"note: {CANARY}\n",
             f"token: {LINE_TOKEN}\nurl: https://u:{_rand(12)}@example.jp/\n", "パスワード: Tr0ub4dor&3xyz\n"]
    for text in texts:
        screened = scan_text(text, "a.yaml")
        lines = text.split("\n")
        unscreened = [m for n, line in enumerate(lines, 1) for h in secretscan._line_hits(line, True, SecretParams(), False, [])[0]
                      for m in [SecretMatch(n, h.start + 1, h.end + 1, h.kind, h.masked)]]
        assert [m for m in screened if m.kind == "keyed"] == [m for m in unscreened if m.kind == "keyed"], text


def _every_line_scanned(text: str, path: str) -> list[SecretMatch]:
    """scan_text as it was before it skipped the lines where nothing can be a secret: every line
    through _line_hits (markers and private-key bodies handled as there)."""
    from snspolicy.domain import secretscan

    p = SecretParams()
    markers = tuple(m.lower() for m in p.allow_markers)
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    tokens = secretscan._token_hits(text, starts, lines)
    keyed = secretscan.may_name_a_secret(text)
    out, in_pem = [], False
    for n, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if any(mk in line.lower() for mk in markers):
            continue
        if in_pem:
            in_pem = not secretscan._PEM_END.search(line)
            continue
        hits, in_pem = secretscan._line_hits(line, secretscan._is_config(path), p, in_pem, tokens.get(n, []), True, keyed)
        out.extend(SecretMatch(n, h.start + 1, h.end + 1, h.kind, h.masked) for h in hits)
    return out


_LINE_PARTS = st.sampled_from([
    "password: ", "パスワード：", "token=", "api_key = ", "https://user:", "@example.jp/", "://", CANARY, LINE_TOKEN,
    "-----BEGIN RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA7x" * 3, "-----END RSA PRIVATE KEY-----",
    "snspolicy: allow-secret", "お知らせです。", "ube-city-x", "\n", "\r\n", " ", "abc", "0836-31-1111",
    "https://taro:Hanako2024@ube.example.jp/x",
])


@given(st.lists(_LINE_PARTS, max_size=14).map("".join), st.sampled_from(["posts/a.md", "accounts/a.yaml", ".env"]))
@settings(max_examples=400, deadline=None)
def test_skipping_quiet_lines_never_changes_what_is_found(text: str, path: str) -> None:
    assert scan_text(text, path) == _every_line_scanned(text, path)


def test_allow_marker_skips_line() -> None:
    text = f"token: {CANARY}  # snspolicy: allow-secret (test fixture)\n"
    assert scan_text(text, "x.yaml") == []


def test_private_key_body_not_reported_twice() -> None:
    found = scan_text(PEM, "k.pem")
    assert [m.kind for m in found] == ["private-key"]
    assert found[0].line == 1


def test_entropy_threshold_is_a_parameter() -> None:
    text = f"値 {LINE_TOKEN}\n"
    assert scan_text(text, "n.md", {"entropy_threshold_long": 7.0}) == []
    assert scan_text(text, "n.md", {"entropy_threshold_long": "bad", "unknown": 1})  # bad params ignored


def test_random_tokens_detected_by_entropy_mostly() -> None:
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "+/"
    hits = sum(bool(scan_text("x " + "".join(rng.choice(alphabet) for _ in range(40)), "n.md")) for _ in range(300))
    assert hits >= 290


def test_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert abs(shannon_entropy("abcd") - 2.0) < 1e-9


@pytest.mark.parametrize("text", ["", "\n\n", "\0\0", "🌸" * 1000, "a" * 100_000, "password:" * 1000, "=" * 5000])
def test_odd_input_never_raises(text: str) -> None:
    assert isinstance(scan_text(text, "x.md"), list)


def test_non_string_input() -> None:
    assert scan_text(None, "x") == []  # type: ignore[arg-type]


def test_scan_file_encodings_and_binary(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.yaml"
    utf8.write_bytes(("\ufeffpassword: Tr0ub4dor&3\n").encode("utf-8"))
    assert [m.kind for m in scan_file(utf8)] == ["keyed"]
    sjis = tmp_path / "b.txt"
    sjis.write_bytes("メモ\nパスワード：Ube2025!abc\n".encode("cp932"))
    (m,) = scan_file(sjis)
    assert m.line == 2 and m.kind == "keyed"
    binary = tmp_path / "c.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0" + CANARY.encode())
    assert scan_file(binary) == []
    assert scan_file(tmp_path / "missing.yaml") == []


def test_scan_file_max_bytes(tmp_path: Path) -> None:
    f = tmp_path / "big.md"
    f.write_bytes(("あ" * 10 + "\n").encode() * 10 + f"token: {CANARY}\n".encode())
    assert scan_file(f, max_bytes=50) == []  # cut mid-character: still no crash, secret not reached
    assert [m.kind for m in scan_file(f, max_bytes=10_000)] == ["github-token"]


def test_params_object_and_defaults() -> None:
    p = SecretParams.from_mapping({"entropy_min_length": 30, "placeholders": ["sakura-pass1"]})
    assert p.entropy_min_length == 30
    assert scan_text("password: sakura-pass1\n", "a.yaml", p) == []
    assert scan_text("password: sakura-pass2\n", "a.yaml", p)


@given(st.lists(_LINE_PARTS, max_size=14).map("".join), st.sampled_from(["posts/a.md", "accounts/a.yaml"]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_the_text_read_at_load_finds_what_the_file_gives(text: str, path: str, bom: bool) -> None:
    """secret-in-repo scans a document read in this run in its loaded text (UTF-8, BOM dropped,
    CRLF as LF) instead of reading the file again: the same findings, at the same places."""
    from snspolicy.domain.secretscan import scan_bytes
    from snspolicy.io.textfile import decode_text

    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    assert scan_text(decode_text(data), path) == scan_bytes(data, path)


@pytest.mark.parametrize("path", ["accounts/a.yaml", "A.YML", ".env", ".env.local", "config/.env.production",
                                  "x.json", "notes.txt", "posts/a.md", "a.", ".yaml", "dir.yaml/readme", "", "a/b/",
                                  "settings.toml", "app.properties", "deep/dir/site.conf", "x.yaml.bak"])
def test_config_files_are_told_by_name_as_pathlib_would(path: str) -> None:
    from snspolicy.domain import secretscan

    p = Path(path)
    expected = p.suffix.lower() in secretscan._CONFIG_SUFFIXES or p.name.lower().startswith(".env")
    assert secretscan._is_config(path) == expected


def test_the_skipped_extension_is_the_one_splitext_finds() -> None:
    """``extension`` replaces ``os.path.splitext`` in the scan's loop: the same answer for every name."""
    import itertools
    import os

    from snspolicy.rules.secret_rules import extension

    parts = ["", ".", "..", "a", "A", "env", "tar", "gz", "PNG", "x.y", "/", "dir/", ".git/", "a.b/"]
    names = {"".join(p) for n in range(1, 5) for p in itertools.product(parts, repeat=n)}
    for name in sorted(names):
        assert extension(name) == os.path.splitext(name)[1].lower().lstrip("."), name
