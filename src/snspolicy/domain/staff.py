"""Who may do what: section heads (各課等の長), approvers, and who is present (the roster).

Guideline knowledge shared by the account rules (3(1), 3(2), 4(4)) and the post rules (5, 6(9)),
defined once here.

Section heads — the decision
----------------------------
Clause 3(1) makes the account's manager the 情報セキュリティ管理者（各課等の長）, and 6(9) lets
a 各課等の長 permit an author who is not staff. Before the restructure the two rules had two
tests that disagreed (the account rule accepted 市長, the post rule did not; the account rule
read ``広報広聴課長（事務取扱）`` as a head, the post rule did not). There is now ONE test,
:func:`is_section_head`, used by both:

* a title (職名) is a head's when it ends in a head's ending — ``(課|室|館|所|局|部|場|園|署|
  センター|事務局|本部|支所|校|院|事務)長`` — and the ending is not preceded by ``副``, ``担当``
  or ``代理`` (副館長, 担当課長, 代理課長 end like a head's title but are not one; 課長補佐,
  課長代理 and 係長 do not end in a head's ending at all);
* the heads of the city's executive organs — ``市長``, ``副市長``, ``教育長`` and
  ``会計管理者`` (the whole title, nothing before or after) — count as heads. Decision: they
  rank above every 各課等の長 in the city's information-security organisation, a permission
  or an approval by them is not weaker than a 課長's, and the reviewed policy already listed
  them (``account-manager``'s ``head_title_pattern``); rejecting them would report the mayor's
  own office as "not a section head". So 6(9) now accepts a permission by 市長 too;
* the title is read NFKC-normalized, without white space and without a trailing note in
  brackets (``広報広聴課長（事務取扱）`` is read as ``広報広聴課長``).

The policy's parameters keep working: a rule's ``head_title_pattern`` / ``not_head_title_pattern``
(regular expressions, ``account-manager``) or ``head_title_suffixes`` / ``not_head_prefixes``
(word lists, ``post-author``) replace the default vocabulary (:func:`head_titles`); the word
lists are turned into the same two expressions, and the executive titles above are kept
(``exact_head_titles``, default :data:`EXECUTIVE_TITLES`, replaces them).

Approvers
---------
:func:`approver_ids` — the manager, then the deputies — may approve an account's posts,
revisions and deletions (5). After a change of manager, approvals given earlier by the
people of that time stay valid (:func:`approved_earlier_regime`).

Who is present
--------------
:func:`staff_state` reads a roster member's 在職区分 (``active`` / ``leave`` / ``gone``);
:func:`roster_departments` and :func:`same_department` compare departments (兼務, 係).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from snspolicy.core.values import parse_date, same_id

if TYPE_CHECKING:  # pragma: no cover
    from snspolicy.io.documents import Document
    from snspolicy.io.roster import Roster, StaffMember

__all__ = [
    "DEFAULT_HEAD_TITLES",
    "EXECUTIVE_TITLES",
    "HEAD_ENDINGS",
    "HeadTitles",
    "approved_earlier_regime",
    "approver_ids",
    "current_approvers",
    "employee_id_text",
    "fold_name",
    "head_status",
    "head_titles",
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

# The words before 長 in the title of a 各課等の長 (課長, 館長, センター長, 事務局長 …).
HEAD_ENDINGS = ("課", "室", "館", "所", "局", "部", "場", "園", "署", "センター", "事務局", "本部", "支所", "校", "院", "事務")
# Heads of the city's executive organs: heads too (the module docstring says why).
EXECUTIVE_TITLES = ("市長", "副市長", "教育長", "会計管理者")
# A head's ending preceded by one of these is not a head's title (副館長, 担当課長, 代理課長).
NOT_HEAD_PREFIXES = ("副", "担当", "代理")

_ENDINGS = "|".join(HEAD_ENDINGS)
DEFAULT_HEAD_PATTERN = rf"({_ENDINGS})長$|^({'|'.join(EXECUTIVE_TITLES)})$"
DEFAULT_NOT_HEAD_PATTERN = rf"({'|'.join(NOT_HEAD_PREFIXES)})({_ENDINGS})長$"


@dataclass(frozen=True)
class HeadTitles:
    """What makes a title a section head's: a regular expression it must match (searched in
    the normalized title) and one it must not match (empty: none)."""

    pattern: str = DEFAULT_HEAD_PATTERN
    not_pattern: str = DEFAULT_NOT_HEAD_PATTERN

    @classmethod
    def from_words(cls, suffixes: Iterable[Any], not_prefixes: Iterable[Any] = (),
                   exact: Iterable[Any] = EXECUTIVE_TITLES) -> HeadTitles:
        """The same test from word lists: a title ending in one of ``suffixes`` (``課長``,
        ``館長`` …), not right after one of ``not_prefixes`` (``副``, ``担当``), or equal to one
        of ``exact``."""
        ends = [re.escape(_normal(s)) for s in suffixes if _normal(s)]
        whole = [re.escape(_normal(s)) for s in exact if _normal(s)]
        parts = ([f"(?:{'|'.join(ends)})$"] if ends else []) + ([f"^(?:{'|'.join(whole)})$"] if whole else [])
        pres = [re.escape(_normal(p)) for p in not_prefixes if _normal(p)]
        not_pattern = f"(?:{'|'.join(pres)})(?:{'|'.join(ends)})$" if pres and ends else ""
        return cls("|".join(parts) if parts else r"(?!)", not_pattern)


DEFAULT_HEAD_TITLES = HeadTitles()


def head_titles(param: Callable[[str, Any], Any]) -> HeadTitles:
    """The section-head test a rule's parameters ask for (``param(name, default)``, e.g.
    ``ctx.param``): ``head_title_pattern`` / ``not_head_title_pattern`` (regular expressions),
    else ``head_title_suffixes`` / ``not_head_prefixes`` (+ ``exact_head_titles``), else the
    defaults. A value of the wrong type is ignored."""
    pattern = param("head_title_pattern", None)
    if isinstance(pattern, str) and pattern:
        not_pattern = param("not_head_title_pattern", DEFAULT_NOT_HEAD_PATTERN)
        return HeadTitles(pattern, str(not_pattern or ""))
    suffixes = param("head_title_suffixes", None)
    if isinstance(suffixes, (list, tuple)):
        prefixes = param("not_head_prefixes", NOT_HEAD_PREFIXES)
        exact = param("exact_head_titles", EXECUTIVE_TITLES)
        return HeadTitles.from_words(suffixes, prefixes if isinstance(prefixes, (list, tuple)) else (),
                                     exact if isinstance(exact, (list, tuple)) else EXECUTIVE_TITLES)
    return DEFAULT_HEAD_TITLES


def _normal(title: Any) -> str:
    """NFKC, without a trailing note in brackets (``（事務取扱）``) and without white space."""
    t = unicodedata.normalize("NFKC", str(title or "")).strip()
    t = re.sub(r"[（(][^）)]*[）)]\s*$", "", t)
    return re.sub(r"\s+", "", t)


def _search(pattern: str, text: str) -> bool | None:
    """Does ``pattern`` occur in ``text``? None when the pattern is not a valid expression."""
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return None


def is_section_head(title: Any, titles: HeadTitles = DEFAULT_HEAD_TITLES) -> bool:
    """Is ``title`` (職名) that of a section head (各課等の長)? See the module docstring.

    ``広報広聴課長``, ``中央図書館長``, ``市長`` yes; ``課長補佐``, ``副課長``, ``担当課長``,
    ``副館長``, ``係長`` no. A pattern that is not a valid regular expression is replaced by
    the default one (a policy typo must not accept every title).
    """
    t = _normal(title)
    if not t:
        return False
    if titles.not_pattern and _search(titles.not_pattern, t):
        return False
    found = _search(titles.pattern, t)
    return found if found is not None else bool(_search(DEFAULT_HEAD_PATTERN, t))


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
                titles: HeadTitles = DEFAULT_HEAD_TITLES) -> bool | None:
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


def approver_ids(account: Document | None) -> list[str]:
    """Employee ids allowed to approve the account's posts (5): its manager, then its deputies.

    A person is a mapping with ``employee_id`` or an id written directly; an id is text or a
    number (compared as stripped text), never a boolean or a blank."""
    if account is None:
        return []
    out: list[str] = []
    deputies = account.get("deputies")
    for p in [account.get("manager")] + (list(deputies) if isinstance(deputies, list) else []):
        value = p.get("employee_id") if isinstance(p, dict) else p
        eid = employee_id_text(value) if isinstance(value, (str, int)) else None
        if eid and eid not in out:
            out.append(eid)
    return out


def current_approvers(account: Document | None) -> set[str]:
    """:func:`approver_ids` as a set."""
    return set(approver_ids(account))


def approved_earlier_regime(account: Document | None, approved_by: Any, when: Any) -> bool:
    """Was this approval given under an earlier manager? True when ``approved_by`` is not a current
    manager or deputy and ``when`` is before the account's ``approval.approved_on``.

    After a change of manager (人事異動 on 4月1日) the new manager approves the account again
    (3(1)); approvals of posts, revisions and deletions given before that by the manager or a
    deputy of the time stay valid: they are history, not something to approve again.
    """
    if account is None or approved_by is None or isinstance(approved_by, bool):
        return False
    if str(approved_by).strip() in current_approvers(account):
        return False
    since = parse_date(account.get("approval", "approved_on"))
    on = parse_date(when) if not isinstance(when, bool) else None
    return since is not None and on is not None and on < since


# --------------------------------------------------------------------------- who is present

ON_LEAVE = frozenset({"休職", "休業", "育休", "育児休業", "病休", "on leave", "leave"})
# 在職区分 words meaning the person has left (an error); other words that are not in
# the roster's active list are read as leave (休…, 出向, 派遣: a warning) or, when
# unknown (再任用, 会計年度任用 …: kinds of employment, not states), as in post.
_GONE = ("退職", "離職", "退任", "任期満了", "死亡", "失職", "免職", "解職", "retired", "left", "resigned")
_AWAY = ("休", "出向", "派遣", "研修", "leave")


def staff_state(member: Any) -> str:
    """``'active'``, ``'leave'`` or ``'gone'`` for a roster member (by its 在職区分).

    HR exports differ: ``育児休業`` / ``病気休暇`` / ``出向`` are leave, ``退職`` / ``任期満了``
    mean the person left, ``会計年度任用`` / ``再任用`` are kinds of employment (in post).
    """
    status = unicodedata.normalize("NFKC", str(getattr(member, "status", "") or "")).strip().lower()
    if "予定" in status:  # 退職予定: still in post, to be replaced soon
        return "leave"
    if any(w in status for w in _GONE):
        return "gone"
    if status in ON_LEAVE or any(w in status for w in _AWAY):
        return "leave"
    return "active"


def roster_state(member: StaffMember) -> str:
    """The roster's own reading first (its active list, except 休職), then :func:`staff_state`."""
    if member.active and member.status.strip().lower() not in ON_LEAVE:
        return "active"
    return staff_state(member)


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
