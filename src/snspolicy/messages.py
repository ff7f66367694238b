"""Messages of the engine and the CLI (rule messages live in the policy)."""

from __future__ import annotations

from typing import Any

_M: dict[str, dict[str, str]] = {
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
        "ja": "投稿ファイルの先頭に '---' で囲んだ YAML の項目（フロントマター）がありません。",
        "en": "The post has no YAML front matter between '---' lines at the top.",
    },
    "not_utf8": {
        "ja": "文字コードが UTF-8 ではありません。UTF-8 で保存し直してください（内容は変更していません）。",
        "en": "The file is not UTF-8. Save it again as UTF-8 (nothing was changed).",
    },
    "not_utf8_legacy": {
        "ja": "文字コードが UTF-8 ではありません（{encoding} と思われます）。エディタで「UTF-8」を選んで保存し直してください（内容は変更していません）。",
        "en": "The file is not UTF-8 (it looks like {encoding}). Save it again as UTF-8 in your editor (nothing was changed).",
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
    "roster_header": {
        "ja": "職員名簿（CSV）の見出し行に必要な列（{columns}）がありません。",
        "en": "The staff roster (CSV) header lacks the required columns ({columns}).",
    },
    # schema
    "schema_required": {"ja": "必須の項目「{field}」がありません。", "en": "Required field '{field}' is missing."},
    "schema_unknown_key": {
        "ja": "「{field}」は使えない項目名です（綴りを確認してください）。",
        "en": "Unknown field '{field}' (check the spelling).",
    },
    "schema_type": {"ja": "値の型が違います（{expected} で書いてください）。", "en": "Wrong type of value (expected {expected})."},
    "schema_enum": {"ja": "使える値は {allowed} のいずれかです。", "en": "The value must be one of {allowed}."},
    "schema_format": {"ja": "{format} の形式で書いてください（例: {example}）。", "en": "Write it in {format} format (e.g. {example})."},
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
    "policy_not_found": {"ja": "ポリシー「{ref}」が見つかりません。", "en": "Policy '{ref}' not found."},
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

_FORMAT_EXAMPLES = {"date": "2025-04-01", "date-time": "2025-04-01T09:00:00+09:00", "uri": "https://…", "email": "name@example.jp"}
_TYPE_NAMES = {
    "ja": {"string": "文字列（例: \"100001\" のように引用符で囲む）", "integer": "整数", "number": "数値", "boolean": "true か false", "object": "項目の一覧（キー: 値）", "array": "リスト（- で始まる行）", "null": "空（null）"},
    "en": {"string": "a string (quote it, e.g. \"100001\")", "integer": "an integer", "number": "a number", "boolean": "true or false", "object": "a mapping (key: value)", "array": "a list", "null": "null"},
}


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fmt_value(v: Any, lang: str) -> str:
    if isinstance(v, (list, tuple, set)):
        sep = "、" if lang == "ja" else ", "
        return sep.join(str(x) for x in v)
    return str(v)


def format_template(template: str, params: dict[str, Any], lang: str) -> str:
    safe = _Safe({k: fmt_value(v, lang) for k, v in params.items()})
    try:
        return template.format_map(safe)
    except (ValueError, IndexError, AttributeError):
        return template


def message(code: str, lang: str = "ja", **params: Any) -> str:
    m = _M.get(code) or {"ja": code, "en": code}
    if "expected" in params:
        names = _TYPE_NAMES.get(lang, _TYPE_NAMES["en"])
        params["expected"] = [names.get(t, t) for t in params["expected"]]
    if "format" in params:
        params.setdefault("example", _FORMAT_EXAMPLES.get(params["format"], "…"))
    text = format_template(m.get(lang) or m["en"], params, lang)
    where = params.get("where")
    if where:
        text = f"{where}: {text}"
    return text
