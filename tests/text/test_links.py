"""Links: every URL, plain http:// links and URL shorteners (clause 3(6))."""

from __future__ import annotations

import pytest

from snspolicy.text.links import DEFAULT_SHORTENERS, find_links, url_spans


def kinds(text: str, **kw) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start:m.end]) for m in find_links(text, **kw)]


def test_https_link_is_only_a_url():
    text = "詳しくはhttps://www.city.ube.yamaguchi.jp/kurashi/です。"
    assert kinds(text) == [("url", "https://www.city.ube.yamaguchi.jp/kurashi/")]
    (m,) = find_links(text)
    assert m.data == {"url": "https://www.city.ube.yamaguchi.jp/kurashi/", "host": "www.city.ube.yamaguchi.jp", "scheme": "https"}


@pytest.mark.parametrize("text", ["http://www.city.ube.yamaguchi.jp/", "HTTP://example.jp/a", "（http://example.jp/a）"])
def test_plain_http(text):
    assert "http" in [k for k, _ in kinds(text)]


@pytest.mark.parametrize(
    "text, url",
    [
        ("https://bit.ly/3abcDEF", "https://bit.ly/3abcDEF"),
        ("短縮 bit.ly/3abcなど", "bit.ly/3abc"),
        ("https://t.co/xyz。", "https://t.co/xyz"),
        ("https://www.bit.ly/x", "https://www.bit.ly/x"),
        ("https://tinyurl.com/abc", "https://tinyurl.com/abc"),
        ("https://amzn.to/abc", "https://amzn.to/abc"),
    ],
)
def test_shorteners(text, url):
    assert ("shortener", url) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://youtu.be/abc",  # first-party short links are not on the default list
        "https://forms.gle/abc",
        "https://lin.ee/abc",
        "https://notbit.ly/abc",
        "https://bit.ly.example.com/abc",
        "https://example.com/bit.ly/abc",
    ],
)
def test_not_shorteners(text):
    assert "shortener" not in [k for k, _ in kinds(text)]


def test_shortener_list_is_a_parameter():
    assert "shortener" in [k for k, _ in kinds("https://lin.ee/abc", shorteners=["lin.ee"])]
    assert "shortener" not in [k for k, _ in kinds("https://bit.ly/abc", shorteners=[])]
    assert "bit.ly" in DEFAULT_SHORTENERS


@pytest.mark.parametrize(
    "text, url",
    [
        ("(http://example.com/a_(b))", "http://example.com/a_(b)"),
        ("「https://example.com/a」", "https://example.com/a"),
        ("https://example.com/a?b=1&c=2, 次へ", "https://example.com/a?b=1&c=2"),
        ("www.city.ube.yamaguchi.jp を見てね", "www.city.ube.yamaguchi.jp"),
        ("https://ja.wikipedia.org/wiki/宇部市", "https://ja.wikipedia.org/wiki/"),
    ],
)
def test_url_boundaries(text, url):
    assert [u for _, _, u in url_spans(text)] == [url]


@pytest.mark.parametrize("text", ["https://", "メールabc@example.com", "example.jp/abc", "ファイル名.jpg", "", None, 5])
def test_no_links(text):
    assert find_links(text) == []  # type: ignore[arg-type]


def test_links_are_remembered_and_odd_shortener_lists_still_work():
    from snspolicy.text.links import find_links

    text = "詳しくは https://bit.ly/abc と http://example.jp/x"
    first = find_links(text)
    again = find_links(text)
    assert first == again and first is not again  # a fresh list each time (callers may change it)
    again.clear()
    assert find_links(text) == first
    odd = find_links(text, ["bit.ly", ["not", "a", "host"]])  # an unhashable entry: computed, not remembered
    assert [m.kind for m in odd] == [m.kind for m in first]


@pytest.mark.parametrize("shorteners, host, short", [
    (("bit.ly",), "bit.ly", True), (("bit.ly",), "www.bit.ly", True), ((" Bit.LY. ",), "bit.ly", True),
    (("bit.ly",), "xbit.ly", False), (("bit.ly",), "bit.ly.example.jp", False), (("", "t.co"), "t.co", True),
    (["t.co", ["odd"]], "t.co", True), ((), "bit.ly", False)])
def test_shortener_hosts(shorteners, host, short):
    """A host is a shortener when it is a listed one (lowered, without a final dot) or its www."""
    from snspolicy.text.links import _is_shortener

    assert _is_shortener(host, shorteners) is short
