"""Who may do what: section heads (各課等の長), approvers, and who is present (the roster).

Guideline knowledge shared by the account rules (3(1), 3(2), 4(4)) and the post rules (5, 6(9)),
defined once here.

Section heads — the decision
----------------------------
Clause 3(1) makes the account's manager the 情報セキュリティ管理者（各課等の長）, and 6(9) lets
a 各課等の長 permit an author who is not staff. There is ONE test, :func:`is_section_head`, used
by both, and its words are the policy's (``vocabularies.section_heads``, read by
:mod:`snspolicy.domain.vocabulary`; no word list lives in Python):

* a title (職名) is a head's when it ends in one of ``endings`` (課長, 館長, センター長 …) and
  that ending is not right after one of ``not_after`` (副館長, 担当課長, 代理課長 end like a
  head's title but are not one; 課長補佐, 課長代理 and 係長 do not end in a head's ending);
* or when it is one of ``exact`` (the whole title): Ube's policy lists the heads of the city's
  executive organs — 市長, 副市長, 教育長, 会計管理者 — because they rank above every 各課等の長
  in the city's information-security organisation, and rejecting them would report the mayor's
  own office as "not a section head";
* the title is read NFKC-normalized, without white space and without a trailing note in
  brackets (``広報広聴課長（事務取扱）`` is read as ``広報広聴課長``).

Approvers
---------
Which account fields name the people who may approve (the manager, the deputies …) is the
policy's ``vocabularies.approvers``: :func:`approver_ids` takes those fields, in order. After a
change of manager, approvals given earlier by the people of that time stay valid
(:func:`approved_earlier_regime`).

Who is present
--------------
:func:`staff_state` reads a roster member's 在職区分 with the policy's ``vocabularies.staff_statuses``
(``active`` / ``leave`` / ``gone``); :func:`roster_departments` and :func:`same_department`
compare departments (兼務, 係).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from snspolicy.core.regexsafe import SafePattern, UnsafePattern, compile_safe
from snspolicy.core.values import parse_date, same_id

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.documents import Document
    from snspolicy.io.roster import Roster, StaffMember

__all__ = [
    "HeadTitles",
    "StatusWords",
    "approved_earlier_regime",
    "approver_ids",
    "current_approvers",
    "employee_id_text",
    "fold_name",
    "head_status",
    "is_section_head",
    "roster_departments",
    "roster_state",
    "same_department",
    "staff_state",
]


def fold_name(text: Any) -> str:
    """A name (of a person or a department) as compared: NFKC, no white space at all, case-folded.

    HR writes ``常盤　正和``, YAML ``常盤 正和``: both give ``常盤正和``.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def employee_id_text(value: Any) -> str | None:
    """An employee id as stripped text, or None when absent or blank (ids are compared as text;
    a mapping, a list or a boolean is not an id)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    s = str(value).strip()
    return s or None


# --------------------------------------------------------------------------- section heads


@dataclass(frozen=True)
class HeadTitles:
    """What makes a title a section head's: a regular expression it must match (searched in
    the normalized title) and one it must not match (empty: none). Built from the policy's
    words with :meth:`from_words` (the words are escaped: the expressions are always valid)."""

    pattern: str
    not_pattern: str = ""

    @classmethod
    def from_words(cls, suffixes: Iterable[Any], not_prefixes: Iterable[Any] = (),
                   exact: Iterable[Any] = ()) -> HeadTitles:
        """A title ending in one of ``suffixes`` (``課長``, ``館長`` …), not right after one of
        ``not_prefixes`` (``副``, ``担当``), or equal to one of ``exact``."""
        ends = [re.escape(_normal(s)) for s in suffixes if _normal(s)]
        whole = [re.escape(_normal(s)) for s in exact if _normal(s)]
        parts = ([f"(?:{'|'.join(ends)})$"] if ends else []) + ([f"^(?:{'|'.join(whole)})$"] if whole else [])
        pres = [re.escape(_normal(p)) for p in not_prefixes if _normal(p)]
        not_pattern = f"(?:{'|'.join(pres)})(?:{'|'.join(ends)})$" if pres and ends else ""
        return cls("|".join(parts) if parts else r"(?!)", not_pattern)


def _normal(title: Any) -> str:
    """NFKC, without a trailing note in brackets (``（事務取扱）``) and without white space."""
    t = unicodedata.normalize("NFKC", str(title or "")).strip()
    t = re.sub(r"[（(][^）)]*[）)]\s*$", "", t)
    return re.sub(r"\s+", "", t)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> SafePattern | None:
    try:
        return compile_safe(pattern)
    except UnsafePattern:
        return None


def _search(pattern: str, text: str) -> bool | None:
    """Does ``pattern`` occur in ``text``? None when the pattern is not a valid expression or one
    that could backtrack for ever (:func:`snspolicy.core.regexsafe.check_pattern`). The search has
    a time limit: :class:`~snspolicy.core.regexsafe.RegexTimeout` stops the run (exit status 2)."""
    compiled = _compiled(pattern)
    if compiled is None:
        return None
    return compiled.search(text) is not None


def is_section_head(title: Any, titles: HeadTitles) -> bool:
    """Is ``title`` (職名) that of a section head (各課等の長)? See the module docstring.

    With Ube's words: ``広報広聴課長``, ``中央図書館長``, ``市長`` yes; ``課長補佐``, ``副課長``,
    ``担当課長``, ``副館長``, ``係長`` no. A pattern that is not a valid regular expression, or
    one that could backtrack catastrophically (``^(a+)+$``), accepts nothing (a broken test must
    not accept every title, nor hang); a search that times out raises ``RegexTimeout``.
    """
    t = _normal(title)
    if not t:
        return False
    if titles.not_pattern and _search(titles.not_pattern, t):
        return False
    return bool(_search(titles.pattern, t))


def _titles_in_accounts(accounts: Iterable[Document], eid: str) -> list[str]:
    """The titles the account files give ``eid`` (as manager or deputy)."""
    titles: list[str] = []
    for acc in accounts:
        deputies = acc.get("deputies")
        people = [acc.get("manager")] + (list(deputies) if isinstance(deputies, list) else [])
        for p in people:
            if isinstance(p, dict) and same_id(p.get("employee_id"), eid) and isinstance(p.get("title"), str) and p["title"].strip():
                titles.append(p["title"])
    return titles


def head_status(eid: str, account: Document | None, accounts: Mapping[str, Document], roster: Roster | None,
                titles: HeadTitles) -> bool | None:
    """Is ``eid`` a section head? True: yes; False: known not to be one; None: nothing is known.

    The manager of any account is a head (3(1) makes the manager 各課等の長). Otherwise the
    title decides: the roster's 職名 when a roster is configured and lists ``eid``, else the
    titles given to ``eid`` in account files (manager / deputies entries).
    """
    if account is not None and same_id(account.get("manager", "employee_id"), eid):
        return True
    if any(same_id(a.get("manager", "employee_id"), eid) for a in accounts.values()):
        return True
    member = roster.get(eid) if roster is not None else None
    found = [member.title] if member is not None and member.title else _titles_in_accounts(accounts.values(), eid)
    if not found:
        return None
    return any(is_section_head(t, titles) for t in found)


# --------------------------------------------------------------------------- approvers


def approver_ids(account: Document | None, fields: Iterable[str]) -> list[str]:
    """Employee ids allowed to approve, in order: the people the account names in ``fields``
    (the policy's approver roles for this kind of approval, e.g. ``manager`` then ``deputies``).

    A field holds one person or a list of them; a person is a mapping with ``employee_id`` or
    an id written directly; an id is text or a number (compared as stripped text), never a
    boolean or a blank."""
    if account is None:
        return []
    out: list[str] = []
    for name in fields:
        value = account.get(*name.split(".")) if name else None
        for p in value if isinstance(value, list) else [value]:
            raw = p.get("employee_id") if isinstance(p, dict) else p
            eid = employee_id_text(raw) if isinstance(raw, (str, int)) else None
            if eid and eid not in out:
                out.append(eid)
    return out


def current_approvers(account: Document | None, fields: Iterable[str]) -> set[str]:
    """:func:`approver_ids` as a set."""
    return set(approver_ids(account, fields))


def approved_earlier_regime(account: Document | None, approved_by: Any, when: Any, fields: Iterable[str]) -> bool:
    """Was this approval given under an earlier manager? True when ``approved_by`` is not one of
    the account's current approvers (``fields``) and ``when`` is before the account's
    ``approval.approved_on``.

    After a change of manager (人事異動 on 4月1日) the new manager approves the account again
    (3(1)); approvals of posts, revisions and deletions given before that by the manager or a
    deputy of the time stay valid: they are history, not something to approve again.
    """
    if account is None or approved_by is None or isinstance(approved_by, bool):
        return False
    if str(approved_by).strip() in current_approvers(account, fields):
        return False
    since = parse_date(account.get("approval", "approved_on"))
    on = parse_date(when) if not isinstance(when, bool) else None
    return since is not None and on is not None and on < since


# --------------------------------------------------------------------------- who is present


class StatusWords(Protocol):
    """One line of the policy's roster-status table (:class:`snspolicy.domain.vocabulary.StatusRule`):
    a 在職区分 containing one of ``contains`` (NFKC, lower case) is ``state``."""

    @property
    def state(self) -> str: ...

    @property
    def contains(self) -> tuple[str, ...]: ...


def staff_state(member: Any, statuses: Iterable[StatusWords]) -> str:
    """``'active'``, ``'leave'`` or ``'gone'`` for a roster member, by its 在職区分 and the policy's
    table ``statuses``: the first line with a word the status contains gives the state; a status
    no line matches (在職, 会計年度任用, 再任用 …: kinds of employment, not states) is active."""
    status = unicodedata.normalize("NFKC", str(getattr(member, "status", "") or "")).strip().lower()
    for line in statuses:
        if any(w and w in status for w in line.contains):
            return line.state
    return "active"


def roster_state(member: StaffMember, statuses: Iterable[StatusWords]) -> str:
    """:func:`staff_state` of a roster member (kept as the name the rules use)."""
    return staff_state(member, statuses)


_DEPT_SPLIT = re.compile(r"[・、,，/／;；\n]|兼務?|併任|兼任|事務取扱")


def roster_departments(value: Any) -> set[str]:
    """The departments in a roster cell (兼務: ``総務課・企画政策課``, ``企画政策課（総務課兼務）``),
    folded with :func:`fold_name`."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    parts = _DEPT_SPLIT.split(re.sub(r"[()（）「」\[\]【】]", "・", text))
    return {fold_name(p) for p in parts if fold_name(p)} | ({fold_name(text)} if fold_name(text) else set())


def same_department(a: Any, others: set[str]) -> bool:
    """Is department ``a`` one of ``others`` (folded with :func:`fold_name`)? A section and its
    係 are the same department: ``産業振興課観光係`` matches ``産業振興課`` and the reverse."""
    x = fold_name(a)
    return bool(x) and any(x == o or (len(o) >= 2 and x.startswith(o)) or (len(x) >= 2 and o.startswith(x))
                           for o in others if o)
