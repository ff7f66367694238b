"""Tests for snspolicy.domain.holders_list.stale (clause 4(5) 一覧表): what the registry-stale rule
and ``snspolicy registry check`` share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from holders_list_samples import AS_OF, accounts

from snspolicy.domain.holders_list import compare, export, stale
from snspolicy.domain.holders_list.compare import Difference

TOKEN = "gh" + "p_" + "Zq7Xw2Lm9Kd4Rt6Vb1Np8Hs3Jf5Gc0Ya1Ue7T"  # a GitHub token's shape; not a real one


@dataclass
class _Doc:
    path: str
    data: Any


class _Repo:
    def __init__(self, docs: list[_Doc]) -> None:
        self.docs = docs

    def by_kind(self, kind: str) -> list[_Doc]:
        return self.docs if kind == "account" else []


def test_registry_accounts_sorted_by_path_mappings_only() -> None:
    repo = _Repo([_Doc("accounts/b.yaml", {"id": "b"}), _Doc("accounts/a.yaml", {"id": "a"}),
                  _Doc("accounts/c.yaml", None), _Doc("accounts/d.yaml", ["not", "a", "mapping"])])
    assert stale.registry_accounts(repo) == [{"id": "a"}, {"id": "b"}]  # type: ignore[arg-type]


def test_compare_registry_on_a_file_in_the_other_language(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(export.export_xlsx(accounts(), "en", AS_OF))
    assert stale.compare_registry(path, accounts(), "ja") == []
    changed = accounts()
    changed[0]["status"] = "suspended"
    (d,) = stale.compare_registry(path, changed, "ja")
    assert (d.kind, d.column, d.committed, d.expected) == ("value", "状態", "active", "suspended")


def test_compare_registry_keeps_the_language_with_fewer_differences(monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = _diff(key="a"), _diff(key="b")
    results = {"ja": [one, two], "en": [one]}
    calls: list[str] = []

    def fake_check(path: Path, accs: list[dict], lang: str = "ja", **kw: Any) -> list[Difference]:
        calls.append(lang)
        return results[lang]

    monkeypatch.setattr(compare, "check", fake_check)
    assert stale.compare_registry(Path("r.csv"), [], "ja") == [one] and calls == ["ja", "en"]
    results["en"] = [two, one]  # a tie keeps the requested language
    assert stale.compare_registry(Path("r.csv"), [], "ja") == [one, two]
    calls.clear()
    results["ja"] = []  # nothing to improve on: the other language is not tried
    assert stale.compare_registry(Path("r.csv"), [], "ja") == [] and calls == ["ja"]
    calls.clear()
    results["en"] = [_diff(kind="unreadable", detail="csv")]
    assert stale.compare_registry(Path("r.csv"), [], "en") == results["en"] and calls == ["en"]


def test_compare_registry_unreadable_is_not_tried_twice(tmp_path: Path) -> None:
    (d,) = stale.compare_registry(tmp_path / "none.csv", accounts(), "ja")
    assert (d.kind, d.detail) == ("unreadable", "not-found")


def test_mask_secrets() -> None:
    assert stale.mask_secrets(f"備考 {TOKEN} です") == "備考 ghp_**** です"
    assert stale.mask_secrets(f"1行目\ntoken={TOKEN}") == "1行目\ntoken=ghp_****"
    assert TOKEN not in stale.mask_secrets(TOKEN)
    # nothing secret: unchanged
    for text in ("広報広聴課長 山田 太郎", "short", "https://x.com/ube_city"):
        assert stale.mask_secrets(text) == text
    assert stale.mask_secrets(None) == ""
    assert stale.mask_secrets(12345678) == "12345678"


def _diff(**kw: Any) -> Difference:
    base: dict[str, Any] = {"kind": "value", "key": "ube-city-x", "column": "状態", "committed": "休止中",
                            "expected": "運用中", "line": 5, "location": "line 5"}
    base.update(kw)
    return Difference(**base)


def test_difference_args_value() -> None:
    variant, args = stale.difference_args(_diff())
    assert variant == "value"
    assert args == {"location": "5 行目", "account": "ube-city-x", "column": "状態", "committed": "休止中",
                    "expected": "運用中", "detail": ""}
    assert stale.difference_args(_diff(), "en")[1]["location"] == "line 5"
    assert stale.difference_args(_diff(cell="Q5"))[1]["location"] == "Q5"


def test_difference_args_hidden_names_and_secrets() -> None:
    # names masked by check() to the same text: say that the cell differs, show neither value
    variant, _ = stale.difference_args(_diff(column="担当者1", committed="佐＊ ＊＊", expected="佐＊ ＊＊"))
    assert variant == "value_hidden"
    variant, args = stale.difference_args(_diff(column="備考", committed=TOKEN, expected=""))
    assert variant == "value" and TOKEN not in str(args) and args["committed"] == "ghp_****"
    _, args = stale.difference_args(_diff(kind="extra-row", key=("X（旧Twitter）", TOKEN), column="",
                                          committed=None, expected=None))
    assert args["account"] == "X（旧Twitter） / ghp_****" and args["column"] == "-" and args["committed"] == ""


@pytest.mark.parametrize(
    "kind,detail,variant",
    [
        ("missing-row", "", "missing_row"),
        ("extra-row", "", "extra_row"),
        ("duplicate-row", "", "duplicate_row"),
        ("missing-column", "", "missing_column"),
        ("extra-column", "", "extra_column"),
        ("unreadable", "xlsx", "unreadable"),
        ("unreadable", "not-found", "missing"),
        ("something-new", "", "value"),
    ],
)
def test_difference_args_variants(kind: str, detail: str, variant: str) -> None:
    assert stale.difference_args(_diff(kind=kind, detail=detail))[0] == variant


def test_unreadable_detail_in_both_languages() -> None:
    d = _diff(kind="unreadable", detail="encoding", key="", column="", committed=None, expected=None)
    assert stale.difference_args(d, "ja")[1]["detail"] == "文字コードが UTF-8・Shift_JIS ではない"
    assert stale.difference_args(d, "en")[1]["detail"] == "not UTF-8 or Shift_JIS"
    assert stale.difference_args(_diff(kind="unreadable", detail="new-code"), "en")[1]["detail"] == "new-code"
    # every reason the readers and check() give has words in both languages
    for reason in ("not-found", "format", "encoding", "binary", "csv", "xlsx", "no-sheet", "no-header", "openpyxl-missing"):
        assert set(stale.UNREADABLE_DETAIL[reason]) == {"ja", "en"}
