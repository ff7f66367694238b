"""Messages about the user's input: reading files, the schemas, the policy and ``snspolicy.yaml``,
plugins. Their codes are raised by :mod:`snspolicy.io` and :mod:`snspolicy.policy` (``LoadError``,
``ConfigError``, ``PolicyError``, schema problems) and shown by the engine as findings.

``schema_*`` codes are made by :mod:`snspolicy.io.schemacheck` from the JSON Schema validator's name
(``"schema_" + validator``); :data:`TYPE_NAMES`, :data:`ACTUAL_NAMES` and :data:`FORMAT_EXAMPLES`
fill in the ``expected``, ``actual`` and ``format`` parameters of those messages.
"""

from __future__ import annotations

INPUT: dict[str, dict[str, str]] = {
    # reading files
    "yaml_error": {
        "ja": "YAML として読めません（{problem}）。インデント、コロンの後の空白、引用符の閉じ忘れを確認してください。",
        "en": "Not valid YAML ({problem}). Check indentation, the space after colons and unclosed quotes.",
    },
    "duplicate_key": {
        "ja": "キー「{key}」が重複しています（最初は {first_line} 行目）。どちらか一方を消してください（後の値で黙って上書きはしません）。",
        "en": "Duplicate key '{key}' (first on line {first_line}). Remove one of them; snspolicy does not silently keep the last value.",
    },
    "multiple_documents": {
        "ja": "1 つのファイルに YAML 文書が複数あります（'---' 区切り）。1 ファイル 1 文書にしてください。",
        "en": "More than one YAML document in this file ('---'). Keep one document per file.",
    },
    "complex_key": {"ja": "キーには文字列を使ってください。", "en": "Use plain strings as keys."},
    "recursive_alias": {"ja": "自分自身を参照するエイリアス（*）があります。", "en": "An alias (*) refers to itself."},
    "too_many_nodes": {
        "ja": "YAML の要素が多すぎます（{limit} 超。エイリアスの展開による攻撃の可能性）。",
        "en": "Too many YAML nodes (over {limit}; possibly an alias bomb).",
    },
    "too_deep": {"ja": "YAML の入れ子が深すぎます。", "en": "YAML nesting is too deep."},
    "no_front_matter": {
        "ja": "投稿ファイルの 1 行目が '---' ではありません。先頭に '---' の行、項目（id: など）、'---' の行を書き、その後に本文を書いてください。",
        "en": "The post does not start with a '---' line. Put a '---' line, the fields (id: …), a closing '---' line, then the text.",
    },
    "front_matter_unclosed": {
        "ja": "投稿の項目（フロントマター）の終わりを示す '---' の行がありません。項目の後、本文の前に '---' だけの行を入れてください。",
        "en": "The post's front matter is not closed: put a line with only '---' after the fields, before the text.",
    },
    "front_matter_not_first": {
        "ja": "'---' の前に空行や空白があります。投稿ファイルは 1 行目を '---' にしてください。",
        "en": "There are blank lines or spaces before '---'. The first line of a post must be '---'.",
    },
    "empty_document": {
        "ja": "ファイルが空です（コメントしかありません）。項目を「キー: 値」の形で書くか、不要ならファイルを削除してください。",
        "en": "The file is empty (only comments). Write its fields as 'key: value', or delete the file.",
    },
    "not_mapping": {
        "ja": "ファイル全体を「キー: 値」の形（id: …、platform: … など）で書いてください。先頭が '- ' のリストや、ただの文字列になっています。",
        "en": "Write the file as 'key: value' fields (id: …, platform: …); its top level is a list or a bare value.",
    },
    "yaml_tab": {
        "ja": "タブ文字が使われています。字下げ（行頭の空白）にはタブではなく半角スペースを使ってください。",
        "en": "A tab character is used. Indent with spaces, not tabs.",
    },
    "yaml_unclosed_quote": {
        "ja": "ここで始まる引用符（\" または '）が閉じられていません。値の終わりにも同じ引用符を付けてください。",
        "en": "The quote (\" or ') that starts here is never closed. End the value with the same quote.",
    },
    "yaml_fullwidth_colon": {
        "ja": "全角のコロン（：）があります。項目名の後は半角のコロンと半角スペース（「キー: 値」）にしてください。",
        "en": "A full-width colon (：) is used. Write 'key: value' with an ASCII colon and a space.",
    },
    "yaml_reserved_char": {
        "ja": "値を「{char}」で始めることはできません。値全体を引用符で囲んでください（例: handle: \"@ube_city\"）。",
        "en": "A value cannot start with '{char}'. Quote the whole value (e.g. handle: \"@ube_city\").",
    },
    "yaml_colon_in_value": {
        "ja": "値の中に「: 」（コロンと空白）があるか、字下げがずれています。値にコロンを含めるときは値全体を引用符で囲んでください（例: purpose: \"受付時間: 9時から\"）。",
        "en": "A value contains ': ' (colon and space), or the indentation is off. Quote a value that contains a colon (e.g. purpose: \"Hours: 9-17\").",
    },
    "yaml_missing_colon": {
        "ja": "「キー: 値」のコロン（:）がない行があります。コロンの後には半角スペースを入れてください。前の行の引用符の閉じ忘れも確認してください。",
        "en": "A line lacks the colon of 'key: value' (put a space after the colon). Also check for an unclosed quote on the line before.",
    },
    "yaml_flow": {
        "ja": "{{ }} や [ ] の中の書き方が正しくありません。閉じかっこ（{close}）があるか、値の区切りがカンマ（,）か確認してください。値にカンマや「: 」が含まれる場合は引用符で囲んでください。",
        "en": "Something is wrong inside {{ }} or [ ]: check the closing '{close}' and the commas between values. Quote values containing a comma or ': '.",
    },
    "yaml_indent": {
        "ja": "字下げ（行頭の空白の数）がそろっていません。同じ階層の項目は同じ数の半角スペースで始めてください。前の行の引用符の閉じ忘れも確認してください。",
        "en": "The indentation is uneven: items on the same level must start with the same number of spaces. Also check for an unclosed quote above.",
    },
    "yaml_escape": {
        "ja": "ダブルクォート（\"）の中の \\ が読めません。\\ を 2 つ重ねるか、シングルクォート（'）で囲んでください。",
        "en": "A backslash inside double quotes is not a valid escape. Double it (\\\\) or use single quotes.",
    },
    "yaml_alias": {
        "ja": "「*」で始まる値は別の場所（&名前）の参照として読まれますが、参照先がありません。文字として書くなら引用符で囲んでください（例: \"*注意\"）。",
        "en": "A value starting with '*' is read as a reference (alias) to an anchor that does not exist. Quote it to write it as text.",
    },
    "not_utf8": {
        "ja": "文字コードが UTF-8 ではありません。UTF-8 で保存し直してください（内容は変更していません）。",
        "en": "The file is not UTF-8. Save it again as UTF-8 (nothing was changed).",
    },
    "not_utf8_legacy": {
        "ja": "文字コードが UTF-8 ではありません（{encoding} と思われます）。エディタで「UTF-8」を選んで保存し直してください（内容は変更していません）。",
        "en": "The file is not UTF-8 (it looks like {encoding}). Save it again as UTF-8 in your editor (nothing was changed).",
    },
    "not_utf8_utf16": {
        "ja": "文字コードが UTF-16（メモ帳の「Unicode」）です。エディタで「UTF-8」を選んで保存し直してください（内容は変更していません）。",
        "en": "The file is UTF-16 (\"Unicode\" in Notepad). Save it again as UTF-8 (nothing was changed).",
    },
    "binary": {
        "ja": "テキストではなくバイナリのファイルです。画像などは media/ に置き、ここには置かないでください。",
        "en": "This is a binary file, not text. Keep images and other media under media/.",
    },
    "too_large": {
        "ja": "ファイルが大きすぎます（{size} バイト、上限 {limit} バイト）。読み込みませんでした。",
        "en": "File too large ({size} bytes; limit {limit}). It was not read.",
    },
    "symlink_outside": {
        "ja": "リポジトリの外を指すシンボリックリンクです。読み込みませんでした。実際のファイルを置いてください。",
        "en": "Symbolic link pointing outside the repository; not read. Put the real file here.",
    },
    "unreadable": {"ja": "ファイルを読めません（{error}）。", "en": "Cannot read the file ({error})."},
    "symlink_loop": {
        "ja": "シンボリックリンクが循環しています（リンク先をたどると元に戻ります）。読み込みませんでした。",
        "en": "Symbolic link loop (following it leads back to itself). Not read.",
    },
    "symlink_dangling": {
        "ja": "リンク先のファイルがないシンボリックリンクです。リンクを削除するか、実際のファイルを置いてください。",
        "en": "Symbolic link to a file that does not exist. Remove the link or put the real file here.",
    },
    "file_missing": {"ja": "ファイルがありません。", "en": "The file does not exist."},
    "permission_denied": {
        "ja": "ファイルを読む権限がありません。ファイルの権限（アクセス許可）を確認してください。",
        "en": "No permission to read the file. Check its permissions.",
    },
    "is_directory": {"ja": "ファイルではなくフォルダです。", "en": "This is a folder, not a file."},
    "not_regular": {
        "ja": "通常のファイルではありません（名前付きパイプ・デバイスなど）。読み込みませんでした。",
        "en": "Not a regular file (a named pipe or device). Not read.",
    },
    "roster_header": {
        "ja": "職員名簿（CSV）の 1 行目（見出し行）に職員番号の列（{columns} のどれか）がありません。見出し行は「{found}」です。人事システムから見出し付きで出力し直すか、見出しを書き換えてください。",
        "en": "The staff roster (CSV) header (line 1) has no employee-number column ({columns}); it reads '{found}'. Export it again with headers, or rename the column.",
    },
    "roster_no_header": {
        "ja": "職員名簿（CSV）の 1 行目が見出し行ではなくデータのようです。1 行目に「職員番号,氏名,所属,職名,在職区分」のような見出しを入れてください。",
        "en": "Line 1 of the staff roster (CSV) looks like data, not a header. Add a header line such as 'employee_id,name,department,title,status'.",
    },
    "roster_empty": {
        "ja": "職員名簿（CSV）が空です。人事システムから出力し直してください。",
        "en": "The staff roster (CSV) is empty. Export it again from the HR system.",
    },
    "roster_quote": {
        "ja": "職員名簿（CSV）のこの行で引用符（\"）が閉じられていないため、以降の行を読めません。引用符を閉じるか削除してください。",
        "en": "An unclosed quote (\") on this line of the staff roster (CSV) swallows the lines after it. Close or remove the quote.",
    },
    # schema
    "schema_required": {"ja": "必須の項目「{field}」がありません。", "en": "Required field '{field}' is missing."},
    "schema_unknown_key": {
        "ja": "「{field}」は使えない項目名です（綴りを確認してください）。使える項目: {allowed}",
        "en": "Unknown field '{field}' (check the spelling). Allowed: {allowed}",
    },
    "schema_unknown_key_suggest": {
        "ja": "「{field}」は使えない項目名です。「{suggestion}」の書き間違いではありませんか。",
        "en": "Unknown field '{field}'. Did you mean '{suggestion}'?",
    },
    "schema_key_spaces": {
        "ja": "項目名「{field}」の前後に空白（全角スペースなど）があります。空白を消し、字下げは半角スペースにしてください。",
        "en": "The field name '{field}' has spaces (perhaps full-width) around it. Remove them; indent with ASCII spaces.",
    },
    "schema_type": {
        "ja": "値の種類が違います。{expected}で書いてください（今は{actual}）。",
        "en": "Wrong kind of value: write {expected} (it is {actual} now).",
    },
    "schema_employee_id": {
        "ja": "職員番号は引用符で囲んで書いてください（例: {field}: \"012345\"）。囲まないと数として読まれ、先頭の 0 が消えたり 0 で始まる番号が別の数になったりします。",
        "en": "Quote employee numbers (e.g. {field}: \"012345\"). Unquoted, they are read as numbers: leading zeros are lost and numbers starting with 0 change value.",
    },
    "schema_number_not_string": {
        "ja": "数として読まれました。文字として書くには引用符で囲んでください（例: \"0836\"）。",
        "en": "This was read as a number. Quote it to write it as text (e.g. \"0836\").",
    },
    "schema_bool_not_string": {
        "ja": "true / false（yes・no・on・off も同じ）として読まれました。文字として書くには引用符で囲んでください（例: \"no\"）。",
        "en": "This was read as true/false (yes, no, on and off are too). Quote it to write it as text (e.g. \"no\").",
    },
    "schema_date": {
        "ja": "日付は 2025-04-01 のように半角の「年-月-日」（月・日は 2 桁）で書いてください。2025/04/01 や 令和7年4月1日 の書き方は使えません。",
        "en": "Write dates as year-month-day with two-digit month and day, e.g. 2025-04-01 (not 2025/04/01 or a Japanese era date).",
    },
    "schema_datetime": {
        "ja": "日時は 2025-04-01T09:00:00+09:00 か 2025-04-01 09:00 のように書いてください（+09:00 を省くと日本時間。日付だけなら 2025-04-01）。2025/04/01 や 令和7年 の書き方は使えません。",
        "en": "Write date-times like 2025-04-01T09:00:00+09:00 or 2025-04-01 09:00 (no zone = Japan time; a date alone is 2025-04-01). Not 2025/04/01 or a Japanese era date.",
    },
    "schema_no_spaces": {"ja": "空白を含めずに書いてください。", "en": "Write it without spaces."},
    "schema_id_chars": {
        "ja": "半角の英小文字・数字・ハイフン（-）・下線（_）だけで書いてください（例: ube-city-x）。",
        "en": "Use lowercase ASCII letters, digits, '-' and '_' only (e.g. ube-city-x).",
    },
    "schema_url": {"ja": "https:// で始まる URL を書いてください。", "en": "Write a URL starting with https://."},
    "schema_enum": {"ja": "使える値は {allowed} のいずれかです。", "en": "The value must be one of {allowed}."},
    "schema_format": {"ja": "{format} の形で書いてください（例: {example}）。", "en": "Write it in {format} format (e.g. {example})."},
    "schema_pattern": {"ja": "値の形式が正しくありません（{pattern}）。", "en": "The value does not have the expected form ({pattern})."},
    "schema_minItems": {"ja": "{limit} 個以上必要です。", "en": "At least {limit} item(s) needed."},
    "schema_maxItems": {"ja": "{limit} 個までです。", "en": "At most {limit} item(s)."},
    "schema_minLength": {"ja": "空にできません（{limit} 文字以上）。", "en": "Must not be empty (at least {limit} characters)."},
    "schema_maxLength": {"ja": "長すぎます（{limit} 文字まで）。", "en": "Too long (at most {limit} characters)."},
    "schema_minimum": {"ja": "{limit} 以上の値にしてください。", "en": "Must be at least {limit}."},
    "schema_maximum": {"ja": "{limit} 以下の値にしてください。", "en": "Must be at most {limit}."},
    "schema_minProperties": {"ja": "空にできません。", "en": "Must not be empty."},
    "schema_other": {"ja": "書式が正しくありません（{validator}）。", "en": "Invalid value ({validator})."},
    # policy / config
    "policy_not_found": {
        "ja": "ポリシー「{ref}」が見つかりません。同梱のポリシー（{available}）の名前か、ポリシーのフォルダ・policy.yaml のパスを書いてください。",
        "en": "Policy '{ref}' not found. Use a bundled policy ({available}) or the path of a policy folder or policy.yaml.",
    },
    "config_path_outside": {
        "ja": "リポジトリの外を指すパスは使えません。リポジトリの最上位からの相対パス（例: posts）を書いてください。",
        "en": "A path outside the repository is not allowed. Write a path relative to the repository top (e.g. posts).",
    },
    "config_contacts_unreadable": {
        "ja": "公開連絡先の一覧 {path} を読めません（{error}）。リポジトリ内の UTF-8 または Shift_JIS の CSV ファイルを指定してください。",
        "en": "The list of public contacts {path} cannot be read ({error}). Name a UTF-8 or Shift_JIS CSV file in the repository.",
    },
    "config_contacts_columns": {
        "ja": "公開連絡先の一覧 {path} に電話番号・住所・メールアドレスの列がありません。1行目に「電話番号」「住所」「メールアドレス」などの列名を書いてください。",
        "en": "The list of public contacts {path} has no phone, address or e-mail column. Name the columns in the first row (電話番号/phone, 住所/address, メールアドレス/e-mail).",
    },
    "policy_duplicate_rule": {"ja": "ルール {rule} が二重に定義されています。", "en": "Rule {rule} is defined twice."},
    "policy_unknown_clause": {
        "ja": "ルール {rule} の条項 {clause} がポリシーの clauses にありません。",
        "en": "Rule {rule} names clause {clause}, which the policy's clauses do not list.",
    },
    "override_loosen": {
        "ja": "rules.{rule}: 重大度を下げる上書きはできません。個別の投稿は waivers で、ルールを止めるには enabled: false と reason を書いてください。",
        "en": "rules.{rule}: an override may not lower a severity. Use a waiver for one post, or enabled: false with a reason.",
    },
    "override_unknown": {"ja": "rules.{rule}: そのようなルールはありません。", "en": "rules.{rule}: no such rule."},
    "override_unknown_suggest": {
        "ja": "rules.{rule}: そのようなルールはありません。「{suggestion}」の誤りではありませんか。",
        "en": "rules.{rule}: no such rule. Did you mean '{suggestion}'?",
    },
    # the policy as data (issue 11): parameters, placeholders, extends (docs/policy-format.md)
    "policy_param_unknown_suggest": {
        "ja": "パラメータ {param} はありません（param_schema にない名前です）。「{suggestion}」の誤りではありませんか。",
        "en": "There is no parameter {param} (no param_schema entry). Did you mean '{suggestion}'?",
    },
    "policy_param_unknown": {
        "ja": "パラメータ {param} はありません（param_schema にない名前です）。使えるパラメータ: {known}。新しいパラメータなら param_schema に型と説明を書いてください。",
        "en": "There is no parameter {param} (no param_schema entry). Known parameters: {known}. For a new parameter, give it a type and a description in param_schema.",
    },
    "policy_param_invalid": {
        "ja": "パラメータ {param} の値が param_schema に合いません: {problem}",
        "en": "The value of parameter {param} does not fit its param_schema: {problem}",
    },
    "policy_param_no_value": {
        "ja": "param_schema にあるパラメータ {param} に値がありません。params に値を書いてください（既定値はポリシーにだけ書きます。「なし」は null と書き、param_schema で null を許してください）。",
        "en": "Parameter {param} has a param_schema entry but no value. Give it a value in params (defaults live only in the policy; write null for 'none' and allow null in param_schema).",
    },
    "policy_param_undefined": {
        "ja": "ルール {rule} はパラメータ {param} を使いますが、ポリシーにありません。このルールの params と param_schema（または共通の params と param_schema）に書いてください。",
        "en": "Rule {rule} uses parameter {param}, which the policy does not define. Add it to the rule's params and param_schema (or to the shared params and param_schema).",
    },
    "policy_placeholder_unknown": {
        "ja": "差し込み {placeholder} はパラメータにありません。パラメータの名前を確かめてください。",
        "en": "Placeholder {placeholder} names no parameter. Check the parameter's name.",
    },
    "policy_placeholder_filter": {
        "ja": "差し込み {placeholder} の書式は使えません（使えるもの: duration、words、thousands）。",
        "en": "Placeholder {placeholder} has an unknown filter (known: duration, words, thousands).",
    },
    "policy_placeholder_bare": {
        "ja": "{placeholder} は説明文では使えません。パラメータの値は {{params.名前}} と書きます（値を文に直接書くと、値を変えたときに説明が古くなります）。",
        "en": "{placeholder} cannot be used in documentation. Write a parameter's value as {{params.NAME}} (a value written into the text goes stale when the value changes).",
    },
    "policy_message_placeholders": {
        "ja": "ルール {rule} のメッセージ {variant}: 日本語と英語で差し込み項目が違います（{fields}）。",
        "en": "Rule {rule}, message {variant}: the Japanese and English texts use different placeholders ({fields}).",
    },
    "policy_lexicon_clause": {
        "ja": "語彙 {lexicon} の項目 {entry} の条項 {clause} がポリシーの clauses にありません（近いもの: {suggestion}）。",
        "en": "Lexicon {lexicon}, entry {entry}: clause {clause} is not among the policy's clauses (closest: {suggestion}).",
    },
    "policy_rule_not_runnable": {
        "ja": "ルール {rule} を実行できるものがありません（組み込みの実装もプラグインもありません）。このままでは何も確認されません。実装を入れるか、ルールを削除してください（extends したポリシーでは remove: {{rules: [{rule}]}}）。",
        "en": "Nothing can run rule {rule} (no built-in implementation, no plugin): it would check nothing. Install its implementation or remove the rule (in an extending policy: remove: {{rules: [{rule}]}}).",
    },
    "policy_version_not_increasing": {
        "ja": "版（version）{version} が、元のポリシー {base} の版 {base_version} より大きくありません。新しい版は元の版より大きくしてください。",
        "en": "Version {version} is not higher than version {base_version} of the policy it extends ({base}). A new version must be higher.",
    },
    "policy_clause_no_reason": {
        "ja": "条項 {clause} は確認できない（checkable: false）とされていますが、理由（reason）がありません。",
        "en": "Clause {clause} is not checkable (checkable: false) but gives no reason.",
    },
    "policy_clause_no_rule": {
        "ja": "条項 {clause} は確認できる（checkable）とされていますが、確認するルールがありません。",
        "en": "Clause {clause} is checkable, but no rule checks it.",
    },
    "lexicon_example_match": {
        "ja": "語彙 {lexicon} の項目 {entry}: 用例「{example}」（examples.match）に一致しません。表記か用例を直してください。",
        "en": "Lexicon {lexicon}, entry {entry}: example '{example}' (examples.match) does not match. Correct the spellings or the example.",
    },
    "lexicon_example_no_match": {
        "ja": "語彙 {lexicon} の項目 {entry}: 一致しないはずの用例「{example}」（examples.no_match）に一致します。",
        "en": "Lexicon {lexicon}, entry {entry}: example '{example}' (examples.no_match) matches but should not.",
    },
    "policy_extends_not_found": {
        "ja": "extends のポリシー「{ref}」が見つかりません。同梱のポリシー（{available}）の名前か、このファイルのフォルダからの相対パスを書いてください。",
        "en": "The policy to extend, '{ref}', was not found. Use a bundled policy ({available}) or a path relative to this file's folder.",
    },
    "policy_extends_cycle": {
        "ja": "extends が循環しています: {chain}",
        "en": "extends goes round in a circle: {chain}",
    },
    "policy_extends_too_deep": {
        "ja": "extends のつながりが長すぎます（{limit} まで）。",
        "en": "The chain of extends is too long (at most {limit}).",
    },
    "policy_remove_unknown": {
        "ja": "remove.{what}: 「{name}」は元のポリシーにありません（近いもの: {suggestion}）。",
        "en": "remove.{what}: '{name}' is not in the policy this one extends (closest: {suggestion}).",
    },
    "policy_remove_without_extends": {
        "ja": "remove は、ほかのポリシーを extends するときだけ使えます。",
        "en": "remove is only for a policy that extends another one.",
    },
    "policy_duplicate_lexicon": {"ja": "語彙 {lexicon} が二重に定義されています。", "en": "Lexicon {lexicon} is defined twice."},
    # the words of a parameter's unit (param_schema: unit)
    "unit.days": {"ja": "日", "en": "days"},
    "unit.hours": {"ja": "時間", "en": "hours"},
    "unit.characters": {"ja": "文字", "en": "characters"},
    "unit.bytes": {"ja": "バイト", "en": "bytes"},
    "unit.people": {"ja": "人", "en": "people"},
    "unit.items": {"ja": "件", "en": "items"},
    "unit.hashtags": {"ja": "個", "en": "hashtags"},
    "unit.points": {"ja": "点", "en": "points"},
    "unit.bits": {"ja": "ビット", "en": "bits"},
    # plugins (snspolicy.plugins)
    "plugin_load_error": {
        "ja": "プラグイン「{plugin}」（{target}）を読み込めません（{error}）。プラグインを入れ直すか、管理者に連絡してください。",
        "en": "Cannot load plugin '{plugin}' ({target}): {error}. Reinstall the plugin or contact its maintainer.",
    },
    "plugin_fragment_missing": {
        "ja": "プラグイン「{plugin}」のルール定義ファイル（POLICY）が見つかりません: {fragment}",
        "en": "The rules fragment (POLICY) of plugin '{plugin}' does not exist: {fragment}",
    },
    "plugin_rule_missing": {
        "ja": "プラグイン「{plugin}」はルール {rule} を定義していますが、その処理（@rule）を登録していません。",
        "en": "Plugin '{plugin}' declares rule {rule} but does not register its implementation (@rule).",
    },
    "plugin_rule_foreign": {
        "ja": "プラグイン「{plugin}」のルール {rule} は、別のモジュール（{module}）の処理と同じ ID です。ID を変えてください。",
        "en": "Rule {rule} of plugin '{plugin}' has the id of an implementation in another module ({module}). Rename it.",
    },
    "internal_error": {
        "ja": "ルール {rule} の実行中に内部エラーが起きました（{error}）。snspolicy の不具合です。報告してください。",
        "en": "Internal error in rule {rule} ({error}). This is a bug in snspolicy; please report it.",
    },
}

FORMAT_EXAMPLES: dict[str, str] = {"date": "2025-04-01", "date-time": "2025-04-01T09:00:00+09:00", "uri": "https://…", "email": "name@example.jp"}
TYPE_NAMES: dict[str, dict[str, str]] = {
    "ja": {"string": "文字", "integer": "整数", "number": "数", "boolean": "true か false",
           "object": "「キー: 値」の項目（1 段下げて書く）", "array": "リスト（- で始まる行、または [a, b]）", "null": "空（null）"},
    "en": {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
           "object": "'key: value' fields (indented below)", "array": "a list ('- ' lines or [a, b])", "null": "null"},
}
ACTUAL_NAMES: dict[str, dict[str, str]] = {
    "ja": {"string": "文字", "integer": "数", "number": "数", "boolean": "true/false", "object": "「キー: 値」の項目",
           "array": "リスト", "null": "空", "other": "その他"},
    "en": {"string": "a string", "integer": "a number", "number": "a number", "boolean": "true/false",
           "object": "'key: value' fields", "array": "a list", "null": "empty", "other": "something else"},
}
