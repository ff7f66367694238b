"""Dates in Japanese post text: weekday checks and stale event dates (clause 3(6)).

Recognised forms (after NFKC normalization; full-width brackets are accepted too):

* ``2025年4月5日``, ``令和7年4月5日``, ``令和元年5月1日``, ``平成31年4月30日`` (also 昭和/大正/明治);
* ``2025/4/5``, ``2025-04-05``, ``2025.4.5``, ``R7.4.5`` / ``H31.4.30`` (era initials);
* ``4月5日`` (year from the reference date, see below);
* ``4/5`` only when a weekday follows (``4/5(土)``): a bare ``4/5`` may be a fraction;
* ranges and lists that inherit the year and month: ``4月5日(土)～6日(日)``,
  ``4月30日(水)～5月2日(金)``, ``4月5日(土)・12日(土)`` (list items need a weekday).

A weekday is ``(土)``, ``(土曜)``, ``(土曜日)``, ``(土・祝)``, ``(祝・月)``, ``土曜日`` (without
brackets it needs 曜) or ``(Sat)``. A date without a year gets the year, among the
reference year and the years before and after it, that puts it closest to the
reference date: a post of 20 December about ``1月3日(土)`` means the next January.
When that year does not have the written weekday but the next occurrence within
300 days does, the next occurrence is meant (``11月3日(月)`` written in April).
Era years are converted with the era's first year (``令和N年`` = 2018+N) without
checking that the date falls inside the era (``平成31年5月1日`` is read as 2019-05-01).
An era year written without the era's name (``8年2月27日``, common in deadlines) is read
in the era of the reference date when that lands within two years of it (令和8年 in 2025);
otherwise the number is ignored and the date read as year-less.

Items of a list of dates (``6月8日・9月14日・1月11日・3月8日(日)``, also with ``、`` or
``と``) carry the year of the previous item forward, adding one as the list passes December,
even when only the last item has a weekday. When that reading makes the written weekday
wrong but reading the item alone puts it later in the right weekday (``12月20日・1月15日(木)``
in May: the coming January), the item is read alone.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from snspolicy.core.relazy import lazy
from snspolicy.text.matches import TEXT_MEMO, TextMatch

__all__ = ["WEEKDAYS", "DateHit", "check_weekdays", "event_dates_before", "find_dates", "scan_dates"]

WEEKDAYS = "月火水木金土日"  # index = date.weekday()
_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ERA_FIRST_YEAR = {"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912, "明治": 1868}
_ERA_INITIAL = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
_ERA_START = {"令和": date(2019, 5, 1), "平成": date(1989, 1, 8), "昭和": date(1926, 12, 25),
              "大正": date(1912, 7, 30), "明治": date(1868, 1, 25)}

_JST = timezone(timedelta(hours=9))
_AHEAD_DAYS = 300
_SP = r"[ \t\u3000]*"
_YEAR = (
    r"(?:(?P<era>令和|平成|昭和|大正|明治)" + _SP + r"(?P<ey>元|\d{1,2})" + _SP + r"年"
    r"|(?P<y>\d{4})" + _SP + r"年"
    r"|(?<![\d.])(?P<by>\d{1,2})" + _SP + r"年)"  # 8年2月27日: a year of the current era without its name
)
_BARE_YEAR_SPAN = 2  # an era year without its name is read so only if it lands this close to the reference year
_PRIMARY_RE = lazy(
    r"(?<![\d./\-])(?:"
    # 2025年4月5日 / 令和7年4月5日 / 4月5日
    r"(?:" + _YEAR + _SP + r")?(?P<m>\d{1,2})" + _SP + r"月" + _SP + r"(?P<d>\d{1,2})" + _SP + r"日"
    # 2025/4/5, 2025-04-05, 2025.4.5
    r"|(?P<ny>\d{4})(?P<sep>[/.\-])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?![\d])"
    # R7.4.5
    r"|(?<![A-Za-z])(?P<ab>[RHSTM])\.?(?P<aey>\d{1,2})\.(?P<am>\d{1,2})\.(?P<ad>\d{1,2})(?![\d])"
    # 4/5 (only with a weekday; checked in code)
    r"|(?P<sm>\d{1,2})/(?P<sd>\d{1,2})(?![\d/])"
    r")"
)
# Every character a match of _PRIMARY_RE can start with. The pattern begins with a look-behind, so re's own
# search tries it at every position of the text; :func:`_primary_search` tries it only at these (5x quicker).
_PRIMARY_FIRST = lazy(r"[\d令平昭大明RHSTM]")


def _primary_search(text: str, pos: int) -> re.Match[str] | None:
    """``_PRIMARY_RE.search(text, pos)``: the first place from ``pos`` where a match starts."""
    for c in _PRIMARY_FIRST.finditer(text, pos):
        m = _PRIMARY_RE.match(text, c.start())
        if m is not None:
            return m
    return None


_WEEKDAY_RE = lazy(
    _SP + r"(?:"
    r"[(（]" + _SP + r"(?:祝日?" + _SP + r"[・･、,/]?" + _SP + r")?(?P<w>[月火水木金土日])(?:曜日?)?"
    r"(?:" + _SP + r"[・･、,/]?" + _SP + r"(?:祝日?|休日?|振休|祭日|振替休日))?" + _SP + r"[)）]"
    r"|(?P<w2>[月火水木金土日])曜日?"
    r"|[(（]" + _SP + r"(?P<we>[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un)[a-z]*\.?" + _SP + r"[)）]"
    r")"
)
_TIME_RE = lazy(_SP + r"\d{1,2}(?::\d{2}|時(?:\d{1,2}分|半)?)")
_RANGE_RE = lazy(_SP + r"(?:[～~〜〰\-－―‐–]|から)" + _SP)
_LIST_RE = lazy(_SP + r"(?:[・･、,､]|及び|および|と)" + _SP)
_SECOND_RE = lazy(
    r"(?:(?:" + _YEAR + _SP + r")?(?:(?P<m>\d{1,2})" + _SP + r"月" + _SP + r")?(?P<d>\d{1,2})" + _SP + r"日"
    r"|(?:(?P<sm>\d{1,2})/)?(?P<sd>\d{1,2})(?![\d/:]))"
)


_Date = date  # the field DateHit.date shadows the type name inside the class body


@dataclass
class DateHit:
    """A date found in the text (internal detail shared with other detectors).

    ``date`` is None when the written date does not exist (2月30日). ``weekday`` is
    the written weekday index (0 = Monday) or None; ``role`` is ``single``,
    ``range-start``, ``range-end`` or ``list-item``; ``range_end`` is the end date of
    the range a ``range-start`` begins; ``open_ended`` is true for ``4月1日～`` / ``4月1日から``.
    """

    start: int
    end: int
    date: _Date | None
    year_explicit: bool
    weekday: int | None = None
    weekday_text: str = ""
    role: str = "single"
    range_end: _Date | None = None
    open_ended: bool = False


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _closest(m: int, d: int, ref: date, weekday: int | None = None) -> date | None:
    """The date m/d nearest to ``ref`` (previous, same or next year).

    With a written ``weekday`` that the nearest date does not have, a later date
    (at most 300 days after ``ref``) that has it is taken instead: a post of April
    about ``11月3日(月)`` announces the coming November (a Monday), whereas
    ``4/5(金)`` in a post of 1 April 2025 is last year's weekday copied by mistake.
    """
    cands = [c for c in (_make_date(ref.year + k, m, d) for k in (-1, 0, 1)) if c is not None]
    if not cands:
        return None
    best = min(cands, key=lambda c: (abs((c - ref).days), c < ref))
    if weekday is not None and best.weekday() != weekday:
        later = [c for c in cands if c.weekday() == weekday and 0 <= (c - ref).days <= _AHEAD_DAYS]
        if later:
            return min(later)
    return best


def _era_year(era: str, n: str) -> int | None:
    first = _ERA_FIRST_YEAR.get(era)
    if first is None:
        return None
    num = 1 if n == "元" else int(n)
    if num < 1:
        return None
    return first + num - 1


def _parse_weekday(text: str, pos: int) -> tuple[int | None, str, int]:
    m = _WEEKDAY_RE.match(text, pos)
    if not m:
        return None, "", pos
    if m.group("w"):
        return WEEKDAYS.index(m.group("w")), m.group("w"), m.end()
    if m.group("w2"):
        return WEEKDAYS.index(m.group("w2")), m.group("w2"), m.end()
    we = (m.group("we") or "").lower()[:3]
    if we in _EN_WEEKDAYS:
        return _EN_WEEKDAYS[we], m.group("we"), m.end()
    return None, "", pos


def _era_of(day: date) -> str:
    """The era (令和, 平成 …) of ``day``."""
    for era, first in sorted(_ERA_FIRST_YEAR.items(), key=lambda kv: -kv[1]):
        start = _ERA_START.get(era, date(first, 1, 1))
        if day >= start:
            return era
    return "明治"


def _year_of(m: re.Match[str], ref: date | None = None) -> tuple[int | None, bool]:
    """(year or None, True when the text named the year).

    ``8年`` (an era year without the era's name, as municipal notices write deadlines) is read in
    the era of ``ref`` when that puts it within two years of ``ref``: in 2025, ``8年2月27日`` is
    令和8年 (2026). The year then counts as inferred, not written."""
    if m.group("era"):
        return _era_year(m.group("era"), m.group("ey")), True
    if m.group("y"):
        return int(m.group("y")), True
    if m.groupdict().get("by") and ref is not None:
        y = _era_year(_era_of(ref), m.group("by"))
        if y is not None and abs(y - ref.year) <= _BARE_YEAR_SPAN:
            return y, False
    return None, False


def _primary(m: re.Match[str], ref: date, wd: int | None) -> tuple[date | None, bool, int, int, bool] | None:
    """(date, year_explicit, month, day, needs_weekday) for a primary match."""
    if m.group("m"):
        mo, d = int(m.group("m")), int(m.group("d"))
        y, explicit = _year_of(m, ref)
        if explicit:
            return (_make_date(y, mo, d) if y else None), True, mo, d, False
        if y is not None:  # an era year without its name
            return _make_date(y, mo, d), False, mo, d, False
        return _closest(mo, d, ref, wd), False, mo, d, False
    if m.group("ny"):
        y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        if not 1868 <= y <= 2200 or not 1 <= mo <= 12:
            return None
        return _make_date(y, mo, d), True, mo, d, False
    if m.group("ab"):
        y = _era_year(_ERA_INITIAL[m.group("ab")], m.group("aey"))
        mo, d = int(m.group("am")), int(m.group("ad"))
        if y is None or not 1 <= mo <= 12:
            return None
        return _make_date(y, mo, d), True, mo, d, False
    mo, d = int(m.group("sm")), int(m.group("sd"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return _closest(mo, d, ref, wd), False, mo, d, True


def scan_dates(text: str, ref: date) -> list[DateHit]:
    """All dates in ``text`` (see the module docstring); never raises. The hits are the caller's
    to read, not to change (the last texts' are remembered: the weekday and past-event rules both
    scan the same post)."""
    if not isinstance(text, str) or not text:
        return []
    if isinstance(ref, datetime):
        ref = ref.date()
    if not isinstance(ref, date):
        return []
    kind = type(ref)
    return list(_scan_memo(text, ref, f"{kind.__module__}.{kind.__qualname__}"))


@functools.lru_cache(maxsize=TEXT_MEMO)
def _scan_memo(text: str, ref: date, ref_type: str) -> tuple[DateHit, ...]:
    """:func:`_scan`, remembered per text, reference day and the name of its type (a ``date``
    subclass may compare equal to a ``date`` and still answer differently)."""
    return tuple(_scan(text, ref))


def _scan(text: str, ref: date) -> list[DateHit]:
    hits: list[DateHit] = []
    pos = 0
    try:
        while True:
            m = _primary_search(text, pos)
            if not m:
                break
            wd, wd_text, end = _parse_weekday(text, m.end())
            parsed = _primary(m, ref, wd)
            if parsed is not None and hits and m.group("m") and not parsed[1] and not m.group("by"):
                carried = _carry(text, hits[-1], m, parsed[2], parsed[3])
                if carried is not None and wd is not None and carried.weekday() != wd and \
                        parsed[0] is not None and parsed[0].weekday() == wd and parsed[0] > carried:
                    carried = None  # the list began last year in this reading; the written weekday says next year
                if carried is not None:
                    parsed = (carried, False, parsed[2], parsed[3], False)
            if parsed is None:
                pos = m.end()
                continue
            dt, explicit, mo, d, needs_wd = parsed
            if needs_wd and wd is None:
                pos = m.end()
                continue
            if not (1 <= mo <= 12) or not (1 <= d <= 31):
                pos = end
                continue
            first = DateHit(m.start(), end, dt, explicit, wd, wd_text)
            hits.append(first)
            pos = end
            pos = _follow(text, pos, first, mo, d, dt, explicit, hits, ref)
    except Exception:  # noqa: BLE001 - detectors never raise
        return hits
    return hits


def _carry(text: str, prev: DateHit, m: re.Match[str], mo: int, d: int) -> date | None:
    """The date of a year-less ``m`` that continues a list after ``prev`` (``6月8日・9月14日・1月11日・
    3月8日(日)``): the year of the previous item, plus one when the list passes December. None when
    ``m`` is not a list item right after ``prev``."""
    if prev.date is None or prev.end > m.start() or not _LIST_RE.fullmatch(text, prev.end, m.start()):
        return None
    y = prev.date.year + (1 if (mo, d) < (prev.date.month, prev.date.day) else 0)
    return _make_date(y, mo, d)


def _follow(text: str, pos: int, first: DateHit, mo: int, d: int, dt: date | None,
            explicit: bool, hits: list[DateHit], ref: date | None = None) -> int:
    """Parse ranges (``～6日(日)``) and lists (``・12日(土)``) after a date; return the new position."""
    cur_m, cur_d, cur_dt, prev = mo, d, dt, first
    while True:
        after = pos
        tm = _TIME_RE.match(text, after)
        if tm:
            after = tm.end()
        open_ok = tm is None and prev is first  # "4月1日～" vs "4月1日10時～12時"
        rm = _RANGE_RE.match(text, after)
        lm = None if rm else _LIST_RE.match(text, pos)
        conn = rm or lm
        if conn is None:
            return pos
        sm = _SECOND_RE.match(text, conn.end())
        if sm is None or sm.group(0) == "":
            if rm and open_ok:
                first.open_ended = True
            return pos
        wd, wd_text, end = _parse_weekday(text, sm.end())
        is_slash = sm.group("sd") is not None
        if (lm or is_slash) and wd is None:
            if rm and open_ok:
                first.open_ended = True
            return pos
        if sm.group("d") is not None:
            m2 = int(sm.group("m")) if sm.group("m") else cur_m
            d2 = int(sm.group("d"))
            y2, explicit2 = _year_of(sm, ref)
        else:
            m2 = int(sm.group("sm")) if sm.group("sm") else cur_m
            d2 = int(sm.group("sd"))
            y2, explicit2 = None, False
        if y2 is None:
            base_year = cur_dt.year if cur_dt else None
            if base_year is not None and (m2, d2) < (cur_m, cur_d):
                base_year += 1
            dt2 = _make_date(base_year, m2, d2) if base_year else None
            if lm and ref is not None and wd is not None and dt2 is not None and dt2.weekday() != wd:
                alone = _closest(m2, d2, ref, wd)
                if alone is not None and alone.weekday() == wd and alone > dt2:
                    dt2 = alone  # the list began last year in this reading; the written weekday says next year
        else:
            dt2 = _make_date(y2, m2, d2)
        hit = DateHit(sm.start(), end, dt2, explicit or explicit2, wd, wd_text,
                      role="range-end" if rm else "list-item")
        if rm:
            prev.role = "range-start" if prev.role == "single" else prev.role
            prev.range_end = dt2
        hits.append(hit)
        cur_m, cur_d, cur_dt, prev = m2, d2, dt2 or cur_dt, hit
        pos = end


def find_dates(text: str, ref: date) -> list[tuple[int, int, date]]:
    """``(start, end, date)`` of every existing date in ``text`` (weekday included in the span)."""
    return [(h.start, h.end, h.date) for h in scan_dates(text, ref) if h.date is not None]


def check_weekdays(text: str, ref: date) -> list[TextMatch]:
    """Dates written with a weekday whose weekday is wrong.

    Kind ``'weekday'``: ``data={'date': ISO date, 'written': '土', 'expected': '金',
    'year_inferred': bool}``. Kind ``'invalid_date'``: a date that does not exist
    (``2月30日(月)``), ``data={'written': ...}``. ``masked`` is the date text (dates
    of events are not personal data).
    """
    out: list[TextMatch] = []
    for h in scan_dates(text, ref):
        if h.weekday is None:
            continue
        span = text[h.start:h.end]
        if h.date is None:
            out.append(TextMatch("invalid_date", h.start, h.end, span, {"written": h.weekday_text}))
        elif h.date.weekday() != h.weekday:
            out.append(TextMatch("weekday", h.start, h.end, span, {
                "date": h.date.isoformat(),
                "written": WEEKDAYS[h.weekday],
                "expected": WEEKDAYS[h.date.weekday()],
                "year_inferred": not h.year_explicit,
            }))
    return out


# --- stale event dates -------------------------------------------------------

_WINDOW = 200  # characters of a (very long) sentence looked at on each side of a date
_SENTENCE_END = lazy(r"[。！？!?\n]")
_PAST_RE = lazy(
    r"ました|でした|した(?![いらくがけ])|された|だった|終了|終わり|無事|盛況|報告|結果"
    r"|行われ(?!ます|る)|開かれ(?!ます|る)|実施済|開催済|先日|昨日|去る"
)
_FUTURE_RE = lazy(
    r"ます|ません|ましょう|予定|くださ|下さ|お待ち|募集|受付|申込|申し込|締切|締め切|〆切"
    r"|まで|予約|ぜひ|是非|決定|いよいよ|開催!"
)
_ONGOING_RE = lazy(r"開催中|実施中|受付中|公開中|販売中|営業中|ています|ております|好評")
_OPEN_RE = lazy(_SP + r"(?:から|より|以降|以後|～|~|〜)")
_EVENT_RE = lazy(
    r"開催|日時|日程|実施|開会|開演|開場|会期|期間|予定|イベント|行い|行な|開き|開か|募集|受付"
    r"|申込|申し込|締切|締め切|〆切|まで|集合|説明会|講演|講座|教室|大会|祭|まつり|フェス|セミナー"
    r"|相談会|見学会|体験|公演|上映|展示|発売|販売|配布|運行|運休|休館|休業|営業|オープン|開設|開始|放送|公開"
)
_LABEL_RE = lazy(r"^[\s・■□●○◆◇▼▽★☆*\-]*(?:日時|日程|開催日時?|期間|会期|とき|日にち|締切|締め切り|申込期限|受付期間)\s*[:：]?")


def _sentence_bounds(ends: list[int], text_len: int, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) given the sorted positions of sentence enders."""
    k = bisect.bisect_left(ends, start)
    s = ends[k - 1] + 1 if k > 0 else 0
    k2 = bisect.bisect_left(ends, end)
    return s, (ends[k2] if k2 < len(ends) else text_len)


def event_dates_before(text: str, publish_at: date | datetime) -> list[TextMatch]:
    """Event dates in ``text`` that fall before ``publish_at`` (a post that reads wrong).

    A date counts as an event date when its sentence has an event word (開催, 日時,
    実施, 募集, まで …) or its line starts with a label (``日時：``), and the rest of
    its sentence reads as an announcement: it has no past-tense or ongoing marker
    (した, でした, 終了, しています, 開催中 …) and either a future/polite one (します,
    予定, ください, まで …), or none at all in a post without past-tense markers when
    the date is labelled, has a weekday or is followed by a request. Reports (開催しました, 開催した〇〇の様子), ongoing
    events (開催中, ～から, ranges whose end is not past) are not reported.
    Kind ``'past_event'``, ``data={'date': ISO date}``. Year-less dates are resolved
    against ``publish_at``; an aware datetime is taken on its Japan (UTC+9) day.
    """
    try:
        if isinstance(publish_at, datetime):
            if publish_at.tzinfo is not None:  # the publishing day in Japan (docs/time-and-dates.md)
                publish_at = publish_at.astimezone(_JST)
            pub = publish_at.date()
        elif isinstance(publish_at, date):
            pub = publish_at
        else:
            return []
        hits = scan_dates(text, pub)
        post_has_past = _PAST_RE.search(text) is not None
        ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        last_future = max((m.start() for m in _FUTURE_RE.finditer(text)), default=-1)
        out: list[TextMatch] = []
        for h in hits:
            if h.date is None or h.date >= pub:
                continue
            if h.open_ended or _OPEN_RE.match(text, h.end):
                continue
            if h.role == "range-start" and (h.range_end is None or h.range_end >= pub):
                continue
            if h.role == "range-start":
                continue  # the range end (also past) is reported instead
            s, e = _sentence_bounds(ends, len(text), h.start, h.end)
            s, e = max(s, h.start - _WINDOW), min(e, h.end + _WINDOW)  # bounded work per date
            sentence = text[s:e]
            after = text[h.end:e]
            line_start = text.rfind("\n", 0, h.start) + 1
            label = _LABEL_RE.match(text, line_start)
            labelled = label is not None and label.end() <= h.start
            if not labelled and _EVENT_RE.search(sentence) is None:
                continue
            if _PAST_RE.search(after) or _ONGOING_RE.search(after):
                continue  # 開催しました / 開催した〇〇 / まででした / 開催しています
            if _FUTURE_RE.search(after) is None:
                # a sentence without tense ("4月5日、〇〇を開催。"): an announcement only when
                # labelled, written with a weekday or followed by a request, in a post
                # without past-tense reports
                announced = labelled or h.weekday is not None or last_future >= e
                if post_has_past or not announced:
                    continue
            out.append(TextMatch("past_event", h.start, h.end, text[h.start:h.end],
                                 {"date": h.date.isoformat()}))
        return out
    except Exception:  # noqa: BLE001 - detectors never raise
        return []

