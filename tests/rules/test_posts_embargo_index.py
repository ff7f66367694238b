"""post-embargo's quick keyword test (issue 15): the plain folded text must equal the offset-mapped
one wherever it is used, so skipping a post on it never loses a finding."""

from __future__ import annotations

import random

from snspolicy.rules.posts import _plain, normalize_with_map


def test_plain_equals_mapped_normalization_on_safe_text() -> None:
    samples = [
        "宇部まつり２０２５　開催！ＵＢＥ　ｶﾞｲﾄﾞ ﾊﾟﾝﾌ 🎆\u3099か\u309a ﾞ",
        "Café ½ ﬁ №１ ① ㍻ ｶ\uff9eﾊ\uff9f\tline\nbreak\u3000end",
        "",
    ]
    rng = random.Random(15)
    pool = [chr(c) for r in ((0x20, 0x2FF), (0x2000, 0x206F), (0x3000, 0x30FF), (0x3300, 0x3400), (0x4E00, 0x4E50), (0xFB00, 0xFB07),
                             (0xFF00, 0xFFA0), (0xFFE0, 0xFFEF), (0x1F300, 0x1F320)) for c in range(*r)]
    samples += ["".join(rng.choice(pool) for _ in range(60)) for _ in range(300)]
    for text in samples:
        plain = _plain(text)
        assert plain is not None
        assert plain == normalize_with_map(text)[0], text


def test_plain_gives_up_where_nfkc_composes_across_characters() -> None:
    # Hangul jamo compose with each other; a combining accent is outside the quick set too.
    assert _plain("\u1100\u1161") is None
    assert _plain("e\u0301") is None
    assert _plain("\uffa1\uffc2") is None  # half-width Hangul becomes conjoining jamo
    assert _plain("宇部") == "宇部"
