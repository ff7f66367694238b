"""The few fixed strings the reporters print, in Japanese (default) and English.

Rule titles and messages come from the policy; this module holds only report
chrome (headings, summary lines, column names) and short names of the
guideline's clauses for grouping headings.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from snspolicy.reporters._util import lang_of

STRINGS: dict[str, dict[str, str]] = {
    # severities as counted nouns
    "error": {"ja": "違反", "en": "error"},
    "error_pl": {"ja": "違反", "en": "errors"},
    "warning": {"ja": "警告", "en": "warning"},
    "warning_pl": {"ja": "警告", "en": "warnings"},
    "info": {"ja": "情報", "en": "note"},
    "info_pl": {"ja": "情報", "en": "notes"},
    "file": {"ja": "ファイル", "en": "file"},
    "file_pl": {"ja": "ファイル", "en": "files"},
    # text summary
    "count": {"ja": "{n} 件の{what}", "en": "{n} {what}"},
    "sep": {"ja": "、", "en": ", "},
    "summary": {"ja": "{parts}（{files}）", "en": "{parts} in {files}"},
    "summary_waived": {"ja": "{parts}（{files}、ほかに例外として承認済み {n} 件）", "en": "{parts} in {files} ({n} waived)"},
    "files": {"ja": "{n} ファイル", "en": "{n} {what}"},
    "no_problems": {"ja": "問題は見つかりませんでした", "en": "No problems found"},
    "unreadable_note": {
        "ja": "。読み込めないファイルが {n} 件あり、その中身はまだ検査していません。直してからもう一度実行してください。",
        "en": ". {n} file(s) could not be read and were not checked; fix them and run again.",
    },
    "waived_mark": {"ja": "（例外として承認済み: {reason}）", "en": " (waived: {reason})"},
    "waived_mark_noreason": {"ja": "（例外として承認済み）", "en": " (waived)"},
    # markdown
    "md_title": {"ja": "SNS 投稿ガイドラインのチェック結果", "en": "SNS guideline check"},
    "md_pass": {"ja": "✅ 合格です。止めるべき問題はありません。", "en": "✅ Passed: nothing blocks this change."},
    "md_pass_clean": {"ja": "✅ 合格です。問題は見つかりませんでした。", "en": "✅ Passed: no problems found."},
    "md_fail": {
        "ja": "❌ 修正が必要です。下の表の「違反」を直してから、もう一度確認してください。",
        "en": "❌ Changes needed: fix the errors below, then run the check again.",
    },
    "md_counts_head": {"ja": "件数", "en": "Counts"},
    "md_kind": {"ja": "種類", "en": "Kind"},
    "md_num": {"ja": "件数", "en": "Count"},
    "md_files_checked": {"ja": "確認したファイル: {n}", "en": "Files checked: {n}"},
    "md_policy": {"ja": "ポリシー: {policy}", "en": "Policy: {policy}"},
    "md_where": {"ja": "場所", "en": "Where"},
    "md_level": {"ja": "重さ", "en": "Level"},
    "md_rule": {"ja": "ルール", "en": "Rule"},
    "md_message": {"ja": "内容と直し方", "en": "What to do"},
    "md_clause": {"ja": "ガイドライン {clause}", "en": "Guideline {clause}"},
    "md_no_clause": {"ja": "その他", "en": "Other"},
    "md_group_count": {"ja": "{n} 件", "en": "{n}"},
    "md_omitted": {"ja": "ほか {n} 件は省略しました（全件は CI のログか SARIF を見てください）。",
                   "en": "{n} more not shown (see the CI log or the SARIF file)."},
    "md_waived": {"ja": "例外として承認済みのもの {n} 件は表示していません。",
                  "en": "{n} waived findings are not shown."},
    "md_fail_level": {"ja": "「{level}」以上があると不合格になります。", "en": "The check fails on any {level} or worse."},
    # junit
    "junit_other_files": {"ja": "問題のないファイル {n} 件", "en": "{n} files without problems"},
    "junit_no_findings": {"ja": "問題は見つかりませんでした", "en": "no problems found"},
    "junit_failure": {"ja": "{n} 件の問題", "en": "{n} problems"},
    # sarif
    "sarif_truncated": {
        "ja": "結果が多すぎるため、{total} 件のうち重要度の高い {kept} 件だけを出力しました。",
        "en": "Too many results: only the {kept} most severe of {total} are included.",
    },
    "sarif_generic_rule": {
        "ja": "ポリシーに説明のないルールです（ガイドライン {clause}）。",
        "en": "A rule without a description in the policy (guideline {clause}).",
    },
    "sarif_generic_help": {
        "ja": "メッセージの指示に従って修正してください。",
        "en": "Follow the instructions in the message.",
    },
}

# Short names of the guideline's items (宇部市ソーシャルメディアの利用に関するガイドライン, 2025-04-01).
CLAUSE_NAMES: dict[str, dict[str, str]] = {
    "1": {"ja": "目的", "en": "Purpose"},
    "2": {"ja": "適用", "en": "Scope"},
    "3": {"ja": "基本原則", "en": "Basic principles"},
    "3(1)": {"ja": "管理者の承認", "en": "Manager's approval"},
    "3(2)": {"ja": "管理者による管理・運用規程", "en": "Account management and operating rules"},
    "3(3)": {"ja": "法令・運用規程の遵守", "en": "Laws and operating rules"},
    "3(4)": {"ja": "生活に密着した情報・売り込みたい情報の積極的な発信", "en": "Actively posting useful information"},
    "3(5)": {"ja": "職員としての自覚と責任", "en": "Writing responsibly as staff"},
    "3(6)": {"ja": "正確な情報", "en": "Accurate information"},
    "3(7)": {"ja": "誤解を与えない簡潔明瞭な発信", "en": "Clear and concise posts"},
    "3(8)": {"ja": "冷静かつ誠実な対応", "en": "Calm and sincere replies"},
    "4": {"ja": "アカウント管理", "en": "Account management"},
    "4(1)": {"ja": "担当者は原則2名", "en": "Two account holders"},
    "4(2)": {"ja": "二重認証などのセキュリティ対策", "en": "Two-factor authentication"},
    "4(3)": {"ja": "パスワード", "en": "Passwords"},
    "4(4)": {"ja": "人事異動・担当者変更時の見直し", "en": "Review after personnel changes"},
    "4(5)": {"ja": "担当者一覧表の提出", "en": "List of account holders"},
    "5": {"ja": "公開・修正・削除の承認と保存", "en": "Approval and retention"},
    "6": {"ja": "禁止事項", "en": "Prohibited content"},
    "6(1)": {"ja": "誹謗中傷", "en": "Defamation"},
    "6(2)": {"ja": "差別", "en": "Discrimination"},
    "6(3)": {"ja": "職員の個人的な状況や意見", "en": "Staff's personal matters and opinions"},
    "6(4)": {"ja": "違法行為をあおること", "en": "Inciting illegal acts"},
    "6(5)": {"ja": "職務上の秘密・個人情報", "en": "Confidential and personal information"},
    "6(6)": {"ja": "市や第三者の権利の侵害", "en": "Rights of the city and others"},
    "6(7)": {"ja": "わいせつな内容", "en": "Obscene content"},
    "6(8)": {"ja": "重要施策の意思形成過程の情報", "en": "Pre-decisional information"},
    "6(9)": {"ja": "職員以外による発信", "en": "Posting by non-staff"},
    "6(10)": {"ja": "報道発表前の先行発信", "en": "Posting before a press release"},
    "6(11)": {"ja": "公序良俗に反する情報", "en": "Public order and morals"},
    "7": {"ja": "不正アクセスへの対応", "en": "Unauthorized access"},
    "7(1)": {"ja": "パスワードの変更", "en": "Change the password"},
    "7(2)": {"ja": "サービスへの通報", "en": "Notify the platform"},
    "7(3)": {"ja": "他のアカウントでの周知", "en": "Announce via another account"},
    "7(4)": {"ja": "関係課への報告・警察への連絡", "en": "Report and contact the police"},
    "8": {"ja": "免責事項", "en": "Disclaimer"},
}


def t(key: str, lang: object = "ja", **kw: Any) -> str:
    """The string ``key`` in ``lang`` (ja unless English is asked), formatted with ``kw``."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[lang_of(lang)]
    try:
        return text.format(**kw)
    except (KeyError, IndexError, ValueError):
        return text


def plural(key: str, n: int, lang: object = "ja") -> str:
    """The noun ``key`` (``error``, ``warning``, ``info``, ``file``) for a count of ``n``."""
    return t(key if n == 1 else key + "_pl", lang)


def clause_name(clause: str, lang: object = "ja") -> str:
    """Short name of a guideline clause; ``""`` when unknown."""
    key = unicodedata.normalize("NFKC", clause or "").replace(" ", "")
    entry = CLAUSE_NAMES.get(key)
    if entry is None and "(" in key:  # "6(1)(2)" -> name of "6(1)"
        first = key[: key.index(")") + 1] if ")" in key else key
        entry = CLAUSE_NAMES.get(first)
    return entry[lang_of(lang)] if entry else ""
