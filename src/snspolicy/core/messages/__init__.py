"""The one ja/en message catalogue of snspolicy (rule messages live in the policy, not here).

Every text the tool shows, other than a rule's own message, is an entry ``code -> {"ja", "en"}``
looked up with :func:`message`. The tables are split by who raises or shows them:

- :mod:`.input`: reading files, schemas, the policy and ``snspolicy.yaml``, plugins
  (codes such as ``yaml_tab``, ``schema_required``, ``policy_not_found``);
- :mod:`.commands`: the command line, ``<command>.<what>`` (``registry.stale``, ``cli.io_error``);
- :mod:`.reports`: the reporters' chrome, ``reporter.<what>`` (clause headings are the policy's);
- :mod:`.gate`: refusing unsafe input, outputs and edits (issue 12: paths outside the repo, unsafe
  regexes, missing libraries, slow rules);
- :mod:`.git`: the git calls of the pull-request workflow (``git.<what>``);
- :mod:`.policy_data`: a policy's vocabularies and its rules of a generic kind (issue 11).

Templates use ``str.format`` fields (``{path}``); a missing parameter stays visible as
``{name}`` instead of failing, a list is joined (「、」 in Japanese), and a parameter that is
itself a :class:`~snspolicy.core.errors.UserError` is rendered in the same language, so that
errors can be composed without finishing a sentence early. ``tests/core/test_messages.py``
checks that every code the source uses exists in both languages and every entry is used.
"""

from __future__ import annotations

from typing import Any

from snspolicy.core.errors import UserError
from snspolicy.core.messages.commands import COMMANDS
from snspolicy.core.messages.gate import GATE
from snspolicy.core.messages.git import GIT
from snspolicy.core.messages.input import ACTUAL_NAMES, FORMAT_EXAMPLES, INPUT, TYPE_NAMES
from snspolicy.core.messages.policy_data import POLICY_DATA
from snspolicy.core.messages.reports import REPORTS

__all__ = ["CATALOGUE", "fmt_value", "format_template", "lang_of", "message"]

#: every message: code -> {"ja": template, "en": template}
CATALOGUE: dict[str, dict[str, str]] = {**INPUT, **COMMANDS, **REPORTS, **GATE, **POLICY_DATA, **GIT}
assert len(CATALOGUE) == len(INPUT) + len(COMMANDS) + len(REPORTS) + len(GATE) + len(POLICY_DATA) + len(GIT), \
    "a message code is defined twice"


def lang_of(lang: object) -> str:
    """``"en"`` for English (``en``, ``en_US`` …), ``"ja"`` for anything else: Japanese is the default."""
    return "en" if str(lang or "").strip().lower().startswith("en") else "ja"


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fmt_value(v: Any, lang: str) -> str:
    """A parameter as text: lists joined, a nested user error rendered in ``lang``."""
    if isinstance(v, UserError):
        return message(v.code, lang, **v.params)
    if isinstance(v, (list, tuple, set)):
        sep = "、" if lang_of(lang) == "ja" else ", "
        return sep.join(str(x) for x in v)
    return str(v)


def format_template(template: str, params: dict[str, Any], lang: str) -> str:
    """Fill ``template`` (a catalogue entry or a policy's rule message) with ``params``."""
    safe = _Safe({k: fmt_value(v, lang) for k, v in params.items()})
    try:
        return template.format_map(safe)
    except (ValueError, IndexError, AttributeError):
        return template


def message(code: str, lang: str = "ja", **params: Any) -> str:
    """The message ``code`` in ``lang``, filled with ``params``; an unknown code shows itself.

    Schema messages get their ``expected``, ``actual`` and ``format`` parameters translated,
    and a ``where`` parameter (the key path in the file) is put in front.
    """
    lang = lang_of(lang)
    m = CATALOGUE.get(code) or {"ja": code, "en": code}
    if "expected" in params:
        names = TYPE_NAMES[lang]
        expected = [names.get(t, t) for t in params["expected"]]
        params["expected"] = ("、または " if lang == "ja" else ", or ").join(expected)
    if "actual" in params:
        params["actual"] = ACTUAL_NAMES[lang].get(params["actual"], params["actual"])
    if "format" in params:
        params.setdefault("example", FORMAT_EXAMPLES.get(params["format"], "…"))
    text = format_template(m.get(lang) or m["ja"], params, lang)
    where = params.get("where")
    if where:
        text = f"{where}: {text}"
    return text
