"""Messages of the pull-request workflow's git calls (``lint --base`` / ``--policy-from``,
``policy diff REF:path``): ``git.<what>``."""

from __future__ import annotations

GIT: dict[str, dict[str, str]] = {
    "git.no_git": {
        "ja": "git コマンドが見つかりません。git をインストールしてください（--base / --policy-from には git が必要です）。",
        "en": "The git command was not found. Install git (--base and --policy-from need it).",
    },
    "git.not_repo": {
        "ja": "{root} は git リポジトリではありません。--base / --policy-from は git で管理している投稿リポジトリで使ってください。",
        "en": "{root} is not a git repository. Use --base / --policy-from in a posts repo managed with git.",
    },
    "git.missing_ref": {
        "ja": "比較の基準「{ref}」が git にありません。CI の浅いクローン（shallow clone）では先に基準を取得してください: `{fetch}`（ブランチ名・タグ名の綴りも確認してください）",
        "en": "The base '{ref}' is not in git. In a shallow CI clone, fetch it first: `{fetch}` (also check the spelling of the branch or tag).",
    },
    "git.no_merge_base": {
        "ja": "「{ref}」と現在のコミットの共通の祖先が見つかりません（浅いクローンで履歴が足りません）。履歴を取得してください: `git fetch --deepen=100 origin`（または `git fetch --unshallow`。GitHub Actions では actions/checkout の fetch-depth: 0）",
        "en": "No common ancestor of '{ref}' and the current commit (the shallow clone lacks history). Fetch more history: `git fetch --deepen=100 origin` (or `git fetch --unshallow`; in GitHub Actions, actions/checkout with fetch-depth: 0).",
    },
    "git.timeout": {
        "ja": "git {command} が {seconds} 秒で終わりませんでした。",
        "en": "git {command} did not finish within {seconds} seconds.",
    },
    "git.failed": {
        "ja": "git {command} が失敗しました（終了コード {code}）: {detail}",
        "en": "git {command} failed (exit status {code}): {detail}",
    },
    "git.policy_not_at_ref": {
        "ja": "ポリシー「{policy}」が {ref} にありません（--policy-from {ref}）。ポリシーを追加・変更するプルリクエストと投稿のプルリクエストは分けてください。",
        "en": "Policy '{policy}' does not exist at {ref} (--policy-from {ref}). Put a new or changed policy in its own pull request, apart from posts.",
    },
}
