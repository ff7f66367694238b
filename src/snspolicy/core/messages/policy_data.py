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
}
