"""Messages of the "gate people can trust" work (issue 12): refusing input that leaves the repo,
unsafe policy regexes, missing libraries, rules that crash or take too long, outputs that would
overwrite an input, and edits that cannot be made safely.

Kept in their own table while the catalogue is being reorganised: :data:`GATE` is merged into
:data:`snspolicy.core.messages.CATALOGUE` by :func:`register` (called on import of
:mod:`snspolicy.io.errors`, which every reader imports). Once the catalogue's ``__init__`` lists
``**GATE`` itself, :func:`register` does nothing.
"""

from __future__ import annotations

__all__ = ["GATE", "register"]

GATE: dict[str, dict[str, str]] = {
    # reading files
    "text_nul": {
        "ja": "NUL 文字（\\0）が含まれています。テキストには使えない文字です。エディタでこの位置の見えない文字を消して保存し直してください。",
        "en": "The file contains a NUL character (\\0), which text may not hold. Delete the invisible character at this position and save again.",
    },
    "path_too_long": {
        "ja": "パス（フォルダ名とファイル名）が長すぎて読めません。フォルダの階層やファイル名を短くしてください。",
        "en": "The path (folders and file name) is too long to read. Use fewer or shorter folder and file names.",
    },
    "yaml_leading_zero": {
        "ja": "0 で始まる数字が引用符なしで書かれています。YAML では 8 進数として別の数に読まれることがあるので、引用符で囲んでください（例: employee_id: \"0100101\"）。",
        "en": "A number starting with 0 is written without quotes. YAML may read it as an octal number with another value: quote it (e.g. employee_id: \"0100101\").",
    },
    "schema_date_range": {
        "ja": "日付の年（{year}）が正しくありません。1900 年から 2999 年までの日付を書いてください。",
        "en": "The year of this date ({year}) is not plausible. Write a date between the years 1900 and 2999.",
    },
    "input_too_many_files": {
        "ja": "{folder} のファイルが多すぎます（{limit} 件を超えています）。すべてを検査できないので中止しました。不要なファイルを別の場所へ移してください。",
        "en": "{folder} holds too many files (more than {limit}). Not everything could be checked, so the run stopped. Move files that do not belong here elsewhere.",
    },
    # snspolicy.yaml and the repo boundary
    "config_outside": {
        "ja": "リポジトリの外を指しています（絶対パス、「..」、またはリポジトリの外へのシンボリックリンク）。読み込みませんでした。リポジトリの中のファイルを、最上位からの相対パスで書いてください（例: roster.csv）。",
        "en": "This points outside the repository (an absolute path, '..', or a symbolic link leading out) and was not read. Name a file inside the repository, relative to its top folder (e.g. roster.csv).",
    },
    "folder_outside": {
        "ja": "フォルダ {folder} はリポジトリの外を指すシンボリックリンクです。読み込みも書き込みもしません。実際のフォルダを置いてください。",
        "en": "The folder {folder} is a symbolic link leading outside the repository; it is neither read nor written. Put the real folder here.",
    },
    "policy_local_outside": {
        "ja": "ポリシー「{ref}」がリポジトリの外を指しています。同梱のポリシーの名前か、リポジトリの中のポリシーのフォルダを「./」で始まるパスで書いてください。",
        "en": "Policy '{ref}' points outside the repository. Name a bundled policy, or a policy folder inside the repository with a path starting with './'.",
    },
    "policy_include_outside": {
        "ja": "include の「{include}」はポリシーのフォルダの外を指しています（絶対パス、「..」、またはシンボリックリンク）。ポリシーのフォルダの中のファイルを書いてください。",
        "en": "include '{include}' points outside the policy's folder (an absolute path, '..' or a symbolic link). Name a file inside the policy's folder.",
    },
    # policy regexes and lexicons
    "policy_regex_unsafe": {
        "ja": "{param}: この正規表現は使えません（{problem}）。検査が終わらなくなるおそれがあるため、ポリシーを読み込みませんでした。書き直してください。",
        "en": "{param}: this regular expression cannot be used ({problem}). It could make the check run forever, so the policy was not loaded. Rewrite it.",
    },
    "policy_regex_timeout": {
        "ja": "ルール {rule} の正規表現が {path} の検査で時間切れになりました（{seconds} 秒）。このファイルは検査できていません。ポリシーの正規表現を書き直してください。",
        "en": "A regular expression of rule {rule} timed out on {path} ({seconds} s). That file was not fully checked. Rewrite the policy's regular expression.",
    },
    "lexicon_regex_timeout": {
        "ja": "語彙リスト {lexicon} の項目 {entry} の正規表現が {path} の検査で時間切れになりました（{seconds} 秒）。このファイルは検査できていません。この項目の正規表現を書き直してください。",
        "en": "The regular expression of entry {entry} of lexicon {lexicon} timed out on {path} ({seconds} s). That file was not fully checked. Rewrite the entry's regular expression.",
    },
    "lexicon_invalid": {
        "ja": "語彙リスト {lexicon} の項目に誤りがあります（{problem}）。この項目を直すまで検査しません（policy validate でも確認できます）。",
        "en": "An entry of lexicon {lexicon} is invalid ({problem}). Nothing is checked until it is fixed (policy validate shows the same).",
    },
    # libraries, rules, plugins
    "library_missing": {
        "ja": "ルール {rules} に必要なライブラリ（{modules}）がインストールされていません。検査できないので中止しました。"
              "「pip install --upgrade {packages}」を実行するか、snspolicy を README の手順で入れ直してください。",
        "en": "Rules {rules} need libraries that are not installed ({modules}); the check cannot run. "
              "Run 'pip install --upgrade {packages}' or reinstall snspolicy as the README says.",
    },
    "rule_too_slow": {
        "ja": "ルール {rule} の実行に {seconds} 秒かかりました（上限 {limit} 秒）。結果を信頼できないので失敗扱いにしました。snspolicy の不具合か、入力が大きすぎます。報告してください。",
        "en": "Rule {rule} took {seconds} s (limit {limit} s). Its result cannot be trusted, so the run fails. This is a bug in snspolicy or an oversized input; please report it.",
    },
    # writing files
    "output_is_input": {
        "ja": "出力先 {path} は検査する入力ファイルです。上書きすると内容が失われます。別のファイル名を指定してください。",
        "en": "The output {path} is one of the checked input files; writing the report there would destroy it. Choose another file name.",
    },
    "write_outside": {
        "ja": "{path} はリポジトリの外を指しています（シンボリックリンク、「..」、または絶対パス）。リポジトリの外には書き込みません。",
        "en": "{path} points outside the repository (a symbolic link, '..' or an absolute path). snspolicy does not write outside the repository.",
    },
    "file_changed_during_run": {
        "ja": "{path} が検査の途中で変更されました。保存が終わってから、もう一度実行してください。",
        "en": "{path} changed while it was being checked. Run again once it is saved.",
    },
    "cache_not_folder": {
        "ja": "{path} がフォルダではありません（ファイルまたはシンボリックリンク）。snspolicy のキャッシュはリポジトリ内のこのフォルダにだけ置きます。{path} を削除するか、--no-cache を付けて実行してください。",
        "en": "{path} is not a folder (a file or a symbolic link). snspolicy keeps its cache only in this folder of the repository. Delete {path} or run with --no-cache.",
    },
    "cache_tracked": {
        "ja": "キャッシュのフォルダ {path} が git に登録されています。キャッシュは各自のパソコンだけのもので、共有すると検査を省く指示になり得ます。「git rm -r --cached {path}」で登録を外してください（--no-cache で今回は使わずに実行できます）。",
        "en": "The cache folder {path} is tracked by git. The cache belongs to one computer; a shared one could make a run skip checks. Untrack it with 'git rm -r --cached {path}' (or run with --no-cache).",
    },
    "write_read_only": {
        "ja": "{path} は読み取り専用のため変更しませんでした。書き込みを許可してからもう一度実行してください。",
        "en": "{path} is read-only and was not changed. Allow writing to it and run again.",
    },
    "write_locked": {
        "ja": "{path} は別の snspolicy が編集中です。終わってからもう一度実行してください。",
        "en": "Another snspolicy is editing {path}. Run again when it has finished.",
    },
    "write_not_regular": {
        "ja": "{path} は通常のファイルではない（フォルダ・名前付きパイプ・デバイスなど）ため、編集できません。",
        "en": "{path} is not a regular file (a folder, named pipe or device) and cannot be edited.",
    },
    # lint's command line
    "lint.not_checkable": {
        "ja": "{path} は通常のファイルでもフォルダでもありません（デバイス・名前付きパイプなど）。検査するファイルかフォルダを指定してください。",
        "en": "{path} is neither a regular file nor a folder (a device or named pipe). Name a file or folder to check.",
    },
}


def register() -> None:
    """Add the entries the catalogue does not have yet (idempotent)."""
    from snspolicy.core.messages import CATALOGUE

    for code, entry in GATE.items():
        CATALOGUE.setdefault(code, entry)
