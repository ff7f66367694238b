"""Years that the text does not write: lists of dates that run past December, and era years written
without the era's name (issue 16). Weekdays below were computed with the calendar, not guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from snspolicy.text.dates import check_weekdays, scan_dates
from snspolicy.text.normalize import normalize
from snspolicy.text.pii import find_birth_dates

MAY_2025 = dt.date(2025, 5, 10)


def wrong(text: str, ref: dt.date = MAY_2025) -> list[dict]:
    return [m.data for m in check_weekdays(normalize(text).text, ref)]


def dates(text: str, ref: dt.date = MAY_2025) -> list[dt.date | None]:
    return [h.date for h in scan_dates(normalize(text).text, ref)]


# --------------------------------------------------------------------------- lists
def test_list_sharing_one_weekday_carries_the_year_past_december():
    # 2025-07-13, 2025-10-12, 2026-02-08 and 2026-03-08 are all Sundays
    text = "教室の開催日：7月13日・10月12日・2月8日・3月8日(日)"
    assert dates(text) == [dt.date(2025, 7, 13), dt.date(2025, 10, 12), dt.date(2026, 2, 8), dt.date(2026, 3, 8)]
    assert wrong(text) == []


def test_list_with_a_wrong_shared_weekday_is_still_reported():
    text = "教室の開催日：7月13日・10月12日・2月8日・3月8日(土)"  # 2026-03-08 is a Sunday
    assert wrong(text) == [{"date": "2026-03-08", "written": "土", "expected": "日", "year_inferred": True}]


def test_list_separated_by_commas_and_to():
    text = "説明会は11月30日、1月25日と2月22日(日)に開きます。"  # 2026-02-22 is a Sunday
    assert dates(text)[-1] == dt.date(2026, 2, 22)
    assert wrong(text) == []


def test_list_whose_first_item_is_read_in_the_past_follows_the_written_weekday():
    # published in May 2025: 12月20日 alone is nearest in 2024, but 2026-01-15 is the Thursday meant
    assert wrong("受付は12月20日・1月15日(木)です。") == []


def test_two_separate_sentences_do_not_form_a_list():
    # each date is read on its own: 3月8日(土) is 2025-03-08, a Saturday
    assert wrong("7月13日に開講。\n3月8日(土)に発表会") == []


# --------------------------------------------------------------------------- era years without the era
def test_era_year_without_era_name_is_the_current_era():
    assert dates("締切：8年2月27日(金)必着") == [dt.date(2026, 2, 27)]  # 令和8年, a Friday
    assert wrong("締切：8年2月27日(金)必着") == []


def test_era_year_without_era_name_wrong_weekday_is_reported_as_inferred():
    found = wrong("締切：8年2月27日(木)必着")
    assert found == [{"date": "2026-02-27", "written": "木", "expected": "金", "year_inferred": True}]


def test_era_year_in_a_range_end():
    text = "受付期間：7年12月1日(月)～8年1月9日(金)"  # 2025-12-01 Monday, 2026-01-09 Friday
    assert dates(text) == [dt.date(2025, 12, 1), dt.date(2026, 1, 9)]
    assert wrong(text) == []


@pytest.mark.parametrize("text", [
    "31年4月30日(火)まで",  # 令和31年 is far from 2025: not an era year, read as a year-less date
    "30年4月1日(月)",
])
def test_implausible_bare_year_is_ignored(text):
    found = scan_dates(normalize(text).text, MAY_2025)
    assert found and all(abs(h.date.year - 2025) <= 1 for h in found if h.date)


def test_written_era_and_western_years_are_unchanged():
    assert dates("令和8年2月27日(金)") == [dt.date(2026, 2, 27)]
    assert dates("2026年2月27日(金)") == [dt.date(2026, 2, 27)]
    assert wrong("平成31年4月30日(火)") == []


def test_era_of_the_reference_date_in_heisei():
    # a text written in 2018 (平成30年) means 平成 by 30年
    assert dates("30年12月1日(土)", dt.date(2018, 6, 1)) == [dt.date(2018, 12, 1)]


# --------------------------------------------------------------------------- eligibility ranges of birth dates
@pytest.mark.parametrize("text", [
    "対象は令和2年4月2日～令和4年4月1日生まれのお子さんです。",
    "昭和45年4月2日から昭和55年4月1日までに生まれた方が対象です。",
    "2001年4月2日以降に生まれた方を募集します。",
    "平成9年4月2日〜平成16年4月1日に生まれた方",
    "1994年4月2日?2003年4月1日に生まれた方",  # a wave dash lost in transcription
    "令和5年4月2日(日)～令和6年4月1日(月)生まれ",
])
def test_range_of_birth_dates_is_not_a_birth_date(text):
    assert find_birth_dates(normalize(text).text) == []


@pytest.mark.parametrize("text", [
    "届いた免許証は平成2年3月4日生まれの方のものです。",
    "生年月日：1990年1月2日",
    "2019年5月1日生まれの長男",
])
def test_single_birth_date_is_still_found(text):
    assert len(find_birth_dates(normalize(text).text)) == 1
