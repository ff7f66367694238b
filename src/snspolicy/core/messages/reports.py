"""The report chrome the reporters print (headings, summary lines, column names): codes
``reporter.<key>``, looked up by :func:`snspolicy.reporters._strings.t` with ``<key>``.

Rule titles and messages, and the short headings of the guideline's clauses (the policy's
``clauses.<id>.heading``, passed to reporters in ``ReportContext.clauses``), come from the policy,
not from here.
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
