"""Messages of the command line: the boundary in :mod:`snspolicy.cli` and each command of
:mod:`snspolicy.commands`, prefixed by the command's name (``registry.stale``). Labels shared by
``explain`` and ``docs`` are ``label.*``.

Option help texts stay beside their options (click shows them as written, both languages in one).
"""

from __future__ import annotations

COMMANDS: dict[str, dict[str, str]] = {
    # the boundary (snspolicy.cli) and the shared output helper (snspolicy.commands._options)
    "cli.io_error": {"ja": "ファイルを読み書きできません: {path}（{reason}）", "en": "Cannot read or write {path} ({reason})"},
    "cli.internal_error": {
        "ja": "内部エラーが起きました（{error}）。snspolicy の不具合です。SNSPOLICY_DEBUG=1 を付けて実行した結果を添えて報告してください。",
        "en": "Internal error ({error}). This is a bug in snspolicy; please report it with the output of the same command run with "
              "SNSPOLICY_DEBUG=1.",
    },
    "cli.interrupted": {"ja": "中断しました。", "en": "Interrupted."},
    "cli.output_unwritable": {
        "ja": "{path} に書き込めません（{reason}）。フォルダが存在し、書き込みできるか確認してください。",
        "en": "Cannot write {path} ({reason}). Check that the folder exists and is writable.",
    },
    # server (the warm server for pre-commit)
    "server.started": {"ja": "常駐プロセスを起動しました（pid {pid}、{root}）。このリポジトリの snspolicy lint はこれを使います。"
                              "終了は snspolicy server stop です。",
                       "en": "Warm server started (pid {pid}, {root}); snspolicy lint in this repo uses it. "
                             "Stop it with snspolicy server stop."},
    "server.already": {"ja": "常駐プロセスはすでに動いています（pid {pid}、{root}）。",
                       "en": "The warm server is already running (pid {pid}, {root})."},
    "server.foreground": {"ja": "常駐プロセスを起動しました（{root}）。Ctrl-C で終了します。",
                          "en": "Warm server running for {root}; press Ctrl-C to stop it."},
    "server.failed": {"ja": "常駐プロセスを起動できませんでした（{root}）。snspolicy server start --foreground で理由を確認してください。",
                      "en": "The warm server did not start ({root}); run snspolicy server start --foreground to see why."},
    "server.stopped": {"ja": "常駐プロセスを終了しました（{root}）。", "en": "Warm server stopped ({root})."},
    "server.not_running": {"ja": "常駐プロセスは動いていません（{root}）。", "en": "No warm server is running ({root})."},
    "server.status": {"ja": "常駐プロセス: pid {pid}、{root}、{served} 回実行、{minutes} 分使われなければ終了。",
                      "en": "Warm server: pid {pid}, {root}, {served} runs served, stops after {minutes} idle minutes."},
    "server.unsupported": {"ja": "常駐プロセスはこの環境（POSIX 以外）では使えません。snspolicy lint はそのまま使えます。",
                           "en": "The warm server needs a POSIX system; snspolicy lint works without it."},
    "server.not_folder": {"ja": "{path} はフォルダではありません。リポジトリのフォルダを指定してください。",
                          "en": "{path} is not a folder; give the repository's folder."},
    # lint
    "lint.progress": {"ja": "検査中", "en": "checking"},
    "lint.unknown_selection": {
        "ja": "{option}: ルールまたは条項「{name}」はありません。{hint}snspolicy rules で一覧を確認してください。",
        "en": "{option}: no rule or clause '{name}'.{hint} See `snspolicy rules`.",
    },
    "lint.did_you_mean": {"ja": "「{name}」ですか？", "en": " Did you mean '{name}'?"},
    "lint.bad_format": {
        "ja": "「-f {spec}」: 出力形式「{fmt}」はありません。{formats} のどれかを、FORMAT または FORMAT:PATH の形で指定してください。",
        "en": "'-f {spec}': no output format '{fmt}'. Give one of {formats}, as FORMAT or FORMAT:PATH.",
    },
    "lint.empty_output_path": {
        "ja": "「-f {spec}」: 出力先のパスがありません。FORMAT:PATH の形で指定してください（例 sarif:results.sarif）。",
        "en": "'-f {spec}': the output path is missing. Write FORMAT:PATH (e.g. sarif:results.sarif).",
    },
    "lint.two_on_stdout": {
        "ja": "標準出力に出せる形式は 1 つだけです（{formats}）。ほかは -f FORMAT:PATH でファイルに出してください。",
        "en": "Only one format can go to standard output ({formats}); write the others to files with -f FORMAT:PATH.",
    },
    "lint.output_with_many": {
        "ja": "-o は出力が 1 つ（パスのない -f が 1 つ）のときだけ使えます。複数の出力は -f FORMAT:PATH で指定してください。",
        "en": "-o works only with one output (a single -f without a path); give several outputs as -f FORMAT:PATH.",
    },
    "lint.same_output": {
        "ja": "{path} に 2 つの出力を書こうとしています。出力ごとに別のファイルを指定してください。",
        "en": "Two outputs would be written to {path}; give each output its own file.",
    },
    "lint.too_many_warnings": {
        "ja": "警告が {n} 件あり、--max-warnings {max} を超えています（終了コード 1）。",
        "en": "{n} warnings exceed --max-warnings {max} (exit status 1).",
    },
    "lint.stdin_needs_filename": {
        "ja": "「-」（標準入力）を検査するには、--stdin-filename でリポジトリの中のファイル名を指定してください"
              "（例 --stdin-filename posts/アカウント/2025/x.md -）。",
        "en": "To lint '-' (standard input), name the file it stands for with --stdin-filename "
              "(e.g. --stdin-filename posts/account/2025/x.md -).",
    },
    "lint.stdin_with_paths": {
        "ja": "--stdin-filename のときは、検査するパスに「-」以外を指定できません。",
        "en": "With --stdin-filename the only path to lint is '-'.",
    },
    "lint.stdin_conflict": {
        "ja": "--stdin-filename と {option} は一緒に使えません。",
        "en": "--stdin-filename cannot be combined with {option}.",
    },
    "lint.config_with_base": {
        "ja": "--config は --base・--policy-from と一緒に使えません（変更分の検査は、リポジトリか REF の snspolicy.yaml を読みます）。",
        "en": "--config cannot be combined with --base or --policy-from (a change is checked with the snspolicy.yaml "
              "of the repo or of REF).",
    },
    # rules, explain (and the labels docs shares)
    "rules.disabled": {"ja": " (無効)", "en": " (disabled)"},
    "explain.no_rule": {"ja": "ルール「{rule}」はありません。snspolicy rules で一覧を確認してください。", "en": "No rule '{rule}'. See `snspolicy rules`."},
    "label.clause": {"ja": "条項", "en": "Clause"},
    "label.severity": {"ja": "重大度", "en": "Severity"},
    "label.guideline": {"ja": "ガイドライン", "en": "Guideline"},
    "label.what": {"ja": "何を確認するか", "en": "What it checks"},
    "label.why": {"ja": "なぜ", "en": "Why"},
    "label.bad": {"ja": "悪い例", "en": "Bad"},
    "label.good": {"ja": "良い例", "en": "Good"},
    "label.params": {"ja": "パラメータ", "en": "Parameters"},
    # policy validate
    "policy.invalid": {"ja": "ポリシーに {n} 件の問題があります。", "en": "{n} problem(s) in the policy."},
    "policy.valid": {"ja": "ポリシーは有効です。", "en": "The policy is valid."},
    # schema
    "schema.unknown": {
        "ja": "「{name}」のスキーマはありません。{kinds} のどれか、またはファイルのパス（accounts/… など）を指定してください。",
        "en": "No schema for '{name}'. Give one of {kinds}, or a file path such as accounts/….",
    },
    "schema.stale": {
        "ja": "スキーマのコピーが古くなっています。snspolicy schema --copy-to {folder} を実行してください。",
        "en": "The schema copies are stale. Run: snspolicy schema --copy-to {folder}",
    },
    "schema.up_to_date": {"ja": "スキーマのコピーは最新です。", "en": "The schema copies are up to date."},
    "schema.broken": {"ja": "{error}", "en": "{error}"},
    # init
    "init.bad_account": {
        "ja": "--account には英小文字・数字・ハイフンの ID を指定してください。",
        "en": "--account must be lower-case letters, digits and hyphens.",
    },
    "init.policy_not_found": {
        "ja": "ポリシー「{policy}」が見つかりません（何も書き込んでいません）。",
        "en": "Policy '{policy}' not found (nothing was written).",
    },
    "init.not_a_directory": {"ja": "フォルダではありません。", "en": "not a directory."},
    "init.bad_action": {
        "ja": "--action は OWNER/REPO@REF の形で指定してください（例 ube-city/snspolicy@v1.0.0、REF はタグかコミット SHA）。",
        "en": "--action must be OWNER/REPO@REF (e.g. ube-city/snspolicy@v1.0.0; REF a tag or a commit SHA).",
    },
    "init.vscode_unreadable": {
        "ja": "JSON（コメント付き）のオブジェクトとして読めないため、変更していません。内容を直すか、ファイルを移してからもう一度実行してください。",
        "en": "not readable as a JSON (with comments) object, so it was left unchanged. Fix it, or move it away, and run again.",
    },
    "init.vscode_nothing": {
        "ja": "VS Code の設定は既にそろっています（変更していません）。", "en": "The VS Code settings are already there (nothing changed).",
    },
    "init.vscode_done": {
        "ja": "\nVS Code の設定を {n} ファイルに書きました（既存の内容はそのまま）。拡張機能 zsol.vscode-glspc を入れると、"
              "入力中に snspolicy lsp の指摘が表示されます。",
        "en": "\nWrote the VS Code settings to {n} file(s) (existing content kept). Install the extension zsol.vscode-glspc to "
              "see snspolicy lsp's findings while typing.",
    },
    "init.files_exist": {
        "ja": "次のファイルが既にあります（何も書き込んでいません）。上書きするには --force を付けてください:\n{files}",
        "en": "These files already exist (nothing was written). Use --force to overwrite:\n{files}",
    },
    "init.cannot_write": {
        "ja": "書き込めません（{reason}）。書き込めるフォルダを指定してください。",
        "en": "cannot write ({reason}). Choose a writable folder.",
    },
    "init.done": {
        "ja": "\n投稿リポジトリを作成しました（{n} ファイル）。次に:\n  cd {folder} && git init && snspolicy lint\n"
              "  pip install pre-commit && pre-commit install   # コミット前の自動検査",
        "en": "\nCreated a posts repo ({n} files). Next:\n  cd {folder} && git init && snspolicy lint\n"
              "  pip install pre-commit && pre-commit install   # lint before every commit",
    },
    # fix, account reviewed
    "fix.not_fixed": {"ja": "修正できませんでした ({error})", "en": "not fixed ({error})"},
    "fix.applied": {"ja": "{n} 件を修正しました。", "en": "{n} fix(es) applied."},
    "fix.available": {"ja": "{n} 件を修正できます（--dry-run）。", "en": "{n} fix(es) available (--dry-run)."},
    "account.bad_id": {
        "ja": "アカウント ID「{account}」は使えません（accounts/ のファイル名から .yaml を除いたもの）。",
        "en": "'{account}' is not an account id (the file name in accounts/ without .yaml).",
    },
    "account.no_file": {"ja": "アカウントファイルがありません。", "en": "No such account file."},
    "account.bad_date": {"ja": "--on {value}: 日付は YYYY-MM-DD の形で書いてください。", "en": "--on {value}: write the date as YYYY-MM-DD."},
    "account.unreadable": {"ja": "{reason} ファイルは変更していません。", "en": "{reason} The file was not changed."},
    "account.edit_failed": {
        "ja": "security.reviewed_on を書き込めませんでした（security が「キー: 値」の形になっているか確認してください）。"
              "ファイルは変更していません。 [{error}]",
        "en": "could not write security.reviewed_on (check that security is 'key: value' fields). The file was not changed. [{error}]",
    },
    # docs --check
    "docs.up_to_date": {"ja": "最新です。", "en": "up to date."},
    "docs.stale": {
        "ja": "{name} がポリシーと合っていません。snspolicy docs -o {name} で作り直してください。",
        "en": "{name} is stale. Regenerate it: snspolicy docs -o {name}",
    },
    # lsp
    "lsp.missing": {
        "ja": "snspolicy lsp には pygls が必要です。pip install 'snspolicy[lsp]' でインストールしてください。",
        "en": "snspolicy lsp needs pygls. Install it with: pip install 'snspolicy[lsp]'",
    },
    # codeowners: the level of a problem
    "codeowners.level.error": {"ja": "エラー", "en": "error"},
    "codeowners.level.warning": {"ja": "警告", "en": "warning"},
    # policy diff
    "policy.diff_no_path": {
        "ja": "「{spec}」: REF:path の path がありません（例: origin/main:policy/ube/2025-04-01）。",
        "en": "'{spec}': REF:path needs a path (e.g. origin/main:policy/ube/2025-04-01).",
    },
    "policy.diff_not_at_ref": {"ja": "{ref} に {path} のポリシーがありません。", "en": "There is no policy at {path} in {ref}."},
    # report (posting mix, 3(4))
    "report.unreadable": {
        "ja": "{n} 件のファイルを読めなかったため集計していません（snspolicy lint で確認してください）。",
        "en": "{n} file(s) could not be read and were not counted (see `snspolicy lint`).",
    },
    "report.chart": {"ja": "グラフを書き出しました: {path}", "en": "Chart written: {path}"},
    "report.written": {"ja": "表を書き出しました: {path}", "en": "Table written: {path}"},
    "report.no_account": {"ja": "アカウント {accounts} の投稿はありません。", "en": "No posts for account(s) {accounts}."},
    # registry export / check (4(5))
    "registry.bad_format": {
        "ja": "出力先 {path} の拡張子が形式 {fmt} と合いません（.csv / .xlsx / .md）。",
        "en": "The output {path} does not match the format {fmt} (.csv / .xlsx / .md).",
    },
    "registry.bad_suffix": {
        "ja": "出力先 {path} の形式が分かりません。拡張子を .csv・.xlsx・.md にするか --format を指定してください。",
        "en": "Cannot tell the format of {path}. Use .csv, .xlsx or .md, or give --format.",
    },
    "registry.xlsx_tty": {
        "ja": "XLSX は端末に表示できません。-o ファイル名.xlsx を指定してください。",
        "en": "XLSX cannot be shown on a terminal. Give -o FILE.xlsx.",
    },
    "registry.account_unreadable": {
        "ja": "アカウントファイル {path} を読めないため、一覧表を作れません（snspolicy lint で確認してください）。",
        "en": "Account file {path} cannot be read, so the registry cannot be built (see snspolicy lint).",
    },
    "registry.no_accounts": {"ja": "アカウントファイル（accounts/*.yaml）がありません: {root}", "en": "No account files (accounts/*.yaml) in {root}."},
    "registry.masked": {
        "ja": "警告: {account} の {field} に秘密情報らしき値があるため、一覧表では伏せ字にしました。値を削除し、再発行してください（snspolicy lint の secret-in-repo）。",
        "en": "warning: {account} {field} holds what looks like a secret; it is masked in the registry. Remove and reissue it (secret-in-repo in snspolicy lint).",
    },
    "registry.written": {"ja": "一覧表を書き出しました: {path}（{n} アカウント）", "en": "Registry written: {path} ({n} accounts)"},
    "registry.not_a_file": {
        "ja": "{path} は一覧表のファイルではありません（フォルダなど）。CSV・XLSX・Markdown のファイルを指定してください。",
        "en": "{path} is not a registry file (a folder or device). Give a CSV, XLSX or Markdown file.",
    },
    "registry.not_found": {
        "ja": "一覧表 {path} がありません。snspolicy registry export -o {path} で作成してください。",
        "en": "Registry {path} not found. Create it with snspolicy registry export -o {path}.",
    },
    "registry.unreadable": {"ja": "一覧表 {path} を読めません（{detail}）。", "en": "Cannot read the registry {path} ({detail})."},
    "registry.ok": {"ja": "一覧表 {path} はアカウントファイルと一致しています（{n} アカウント）。", "en": "Registry {path} matches the account files ({n} accounts)."},
    "registry.stale": {
        "ja": "一覧表 {path} はアカウントファイルと {n} か所違います。snspolicy registry export -o {path} で作り直し、広報広聴課へ提出してください。",
        "en": "Registry {path} differs from the account files in {n} place(s). Regenerate it with snspolicy registry export -o {path} and submit it.",
    },
    "registry.write_failed": {"ja": "{path} に書き込めません（{detail}）。", "en": "Cannot write {path} ({detail})."},
    # password check (4(3))
    "password.prompt": {"ja": "確認するパスワード（表示されません）", "en": "Password to check (not shown)"},
    "password.argv": {
        "ja": "パスワードをコマンドラインに書かないでください（履歴に残ります）。入力された値は確認も表示もしていません。そのパスワードは使わないでください。パスワードは入力を求められたときに入力するか、標準入力から渡してください。",
        "en": "Never put a password on the command line (it stays in the shell history). The value was neither checked nor shown; do not use it. Type it at the prompt or pipe it on standard input.",
    },
    "password.empty": {"ja": "パスワードが入力されていません。", "en": "No password was entered."},
    "password.no_account": {"ja": "--account に指定したアカウントがありません。使えるアカウント: {ids}", "en": "No such account for --account. Accounts: {ids}"},
    "password.ok": {
        "ja": "問題は見つかりませんでした。他のアカウントと同じパスワードでないことも確かめてください（4(3)）。",
        "en": "No problem found. Also make sure it is not used for any other account (4(3)).",
    },
    "password.weak": {"ja": "このパスワードには {n} 件の問題があります（ガイドライン 4(3)）:", "en": "{n} problem(s) with this password (guideline 4(3)):"},
    "password.unchecked": {
        "ja": "注意: zxcvbn がインストールされていないため、推測されやすさは確認していません（pip install zxcvbn）。",
        "en": "note: zxcvbn is not installed, so guessability was not checked (pip install zxcvbn).",
    },
    "password.internal": {
        "ja": "内部エラーのため確認できませんでした（入力された値は表示しません）。",
        "en": "The check failed because of an internal error (the value is not shown).",
    },
    # password check: the problems snspolicy.domain.password finds
    "password.problem.too-short": {"ja": "短すぎます。{min_length} 文字以上にしてください。", "en": "Too short. Use at least {min_length} characters."},
    "password.problem.guessable": {
        "ja": "推測されやすいパスワードです（辞書の単語、よくある並び、簡単な置き換えなど）。パスワード管理ツールで無作為に生成してください。",
        "en": "Easy to guess (dictionary words, common patterns, simple substitutions). Generate a random one with a password manager.",
    },
    "password.problem.contains-employee-id": {"ja": "職員番号が含まれています。", "en": "Contains an employee id."},
    "password.problem.contains-birth-date": {"ja": "生年月日が含まれています。", "en": "Contains a birth date."},
    "password.problem.contains-phone-number": {"ja": "電話番号が含まれています。", "en": "Contains a phone number."},
    "password.problem.contains-handle": {"ja": "アカウント名（handle）が含まれています。", "en": "Contains the account's handle."},
    "password.problem.contains-name": {
        "ja": "アカウント ID・プラットフォーム名・氏名など、推測しやすい語が含まれています。",
        "en": "Contains an easily guessed word (account id, platform, a name …).",
    },
    "password.problem.repeated-characters": {
        "ja": "同じ文字・数字の連続（aaa、111 など）が含まれています。",
        "en": "Contains a run of the same character (aaa, 111 …).",
    },
    "password.problem.sequence": {"ja": "連続した文字・数字（1234、abcd など）が含まれています。", "en": "Contains a sequence (1234, abcd …)."},
    # codeowners
    "codeowners.no_roster": {
        "ja": "CODEOWNERS を作るには職員名簿が必要です。snspolicy.yaml に roster: staff/roster.csv のように書き、名簿に github 列（GitHub のアカウント名）を入れてください。",
        "en": "CODEOWNERS needs the staff roster: set roster: (e.g. staff/roster.csv) in snspolicy.yaml, with a github column (forge handles).",
    },
    "codeowners.roster_unreadable": {
        "ja": "職員名簿 {roster} を読めません。`snspolicy lint` で確認してください。",
        "en": "The staff roster {roster} cannot be read; see `snspolicy lint`.",
    },
    "codeowners.no_forge_column": {
        "ja": "職員名簿 {roster} に github 列（GitHub のアカウント名）がないか、すべて空です。列を加えてください。",
        "en": "The staff roster {roster} has no github column (forge handles), or it is empty everywhere.",
    },
    "codeowners.manager_no_handle": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）の GitHub アカウントが職員名簿 {roster} の github 列にありません。このままではフォージが管理者の承認を求められません。",
        "en": "{account}: the manager (employee {employee_id}) has no forge handle in the github column of {roster}; the forge cannot require the manager's approval.",
    },
    "codeowners.manager_not_in_roster": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）が職員名簿 {roster} にいません。",
        "en": "{account}: the manager (employee {employee_id}) is not in the staff roster {roster}.",
    },
    "codeowners.manager_inactive": {
        "ja": "{account}: 管理者（職員番号 {employee_id}）は職員名簿 {roster} で在職していません。管理者を替えてください（4(4)）。",
        "en": "{account}: the manager (employee {employee_id}) is not in post according to {roster}. Appoint a new manager (4(4)).",
    },
    "codeowners.deputy_no_handle": {
        "ja": "{account}: 代理承認者（職員番号 {employee_id}）の GitHub アカウントが職員名簿にないか、在職していません。この人はレビュー担当になりません。",
        "en": "{account}: the deputy (employee {employee_id}) has no forge handle in the roster or is not in post; they are not made a code owner.",
    },
    "codeowners.bad_handle": {
        "ja": "{account}: 職員番号 {employee_id} の GitHub アカウント「{handle}」はアカウント名として使えない形です。名簿を直してください。",
        "en": "{account}: the forge handle '{handle}' of employee {employee_id} is not a valid handle. Correct the roster.",
    },
    "codeowners.no_owner": {
        "ja": "{account}: レビュー担当にできる人がいないため、{pattern} の行を書きませんでした。",
        "en": "{account}: nobody can be made code owner, so no line was written for {pattern}.",
    },
    "codeowners.bad_id": {
        "ja": "{path}: アカウント ID「{account}」はフォルダ名として使えない文字を含むため、CODEOWNERS に書けません。",
        "en": "{path}: account id '{account}' contains characters that cannot name a folder in CODEOWNERS.",
    },
    "codeowners.account_unreadable": {
        "ja": "{path}: アカウントファイルを読めないため飛ばしました（snspolicy lint で確認してください）。",
        "en": "{path}: the account file cannot be read and was skipped (see snspolicy lint).",
    },
    "codeowners.stray_post": {
        "ja": "{path}: アカウント {account} の投稿が {folder} の外にあります。CODEOWNERS では管理者の承認が求められません。{folder} に移してください。",
        "en": "{path}: a post of account {account} is outside {folder}, so CODEOWNERS does not require its manager's approval. Move it into {folder}.",
    },
    "codeowners.written": {"ja": "CODEOWNERS を書き出しました: {path}（{n} アカウント）", "en": "Wrote {path} ({n} accounts)"},
    "codeowners.unchanged": {"ja": "CODEOWNERS は最新です: {path}（{n} アカウント）", "en": "{path} is up to date ({n} accounts)"},
    "codeowners.missing_file": {
        "ja": "{path} がありません。`snspolicy codeowners` で作成してください。",
        "en": "{path} does not exist. Create it with `snspolicy codeowners`.",
    },
    "codeowners.diff_missing": {
        "ja": "{path}: {pattern} の行がありません（あるべきレビュー担当: {want}）。",
        "en": "{path}: no line for {pattern} (expected owners: {want}).",
    },
    "codeowners.diff_owners": {
        "ja": "{path}:{line}: {pattern} のレビュー担当が違います。ファイルは {have}、アカウントファイルと名簿では {want} です。",
        "en": "{path}:{line}: owners of {pattern} differ: the file has {have}, the account files and roster give {want}.",
    },
    "codeowners.diff_shadowed": {
        "ja": "{path}:{line}: 後の行 {other} が {pattern} を上書きしています（CODEOWNERS は最後に一致した行が有効）。",
        "en": "{path}:{line}: the later line {other} overrides {pattern} (the last matching line wins).",
    },
    "codeowners.diff_stale": {
        "ja": "{path}:{line}: 生成した区画の {pattern} はどのアカウントにも当たりません。",
        "en": "{path}:{line}: {pattern} in the generated block matches no account.",
    },
    "codeowners.stale": {
        "ja": "CODEOWNERS が古くなっています。`snspolicy codeowners` で作り直してください。",
        "en": "CODEOWNERS is out of date. Regenerate it with `snspolicy codeowners`.",
    },
    "codeowners.header": {"ja": "# 投稿のレビュー担当（各アカウントの管理者・代理承認者）。", "en": "# Reviewers of posts (each account's manager and deputies)."},
    "codeowners.begin_note": {
        "ja": "（snspolicy codeowners が {accounts} と {roster} から生成。この区画は手で編集しないでください）",
        "en": " (generated by snspolicy codeowners from {accounts} and {roster}; do not edit this block by hand)",
    },
    # docs: the rule catalogue
    "docs.title": {"ja": "ルール一覧", "en": "Rule catalogue"},
    "docs.generated": {
        "ja": "このファイルは `snspolicy docs` がポリシーから生成しています。直接編集せず、ポリシー（rules/*.yaml など）を直してから `snspolicy docs -o {out}` で作り直してください。",
        "en": "Generated from the policy by `snspolicy docs`. Do not edit: change the policy (rules/*.yaml …) and run `snspolicy docs -o {out}`.",
    },
    "docs.intro": {
        "ja": "ポリシー `{id}`（版 {version}）の各条項をどう確認するかと、すべてのルールの一覧です。指摘の説明は `snspolicy explain <ルールID>` でも表示できます。",
        "en": "How each clause of policy `{id}` (version {version}) is checked, and every rule. `snspolicy explain <rule id>` shows the same for one rule.",
    },
    "docs.n_rules": {"ja": "ルール数", "en": "Rules"},
    "docs.n_disabled": {"ja": "うち無効", "en": "disabled"},
    "docs.n_clauses": {"ja": "条項", "en": "Clauses"},
    "docs.yes": {"ja": "機械で確認", "en": "machine-checked"},
    "docs.partly": {"ja": "一部を機械で確認", "en": "partly checked"},
    "docs.no": {"ja": "機械では確認できない", "en": "not machine-checkable"},
    "docs.index": {"ja": "一覧", "en": "Index"},
    "docs.rule": {"ja": "ルール", "en": "Rule"},
    "docs.name": {"ja": "名称", "en": "Name"},
    "docs.by_clause": {"ja": "条項ごとの説明", "en": "Clause by clause"},
    "docs.check_yes": {"ja": "機械で確認します。", "en": "Machine-checked."},
    "docs.check_partly": {"ja": "一部を機械で確認します。", "en": "Partly machine-checked."},
    "docs.check_no": {"ja": "機械では確認できません。", "en": "Not machine-checkable."},
    "docs.no_rules": {"ja": "この条項を直接確認するルールはありません。", "en": "No rule checks this clause directly."},
    "docs.other": {"ja": "条項に属さないルール（読み込み・書式・例外）", "en": "Rules outside the clauses (reading, format, waivers)"},
    "docs.other_intro": {
        "ja": "ファイルを読めない、書式が違う、例外（waiver）の書き方が違うなど、ガイドラインの条項より前の問題を報告するルールです。",
        "en": "Problems found before any clause applies: unreadable files, schema violations, malformed waivers.",
    },
    "docs.target": {"ja": "対象", "en": "Checks"},
    "docs.fix": {"ja": "直し方", "en": "How to fix"},
    "docs.param": {"ja": "名前", "en": "Name"},
    "docs.value": {"ja": "値", "en": "Value"},
    "docs.unit": {"ja": "単位", "en": "Unit"},
    "docs.description": {"ja": "説明", "en": "Description"},
    "docs.messages": {"ja": "メッセージ", "en": "Messages"},
    "docs.disabled": {"ja": "無効", "en": "disabled"},
    "docs.override": {
        "ja": "このリポジトリの snspolicy.yaml で変更: {what}（理由: {reason}）",
        "en": "Changed by this repo's snspolicy.yaml: {what} (reason: {reason})",
    },
    "docs.not_impl": {"ja": "（このバージョンには処理がありません）", "en": "(no implementation in this version)"},
    "docs.engine": {"ja": "snspolicy 本体（読み込み・スキーマ・例外の処理）", "en": "snspolicy itself (loading, schemas, waivers)"},
    "docs.lexicons": {"ja": "語彙（レキシコン）", "en": "Lexicons"},
    "docs.lexicons_intro": {
        "ja": "禁止表現などの語彙はポリシーの lexicons/ にあります。語そのものはここには載せません。",
        "en": "Word lists live in the policy's lexicons/. The words themselves are not listed here.",
    },
    "docs.entries": {"ja": "項目数", "en": "Entries"},
    "docs.plugin": {"ja": "プラグイン", "en": "plugin"},
    # docs: what a rule checks (RuleImpl.kinds)
    "docs.kind.account": {"ja": "アカウント（accounts/*.yaml）", "en": "accounts (accounts/*.yaml)"},
    "docs.kind.post": {"ja": "投稿（posts/**/*.md）", "en": "posts (posts/**/*.md)"},
    "docs.kind.press": {"ja": "報道発表（press/*.yaml）", "en": "press releases (press/*.yaml)"},
    "docs.kind.incident": {"ja": "不正アクセス対応記録（incidents/*.yaml）", "en": "incident records (incidents/*.yaml)"},
    "docs.kind.config": {"ja": "設定（snspolicy.yaml）", "en": "config (snspolicy.yaml)"},
    "docs.kind.repo": {"ja": "リポジトリ全体", "en": "the whole repo"},

}
