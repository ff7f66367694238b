"""Messages about a policy's own data (issue 11, "policy is data"): its ``vocabularies:`` section
(codes ``vocab.*``, shown inside ``policy_vocabulary_invalid``) and its rules of a generic kind
(``generic.*``, shown inside ``policy_generic_invalid``), and a rule that nothing can run."""

from __future__ import annotations

POLICY_DATA: dict[str, dict[str, str]] = {
    # --- vocabularies
    "policy_vocabulary_invalid": {
        "ja": "ポリシーの {where} に誤りがあります: {problem} 直すまで検査しません（docs/policy-authoring.md の「語彙」）。",
        "en": "The policy's {where} is invalid: {problem} Nothing is checked until it is fixed (docs/policy-authoring.md, \"Vocabularies\").",
    },
    "vocab.missing": {
        "ja": "vocabularies（承認者・在職区分・課等の長・不正アクセス対応の手順など、市ごとに違う語）がありません。",
        "en": "vocabularies (approvers, roster statuses, section heads, incident steps: the words that differ between cities) is missing.",
    },
    "vocab.missing_part": {"ja": "{part} がありません。", "en": "{part} is missing."},
    "vocab.role_field": {
        "ja": "役割 {role} に、その人を書くアカウントファイルの項目（field、例: manager、deputies）がありません。",
        "en": "Role {role} has no field (the account file's field naming its people, e.g. manager or deputies).",
    },
    "vocab.no_roles": {"ja": "承認者の役割（roles）が 1 つもありません。", "en": "No approver role (roles) is defined."},
    "vocab.approve_missing": {
        "ja": "{what} を承認できる役割（approve.{what}）がありません。",
        "en": "Who may approve {what} (approve.{what}) is missing.",
    },
    "vocab.approve_empty": {
        "ja": "{what} を承認できる役割（approve.{what}）が空です。少なくとも 1 つの役割を書いてください。",
        "en": "No role may approve {what} (approve.{what} is empty). Name at least one role.",
    },
    "vocab.approve_unknown": {
        "ja": "承認の種類 {what} は使えません（使えるもの: {known}）。",
        "en": "{what} is not a kind of approval (known: {known}).",
    },
    "vocab.unknown_role": {
        "ja": "役割 {role} は roles にありません（定義済み: {roles}）。",
        "en": "Role {role} is not defined in roles (defined: {roles}).",
    },
    "vocab.state": {
        "ja": "在職区分の読み方 {state} は使えません（使えるもの: {known}）。",
        "en": "{state} is not a staff state (known: {known}).",
    },
    "vocab.status_words": {
        "ja": "contains（在職区分に含まれる語）が空です。",
        "en": "contains (the words of a roster status) is empty.",
    },
    "vocab.head_words": {
        "ja": "課等の長の職名（endings か exact）が 1 つもありません。",
        "en": "No section-head title is given (endings or exact).",
    },
    "vocab.step_key": {
        "ja": "手順 {step} は不正アクセスの記録（incidents/*.yaml の steps）にない項目です（使えるもの: {known}）。",
        "en": "Step {step} is not a field of the incident record (incidents/*.yaml steps; known: {known}).",
    },
    "vocab.step_twice": {"ja": "手順 {step} が 2 回書かれています。", "en": "Step {step} is listed twice."},
    "vocab.no_steps": {"ja": "不正アクセス対応の手順（steps）が 1 つもありません。", "en": "No incident step (steps) is defined."},
    # --- rules of a generic kind
    "policy_generic_invalid": {
        "ja": "ルール {rule} の {where} に誤りがあります: {problem} 直すまで検査しません（docs/policy-authoring.md の「汎用の種類」）。",
        "en": "Rule {rule}: {where} is invalid: {problem} Nothing is checked until it is fixed (docs/policy-authoring.md, \"Generic kinds\").",
    },
    "generic.kind": {"ja": "種類（kind）{kind} はありません（使えるもの: {known}）。", "en": "There is no kind {kind} (known: {known})."},
    "generic.builtin_id": {
        "ja": "{rule} は実装のある組み込みルールの ID です。kind を付けるルールには新しい ID を付けてください。",
        "en": "{rule} is the id of a rule with its own implementation. Give a rule with a kind a new id.",
    },
    "generic.unknown_param": {
        "ja": "パラメータ {param} は kind: {kind} にはありません（近いもの: {suggestion}。使えるもの: {known}）。",
        "en": "kind: {kind} has no parameter {param} (closest: {suggestion}; known: {known}).",
    },
    "generic.condition": {
        "ja": "{param} は「項目: 値」の対応表で書いてください（例: {{status: [active, suspended]}}）。",
        "en": "Write {param} as a mapping of field to value (e.g. {{status: [active, suspended]}}).",
    },
    "generic.path": {
        "ja": "{param} の項目名 {path} が正しくありません。ドット区切りの項目名（例: security.password.last_changed_on、リストの各項目は *）で書いてください。",
        "en": "{param}: {path} is not a field name. Write a dotted field name (e.g. security.password.last_changed_on; * for every item of a list).",
    },
    "generic.lexicons": {
        "ja": "lexicons に、使う語彙リストの名前を 1 つ以上並べてください。",
        "en": "lexicons must list the names of one or more lexicons.",
    },
    "generic.unknown_lexicon": {
        "ja": "語彙リスト {lexicon} はポリシーにありません（あるもの: {known}）。",
        "en": "The policy has no lexicon {lexicon} (it has: {known}).",
    },
    "generic.patterns": {
        "ja": "patterns に、正規表現を 1 つ以上（文字列で）並べてください。",
        "en": "patterns must list one or more regular expressions (as strings).",
    },
    "generic.document": {
        "ja": "document {document} は検査できる文書ではありません（使えるもの: {known}）。",
        "en": "document {document} is not a kind of document that can be checked (known: {known}).",
    },
    "generic.no_checks": {
        "ja": "確認することが書かれていません（{checks} のどれかを書いてください）。",
        "en": "Nothing to check is given (give one of {checks}).",
    },
    "generic.paths": {
        "ja": "{param} は項目名（ドット区切り）のリストで書いてください。",
        "en": "{param} must be a list of (dotted) field names.",
    },
    "generic.allowed": {
        "ja": "allowed は「項目名: [許される値, …]」の対応表で書いてください。",
        "en": "allowed must map field names to lists of allowed values.",
    },
    "generic.order": {
        "ja": "order は [先の日付の項目, 後の日付の項目] の組のリストで書いてください。",
        "en": "order must be a list of pairs [earlier field, later field].",
    },
    "generic.max_age_days": {
        "ja": "max_age_days は「日付の項目: 日数（1 以上の整数）」の対応表で書いてください。",
        "en": "max_age_days must map date fields to a number of days (an integer of 1 or more).",
    },
}
