"""Dates: weekday checks (accuracy-weekday) and stale event dates (accuracy-past-event), clause 3(6)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from snspolicy.text.dates import check_weekdays, event_dates_before, find_dates, scan_dates

REF = date(2025, 4, 1)  # 2025-04-05 is a Saturday


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


@pytest.mark.parametrize(
    "text",
    [
        "2025年4月5日（土）",
        "2025年4月5日(土)",
        "4/5(土)",
        "4月5日(土曜日)",
        "4月5日(土曜)",
        "4月5日土曜日",
        "令和7年4月5日（土）",
        "R7.4.5(土)",
        "2025/4/5(土)",
        "2025-04-05(土)",
        "2025.4.5(土)",
        "平成31年4月30日(火)",
        "令和元年5月1日(水)",
        "4月5日(土・祝)",
        "4月5日(祝・土)",
        "4月5日(Sat)",
        "4月5日（土）～6日（日）",
        "4月30日(水)～5月2日(金)",
        "4月5日(土)・12日(土)・19日(土)",
        "4月5日(土)10時～6日(日)15時",
        "4月5日(土)10:00～12:00",
        "11月3日(月)",  # 2025-11-03 is a Monday: the year with the right weekday wins
        nfkc("２０２５年４月５日（土）"),
    ],
)
def test_weekday_correct(text):
    assert check_weekdays(text, REF) == []
    assert scan_dates(text, REF)  # and the date was seen at all


@pytest.mark.parametrize(
    "text, written, expected",
    [
        ("2025年4月5日（金）", "金", "土"),
        ("4/5(金)", "金", "土"),
        ("4月5日(金曜日)", "金", "土"),
        ("令和7年4月5日（日）", "日", "土"),
        ("R7.4.5(月)", "月", "土"),
        ("平成31年4月30日(水)", "水", "火"),
        ("4月5日（土）～6日（月）", "月", "日"),
        ("4月5日(土)・12日(土)・19日(日)", "日", "土"),
        ("2025年4月5日(Fri)", "金", "土"),
        ("4月5日金曜日に", "金", "土"),
    ],
)
def test_weekday_wrong(text, written, expected):
    found = check_weekdays(text, REF)
    assert len(found) == 1
    m = found[0]
    assert m.kind == "weekday" and m.data["written"] == written and m.data["expected"] == expected
    assert text[m.start:m.end] == m.masked


def test_weekday_match_span_and_range_second_part():
    text = "日程：4月5日（土）～6日（月）"
    (m,) = check_weekdays(text, REF)
    assert text[m.start:m.end] == "6日（月）" and m.data["date"] == "2025-04-06"


def test_year_rollover_for_dates_without_year():
    # 2027-01-03 is a Sunday, 2026-01-03 a Saturday
    assert check_weekdays("1月3日（土）に開催", date(2025, 12, 20)) == []
    (m,) = check_weekdays("1月3日（日）に開催", date(2025, 12, 20))
    assert m.data["date"] == "2026-01-03" and m.data["year_inferred"] is True
    # December dates in a January post mean the past December
    assert find_dates("12月28日に", date(2026, 1, 5))[0][2] == date(2025, 12, 28)


def test_range_crossing_the_year():
    hits = scan_dates("12月30日(火)～1月3日(土)", date(2025, 12, 1))
    assert [h.date for h in hits] == [date(2025, 12, 30), date(2026, 1, 3)]
    assert check_weekdays("12月30日(火)～1月3日(土)", date(2025, 12, 1)) == []


def test_invalid_date_with_weekday():
    (m,) = check_weekdays("2月30日(月)", REF)
    assert m.kind == "invalid_date"
    assert check_weekdays("2025年2月29日(土)", REF)[0].kind == "invalid_date"


@pytest.mark.parametrize(
    "text",
    [
        "1/2は半分",
        "4/5",  # no weekday: a fraction, not a date
        "令和元年",
        "2025年",
        "11月3日",
        "第5日(土)",  # a day without a month is not checked
        "0836-22-1234(月)",
        "",
    ],
)
def test_not_checked(text):
    assert check_weekdays(text, REF) == []


def test_find_dates():
    text = "2025年4月5日と4月6日、R7.4.7"
    assert [d for _, _, d in find_dates(text, REF)] == [date(2025, 4, 5), date(2025, 4, 6), date(2025, 4, 7)]
    assert find_dates("11月3日を祝う", REF)[0][2] == date(2024, 11, 3)  # closest to REF
    assert find_dates("2月30日", REF) == []


@pytest.mark.parametrize("bad", [None, 1, b"x", ["4月5日"]])
def test_never_raises(bad):
    assert check_weekdays(bad, REF) == []  # type: ignore[arg-type]
    assert find_dates(bad, REF) == []  # type: ignore[arg-type]
    assert event_dates_before(bad, REF) == []  # type: ignore[arg-type]
    assert check_weekdays("4月5日(土)", bad) == []  # type: ignore[arg-type]
    assert event_dates_before("4月5日に開催します", bad) == []  # type: ignore[arg-type]


# --- event dates before publishing ------------------------------------------------

PUB = date(2025, 4, 10)


@pytest.mark.parametrize(
    "text, when",
    [
        ("4月5日（土）に市民まつりを開催します。", "2025-04-05"),
        ("日時：4月5日（土）10時～12時\n場所：市役所", "2025-04-05"),
        ("4月5日まで申込を受け付けます", "2025-04-05"),
        ("令和7年4月5日（土）開催！ぜひお越しください", "2025-04-05"),
        ("4月1日～4月5日に開催します", "2025-04-05"),
        ("2024年4月5日に開催予定", "2024-04-05"),  # wrong year
        ("4月5日（土）10:00～12:00に説明会を行います", "2025-04-05"),
    ],
)
def test_past_event_found(text, when):
    (m,) = event_dates_before(text, PUB)
    assert m.kind == "past_event" and m.data["date"] == when


@pytest.mark.parametrize(
    "text",
    [
        "4月5日（土）に市民まつりを開催しました。",
        "4月5日に開催した市民まつりの様子をお知らせします。",
        "日時：4月5日（土）10時～12時\n多くの方にご参加いただきました。",
        "4月1日～4月30日開催",  # still running
        "4月1日（火）から開催しています",
        "4月1日から受付中",
        "4月5日、市民まつりを開催。",  # no tense, no weekday, no request: may be a report
        "4月5日、市民まつりを開催。多くの方が来場しました。",
        "5月10日に開催します",  # after publishing
        "4月5日は雨でした",
        "4月5日に撮影した桜です",
        "申告期限は3月17日(月)まででした。",
        "4月5日に開催予定でしたが、延期します。",
        "4月10日（木）に開催します。",  # the publishing day itself
        "",
    ],
)
def test_past_event_not_found(text):
    assert event_dates_before(text, PUB) == []


def test_past_event_accepts_datetime():
    at = datetime(2025, 4, 10, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    assert len(event_dates_before("4月5日（土）に開催します。", at)) == 1


def test_past_event_uses_the_japan_day():
    # 2025-04-05T16:00Z is 2025-04-06 01:00 JST: the event day (5th) is already past in Japan
    at = datetime(2025, 4, 5, 16, 0, tzinfo=UTC)
    assert len(event_dates_before("4月5日（土）に開催します。", at)) == 1
    assert event_dates_before("4月5日（土）に開催します。", datetime(2025, 4, 5, 14, 0, tzinfo=UTC)) == []


def test_the_same_text_scanned_again_gives_the_same_dates_as_a_new_list():
    """The weekday and past-event rules scan the same post one after the other: the second scan
    reuses the first, but never across another reference day or another text."""
    text = "12月6日（土）と1月10日（土）に開催します。"
    first = scan_dates(text, date(2025, 11, 1))
    again = scan_dates(text, date(2025, 11, 1))
    assert again == first and again is not first
    again.clear()
    assert scan_dates(text, date(2025, 11, 1)) == first
    later = scan_dates(text, date(2026, 11, 1))  # the year of a year-less date follows the reference day
    assert [h.date.year for h in later if h.date] == [2026, 2027]
    assert [h.date.year for h in first if h.date] == [2025, 2026]
    assert scan_dates(text + "。", date(2025, 11, 1))[0].date == first[0].date


_DATE_PARTS = ["令和", "平成", "元", "7", "2025", "年", "4", "月", "5", "日", "/", ".", "-", "R", "H", "S", "T", "M",
               "(土)", "（日）", " ", "　", "～", "、", "x", "お知らせ", "12", "31", "0"]


@given(st.lists(st.sampled_from(_DATE_PARTS), max_size=16).map("".join), st.integers(min_value=0, max_value=40))
@settings(max_examples=500, deadline=None)
@example("令和7年4月5日（土）", 0)
@example("お知らせ平成元年1月8日", 2)
@example("昭和64年1月7日、大正15年12月24日、明治45年7月29日", 0)
@example("R7.4.5 H31.4.30 S64.1.7 T15.12.24 M45.7.29", 3)
@example("x2025/4/5と2025-04-05と4/5(土)", 1)
def test_the_candidate_search_finds_what_re_search_finds(text: str, pos: int) -> None:
    """dates._primary_search tries the pattern only where a match can start: it must give exactly
    the match re's own search gives, from any position."""
    from snspolicy.text import dates

    def every(search):  # type: ignore[no-untyped-def]
        out, at = [], pos
        while (m := search(text, at)) is not None:
            out.append((m.span(), m.groupdict()))
            at = m.start() + 1
        return out

    assert every(dates._primary_search) == every(dates._PRIMARY_RE.search)
