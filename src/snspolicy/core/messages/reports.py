"""The report chrome the reporters print (headings, summary lines, column names): codes
``reporter.<key>``, looked up by :func:`snspolicy.reporters._strings.t` with ``<key>``; and the
short names of the guideline's clauses for grouping headings (:data:`CLAUSE_NAMES`).

Rule titles and messages come from the policy, not from here.
"""

from __future__ import annotations

REPORTS: dict[str, dict[str, str]] = {
    # severities as counted nouns
    "reporter.error": {"ja": "違反", "en": "error"},
    "reporter.error_pl": {"ja": "違反", "en": "errors"},
    "reporter.warning": {"ja": "警告", "en": "warning"},
    "reporter.warning_pl": {"ja": "警告", "en": "warnings"},
    "reporter.info": {"ja": "情報", "en": "note"},
    "reporter.info_pl": {"ja": "情報", "en": "notes"},
    "reporter.file": {"ja": "ファイル", "en": "file"},
    "reporter.file_pl": {"ja": "ファイル", "en": "files"},
    # text summary
    "reporter.count": {"ja": "{n} 件の{what}", "en": "{n} {what}"},
    "reporter.sep": {"ja": "、", "en": ", "},
    "reporter.summary": {"ja": "{parts}（{files}）", "en": "{parts} in {files}"},
    "reporter.summary_waived": {"ja": "{parts}（{files}、ほかに例外として承認済み {n} 件）", "en": "{parts} in {files} ({n} waived)"},
    "reporter.files": {"ja": "{n} ファイル", "en": "{n} {what}"},
    "reporter.no_problems": {"ja": "問題は見つかりませんでした", "en": "No problems found"},
    "reporter.unreadable_note": {
        "ja": "。読み込めないファイルが {n} 件あり、その中身はまだ検査していません。直してからもう一度実行してください。",
        "en": ". {n} file(s) could not be read and were not checked; fix them and run again.",
    },
    "reporter.waived_mark": {"ja": "（例外として承認済み: {reason}）", "en": " (waived: {reason})"},
    "reporter.waived_mark_noreason": {"ja": "（例外として承認済み）", "en": " (waived)"},
    # lint --statistics (reporters/statistics.py)
    "reporter.stats_count": {"ja": "件数", "en": "Count"},
    "reporter.stats_rule": {"ja": "ルール", "en": "Rule"},
    "reporter.stats_severity": {"ja": "重大度", "en": "Severity"},
    "reporter.stats_clause": {"ja": "条項", "en": "Clause"},
    "reporter.stats_title": {"ja": "内容", "en": "Title"},
    "reporter.stats_total": {"ja": "合計", "en": "total"},
    # markdown
    "reporter.md_title": {"ja": "SNS 投稿ガイドラインのチェック結果", "en": "SNS guideline check"},
    "reporter.md_pass": {"ja": "✅ 合格です。止めるべき問題はありません。", "en": "✅ Passed: nothing blocks this change."},
    "reporter.md_pass_clean": {"ja": "✅ 合格です。問題は見つかりませんでした。", "en": "✅ Passed: no problems found."},
    "reporter.md_fail": {
        "ja": "❌ 修正が必要です。下の表の「違反」を直してから、もう一度確認してください。",
        "en": "❌ Changes needed: fix the errors below, then run the check again.",
    },
    "reporter.md_kind": {"ja": "種類", "en": "Kind"},
    "reporter.md_num": {"ja": "件数", "en": "Count"},
    "reporter.md_files_checked": {"ja": "確認したファイル: {n}", "en": "Files checked: {n}"},
    "reporter.md_policy": {"ja": "ポリシー: {policy}", "en": "Policy: {policy}"},
    "reporter.md_where": {"ja": "場所", "en": "Where"},
    "reporter.md_level": {"ja": "重さ", "en": "Level"},
    "reporter.md_rule": {"ja": "ルール", "en": "Rule"},
    "reporter.md_message": {"ja": "内容と直し方", "en": "What to do"},
    "reporter.md_clause": {"ja": "ガイドライン {clause}", "en": "Guideline {clause}"},
    "reporter.md_no_clause": {"ja": "その他", "en": "Other"},
    "reporter.md_group_count": {"ja": "{n} 件", "en": "{n}"},
    "reporter.md_omitted": {"ja": "ほか {n} 件は省略しました（全件は CI のログか SARIF を見てください）。",
                   "en": "{n} more not shown (see the CI log or the SARIF file)."},
    "reporter.md_waived": {"ja": "例外として承認済みのもの {n} 件は表示していません。",
                  "en": "{n} waived findings are not shown."},
    "reporter.md_fail_level": {"ja": "「{level}」以上があると不合格になります。", "en": "The check fails on any {level} or worse."},
    # junit
    "reporter.junit_other_files": {"ja": "問題のないファイル {n} 件", "en": "{n} files without problems"},
    "reporter.junit_no_findings": {"ja": "問題は見つかりませんでした", "en": "no problems found"},
    "reporter.junit_failure": {"ja": "{n} 件の問題", "en": "{n} problems"},
    # sarif
    "reporter.sarif_truncated": {
        "ja": "結果が多すぎるため、{total} 件のうち重要度の高い {kept} 件だけを出力しました。",
        "en": "Too many results: only the {kept} most severe of {total} are included.",
    },
    "reporter.sarif_generic_rule": {
        "ja": "ポリシーに説明のないルールです（ガイドライン {clause}）。",
        "en": "A rule without a description in the policy (guideline {clause}).",
    },
    "reporter.sarif_generic_help": {
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
