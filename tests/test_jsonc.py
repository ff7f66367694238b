"""``snspolicy.io.jsonc``: adding keys to a VS Code JSONC file without losing a byte of it."""

from __future__ import annotations

import json

import pytest

from snspolicy.io.jsonc import JsoncError, loads, merge

WANTED = {"glspc.server.command": "snspolicy", "glspc.server.commandArguments": ["lsp"],
          "glspc.server.initializationOptions": {"lang": "ja", "debounceMs": 300}}
RECS = {"recommendations": ["redhat.vscode-yaml", "zsol.vscode-glspc"]}


@pytest.mark.parametrize("text", ["", "  \n", "{}", "{ /* 空 */ }", '{"a": 1}', '{\n  "a": 1,\n}\n',
                                  '{\n    // 課の設定\n    "editor.fontSize": 14, // 大きめ\n    "b": [1, 2]\n}\n'])
def test_missing_keys_are_added_and_everything_else_stays(text):
    m = merge(text, WANTED)
    data = loads(m.text)
    for key, value in WANTED.items():
        assert data[key] == value
    if text.strip():
        old = loads(text)
        assert {k: data[k] for k in old} == old  # the user's keys and values, unchanged
        # every comment and every existing line is still there, in order
        kept = [ln for ln in text.splitlines() if ln.strip() not in ("}", "{}", "")]
        pos = 0
        for line in kept:
            core = line.rstrip().rstrip(",").rstrip("}").strip()
            found = m.text.find(core, pos)
            assert found >= 0, (line, m.text)
            pos = found
    assert m.added == list(WANTED) and m.kept == []


def test_indentation_of_the_file_is_followed():
    text = '{\n    "editor.tabSize": 4\n}\n'
    out = merge(text, {"x": 1}).text
    assert out == '{\n    "editor.tabSize": 4,\n    "x": 1\n}\n'


def test_the_users_value_wins_and_is_reported_as_kept():
    text = '{"glspc.server.command": "/opt/venv/bin/snspolicy"}'
    m = merge(text, WANTED)
    assert loads(m.text)["glspc.server.command"] == "/opt/venv/bin/snspolicy"
    assert m.kept == ["glspc.server.command"] and "glspc.server.command" not in m.added


@pytest.mark.parametrize("text,want", [
    ('{"recommendations": ["ms-python.python"]}', ["ms-python.python", "redhat.vscode-yaml", "zsol.vscode-glspc"]),
    ('{"recommendations": []}', ["redhat.vscode-yaml", "zsol.vscode-glspc"]),
    ('{\n  "recommendations": [\n    "redhat.vscode-yaml", // YAML\n  ]\n}', ["redhat.vscode-yaml", "zsol.vscode-glspc"]),
    ('{"recommendations": ["a" /* x, y */ ,]}', ["a", "redhat.vscode-yaml", "zsol.vscode-glspc"]),
    ('{\n  "unwantedRecommendations": []\n}', ["redhat.vscode-yaml", "zsol.vscode-glspc"]),
])
def test_arrays_in_union_get_the_missing_items(text, want):
    m = merge(text, RECS, union=("recommendations",))
    assert loads(m.text)["recommendations"] == want
    if "// YAML" in text:
        assert "// YAML" in m.text


def test_nothing_missing_changes_nothing():
    text = '{\n  // mine\n  "recommendations": ["zsol.vscode-glspc", "redhat.vscode-yaml"]\n}\n'
    m = merge(text, RECS, union=("recommendations",))
    assert m.added == [] and m.text == text


@pytest.mark.parametrize("text,line", [("[]", 1), ("{", 1), ('{"a" 1}', 1), ("{/* never closed", 1),
                                       ('{"a": 1} extra', 1), ("{'a': 1}", 1), ('{\n"a": 1\n"b": 2}', 3),
                                       ('{"a": tru}', 1)])
def test_what_is_not_a_jsonc_object_is_refused_with_a_place(text, line):
    with pytest.raises(JsoncError) as err:
        merge(text, WANTED)
    assert err.value.span.line == line


def test_strings_with_comment_markers_are_not_comments():
    text = '{"url": "https://example.jp/*not a comment*/", "b": "// neither"}'
    m = merge(text, {"c": 1})
    assert loads(m.text) == {**json.loads(text), "c": 1}
