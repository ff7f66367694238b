"""Personal information in Japanese post text (clause 6(5)).

Detectors for phone numbers, e-mail addresses, 個人番号 (My Number), street
addresses, names with honorifics and birth dates. Each takes the post body after
NFKC normalization (the caller normalizes and maps offsets back) and returns
:class:`~snspolicy.text.matches.TextMatch` objects whose ``masked`` text never
holds the full value. None of them raises on odd input: a bad argument gives
an empty list.

Public numbers, domains, addresses and names (the city's own, mascots …) are
passed in as allow-lists; the allow-list is the only way to accept them, because
"a public facility's address" cannot be told from "a private home's address" by
looking at the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol

from snspolicy.core.mask import mask_digits, mask_email, mask_name
from snspolicy.core.relazy import lazy
from snspolicy.text.matches import TextMatch
from snspolicy.text.matches import as_list as _as_list
from snspolicy.text.mynumber import find_my_numbers, my_number_check_digit  # re-exported
from snspolicy.text.phones import find_local_numbers, find_phone_numbers, may_hold_local_number, phone_detection_available  # re-exported

__all__ = [
    "canonical_address",
    "find_addresses",
    "find_birth_dates",
    "find_emails",
    "find_honorific_names",
    "find_local_numbers",
    "find_my_numbers",
    "find_phone_numbers",
    "may_hold_local_number",
    "my_number_check_digit",
    "phone_detection_available",
]


class TokenLike(Protocol):
    """What the detectors need from :class:`snspolicy.text.tokens.Token`."""

    surface: str
    start: int
    end: int
    pos: tuple[str, ...]


# --- e-mail addresses ----------------------------------------------------------

_EMAIL_RE = lazy(
    r"(?<![A-Za-z0-9._%+\-])"
    r"(?P<local>[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*)"
    r"(?P<sep>@|\s?[\[(]\s?(?:at|アットマーク|アット)\s?[\])]\s?|★|☆)"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])",
    re.IGNORECASE,
)


def _domain_allowed(domain: str, allowed: list[str], local: str = "") -> bool:
    """An allowed domain (or a subdomain of one), or the whole address listed (``info@example.jp``:
    that address only, e.g. from a list of public contacts)."""
    d = domain.lower().rstrip(".")
    address = f"{local.lower()}@{d}" if local else ""
    for a in allowed:
        a = a.lower().strip()
        if "@" in a.strip("@"):
            if address and a.rstrip(".") == address:
                return True
            continue
        a = a.lstrip("@").lstrip("*").lstrip(".").rstrip(".")
        if a and (d == a or d.endswith("." + a)):
            return True
    return False


def find_emails(text: str, allowed_domains: Iterable[str] | None = ()) -> list[TextMatch]:
    """E-mail addresses whose domain is not an allowed domain (or a subdomain of one) and that
    are not listed whole (an allowed entry with a local part, ``info@example.jp``, allows only itself).

    Also finds the spam-proof spellings ``taro[at]example.jp``, ``taro(at)example.jp``
    and ``taro★example.jp``. Kind ``'email'``, ``data={'domain': …}``.
    """
    if not isinstance(text, str) or not text:
        return []
    allowed = _as_list(allowed_domains)
    out: list[TextMatch] = []
    try:
        for m in _EMAIL_RE.finditer(text):
            domain = m.group("domain")
            if _domain_allowed(domain, allowed, m.group("local")):
                continue
            masked = mask_email(m.group("local") + "@" + domain)
            out.append(TextMatch("email", m.start(), m.end(), masked, {"domain": domain.lower()}))
    except Exception:  # noqa: BLE001
        return out
    return out


# --- street addresses ----------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_KATA = "\u30a1-\u30fa\u30fc"
_PLACE_CH = f"[{_HAN}{_KATA}]"
_KNUM = "[0-9〇一二三四五六七八九十百千]+"
_DIG = "[0-9]+"
_HY = "[\\-‐‑‒–—―−ー－]"
_S = "[ \u3000]?"
_ADDRESS_RE = lazy(
    rf"(?<![{_HAN}{_KATA}])(?P<place>{_PLACE_CH}{{1,30}}?(?:が{_PLACE_CH}{{1,10}}?)?){_S}(?P<num>"
    # 一丁目7番1号 / 1丁目7-1 / 3丁目5番地
    rf"{_KNUM}丁目{_S}{_KNUM}(?:番地?(?:{_S}の?{_S}{_KNUM}号?)?|{_HY}{_KNUM}(?:{_HY}{_KNUM})?)"
    # 1234番地 / 1234番地の5
    rf"|{_KNUM}番地(?:{_S}の?{_S}{_KNUM}号?)?"
    # 7番1号
    rf"|{_KNUM}番{_S}{_KNUM}号"
    # 2-3-4 (needs a strong place name, checked in code)
    rf"|(?P<hy>{_DIG}(?:{_HY}{_DIG}){{1,3}})(?:号室)?"
    r")"
)
_HY_FOLLOW_BAD = lazy(rf"[0-9]|{_HY}[0-9]|\.[0-9]|[年月日時分秒円%回個件歳才人名:/]")
_PLACE_BAD_END = tuple("所館室会場校課部係号線便回期版戦局署院園店階棟第")
_NUMERAL_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}


def _kanji_to_int(s: str) -> str:
    """'二十三' -> '23', '一〇五' -> '105', digits unchanged."""
    if s.isascii():
        return s
    if not any(ch in _NUMERAL_UNITS for ch in s):
        return "".join(str(_NUMERAL_VALUES.get(ch, ch)) for ch in s)
    total, cur = 0, 0
    for ch in s:
        if ch in _NUMERAL_VALUES:
            cur = cur * 10 + _NUMERAL_VALUES[ch]
        elif ch in _NUMERAL_UNITS:
            total += (cur or 1) * _NUMERAL_UNITS[ch]
            cur = 0
        elif ch.isdigit():
            cur = cur * 10 + int(ch)
    return str(total + cur)


def canonical_address(address: str) -> str:
    """A comparable form: ``宇部市常盤町一丁目7番1号`` and ``宇部市常盤町1-7-1`` give the same."""
    if not isinstance(address, str):
        return ""
    s = unicodedata.normalize("NFKC", address)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[‐‑‒–—―−ー－]", "-", s)
    # numbers next to address markers: kanji numerals -> digits
    s = re.sub(r"[0-9〇一二三四五六七八九十百千]+(?=丁目|番|号|-)|(?:(?<=丁目)|(?<=番地)|(?<=[番の-]))[0-9〇一二三四五六七八九十百千]+",
               lambda m: _kanji_to_int(m.group(0)), s)
    s = re.sub(r"丁目|番地の?|番|(?<=[0-9])の(?=[0-9])", "-", s)
    s = s.replace("号室", "").replace("号", "")
    s = re.sub(r"-{2,}", "-", s).strip("-")
    return s


def _address_allowed(found: str, allowed: list[str]) -> bool:
    cf = canonical_address(found)
    for a in allowed:
        if a.rstrip().endswith("*"):  # a prefix: 宇部市常盤町* allows every address of that district
            cp = canonical_address(a.rstrip().rstrip("*"))
            i = cf.find(cp) if cp else -1
            while i >= 0:
                if i == 0 or cf[i - 1] in "都道府県市区郡町村":
                    return True
                i = cf.find(cp, i + 1)
            continue
        ca = canonical_address(a)
        if not ca or not cf:
            continue
        if cf.endswith(ca):
            return True
        if ca.endswith(cf):
            before = ca[: len(ca) - len(cf)]
            if not before or before[-1] in "都道府県市区郡町村":
                return True
    return False


def _strong_place(place: str) -> bool:
    if len(place) < 2 or place.endswith(_PLACE_BAD_END):
        return False
    if place[-1] in "町村区":
        return True
    return re.search(f"[都道府県市郡区町村]{_PLACE_CH}{{2,}}$", place) is not None


def find_addresses(text: str, allowed: Iterable[str] | None = ()) -> list[TextMatch]:
    """Street addresses down to 番地/号 that are not on ``allowed``.

    Found: ``宇部市常盤町一丁目7番1号``, ``宇部市東岐波1234番地``, ``東岐波1234番地の5``,
    ``常盤町7番1号``, ``西本町2-3-4`` and ``宇部市東岐波1234-5`` (the hyphenated form needs
    a place ending in 町/村/区 or a municipality followed by a district name).
    Not found: a district alone (``宇部市東岐波``, ``常盤町一丁目``), ``の一丁目一番地``,
    dates, room or lot numbers without a place. Comparison with ``allowed`` ignores
    spelling (kanji numerals, 丁目/番地/号 vs hyphens) and a leading prefecture/city; an entry
    ending in ``*`` is a prefix (``宇部市常盤町*``: every address of that district).
    The address of a public facility is reported too unless it is allowed (the rule then
    tells organisations' addresses from people's: :mod:`snspolicy.text.contacts`).
    Kind ``'address'``; ``masked`` keeps the place name and hides the numbers;
    ``data={'place': …}``.
    """
    if not isinstance(text, str) or not text:
        return []
    allow = _as_list(allowed)
    out: list[TextMatch] = []
    try:
        for m in _ADDRESS_RE.finditer(text):
            place, num = m.group("place"), m.group("num")
            if m.group("hy") is not None and (not _strong_place(place) or _HY_FOLLOW_BAD.match(text, m.end())
                                              or m.group("hy").startswith("0")):
                continue  # "2-3-4" needs a town name before it; "0836-31-1777" is a phone number
            if place.endswith("第") or re.search("(?:丁目|番地?|号)$", place):
                continue  # "の一丁目一番地", "第1番地"
            found = m.group(0)
            if _address_allowed(found, allow):
                continue
            masked = text[m.start():m.start("num")] + mask_digits(num)
            out.append(TextMatch("address", m.start(), m.end(), masked, {"place": place}))
    except Exception:  # noqa: BLE001
        return out
    return out


# --- names with honorifics -----------------------------------------------------

_HONORIFIC_RE = lazy(r"さん|さま|様|氏|くん|君|ちゃん|殿")
_HIRA = lazy(r"[\u3041-\u3096]")
_PARTICLES = set("はがのにをともへやでよねかなっ")
_HAN_RE = lazy(f"[{_HAN}]")
# words that end a run of kanji before an honorific and are not names
_NOT_NAME_WORDS = ["息子", "双子", "親子", "調子", "子供", "皆", "客", "友達", "家族", "親戚", "先輩", "後輩", "同僚", "上司", "部下", "相手", "隣人", "住人", "主人", "本人", "友人", "個人", "大人", "恋人", "職人", "芸人", "達人", "名人", "新人", "老人", "外国人", "管理人", "料理人", "商人", "役人", "法人", "成人", "婦人", "夫人", "学生", "先生", "高校生", "中学生", "小学生", "大学生", "留学生", "年生", "研修生", "実習生", "近所", "地元", "地域", "兄弟", "姉妹", "夫婦", "旦那", "彼女", "彼氏", "叔父", "叔母", "伯父", "伯母", "祖父", "祖母", "義父", "義母", "苦労", "世話", "馳走", "愁傷", "同様", "多様", "仕様", "模様", "異様", "一様", "有様", "左様", "各様", "今様", "貴様", "八幡", "天神", "稲荷", "観音", "地蔵", "恵比寿", "金毘羅", "住吉", "弁天", "不動", "閻魔", "明神", "権現", "諸", "同", "両", "某", "各", "職員", "市民", "町民", "県民", "村民", "区民", "住民", "選手", "監督", "委員", "議員", "教員", "会員", "団員", "社員", "店員", "駅員", "隊員", "部員", "係員"]
_NOT_NAME_END = tuple("者師員家屋士工官長手役主民族方客皆神仏宮寺社会所局署課部庁省店館園校院団組協隊堂亭舗庵軒苑荘寮市町村県区府都道郡業商品産物場室係班党派国王姫殿祖達様々供")
_HIRA_NOT_NAME = ["みな", "みんな", "みなみな", "たく", "あか", "ばあ", "じい", "かあ", "とう", "にい", "ねえ", "おば", "おじ", "かみ", "ほとけ", "おつかれ", "ごくろう", "あから", "いか", "さか", "あり", "よう", "ごちそう", "おかげ", "えびす", "おいなり", "おてんと", "おひ", "おつき", "たい", "ぶん", "ごめん", "どう", "いもう", "おとう", "おかあ", "おにい", "おねえ", "おじい", "おばあ", "ねこ", "いぬ", "わん", "にゃん", "うさ", "はと"]


_HONORIFIC_END_RE = lazy(r"(?:さん|さま|様|氏|くん|君|ちゃん|殿)$")
_ORG_RE = lazy(r"株式会社|有限会社|合同会社|合資会社|法人|協会|組合|\(株\)|\(有\)|（株）|（有）|㈱|㈲")


def _name_allowed(name: str, allowed: list[str]) -> bool:
    """Is ``name`` (without its honorific) on the allow-list? An entry may be written with
    its honorific (``チョーくん`` allows ``チョー`` before くん) and with spaces."""
    n = re.sub(r"\s+", "", name)
    for a in allowed:
        a2 = _HONORIFIC_END_RE.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", a)))
        if a2 and (n == a2 or n.endswith(a2) or (len(a2) >= 2 and a2 in n)):
            return True
    return False


def _kanji_name_ok(run: str) -> bool:
    if not 2 <= len(run) <= 8:
        return False
    if run.endswith(_NOT_NAME_END):
        return False
    return not any(run.endswith(w) for w in _NOT_NAME_WORDS)


def _hira_name_ok(run: str) -> bool:
    if not 2 <= len(run) <= 5 or run[0] in "おご":
        return False
    if run[0] in _PARTICLES and len(run) > 3:
        return False
    return run not in _HIRA_NOT_NAME and not any(run.endswith(w) for w in _HIRA_NOT_NAME if len(w) >= 3)


def _honorific_follow_ok(text: str, hon: str, end: int) -> bool:
    """The honorific is not the start of a longer word (様子, 氏名, さんま, さまざま)."""
    if end >= len(text):
        return True
    nxt = text[end]
    if hon in ("様", "氏", "君", "殿"):
        return not _HAN_RE.match(nxt)
    if _HIRA.match(nxt):
        return nxt in _PARTICLES
    return True


def _fallback_name_start(text: str, i: int, hon: str) -> int | None:
    """Start of the name before the honorific at ``i`` (no tokens), or None."""
    j = i
    while j > 0 and _HAN_RE.match(text[j - 1]):
        j -= 1
    if j < i:  # kanji name, maybe "山田 太郎"
        start = j
        if j >= 2 and text[j - 1] in " \u3000" and _HAN_RE.match(text[j - 2]):
            k = j - 1
            while k > 0 and _HAN_RE.match(text[k - 1]):
                k -= 1
            if 1 <= (j - 1 - k) <= 4 and (i - j) <= 4:
                start = k
        run = re.sub(r"[ \u3000]", "", text[start:i])
        if len(run) > 6:  # a compound noun before the name: keep the last four characters
            start = i - 4
            run = text[start:i]
        if start > 0 and text[start - 1] in "おご御":
            return None
        if hon == "殿" or not _kanji_name_ok(run):
            return None
        return start
    while j > 0 and _HIRA.match(text[j - 1]):
        j -= 1
    if j < i:  # hiragana name: only when it stands alone (not glued to kanji or kana)
        run = text[j:i]
        if j > 0 and (_HAN_RE.match(text[j - 1]) or re.match(f"[{_KATA}]", text[j - 1])):
            return None
        if hon in ("様", "氏", "君", "殿"):
            return None
        return j if _hira_name_ok(run) else None
    return None  # katakana and Latin names: only with tokens


_UNKNOWN = -1  # tokens cannot tell (no token there, or a hiragana run the dictionary missed)


def _token_name_start(tokens: Sequence[TokenLike], starts: list[int], i: int, hon: str) -> int | None:
    """Start of the name before the honorific at ``i`` per tokens; None: not a name; ``_UNKNOWN``."""
    idx = bisect.bisect_right(starts, i) - 1
    if idx < 0 or not tokens[idx].start <= i < tokens[idx].end:
        return _UNKNOWN
    tok = tokens[idx]
    if tok.start != i or tok.surface != hon:
        return None  # たくさん, お客様, 様々, ちゃんと: part of another word
    k = idx - 1
    run: list[TokenLike] = []
    while k >= 0:
        pos = tuple(tokens[k].pos or ())
        if pos and pos[0] == "名詞":
            run.append(tokens[k])
        elif not (pos and pos[0] == "空白" and run and k > 0 and "人名" in tuple(tokens[k - 1].pos or ())):
            break  # a space is skipped only between two parts of a name
        k -= 1
    run.reverse()  # text order
    names = [n for n, t in enumerate(run) if "人名" in tuple(t.pos or ())]
    if names:
        last = names[-1]
        trailing = run[last + 1:]  # e.g. 琉 of 翔|琉, which the dictionary splits off
        if sum(len(t.surface) for t in trailing) > 2 or any(len(t.surface) != 1 for t in trailing):
            return None  # 山田|商店様
        first = last
        while first > 0 and "人名" in tuple(run[first - 1].pos or ()):
            first -= 1
        return run[first].start
    if not run or all(_HIRA.fullmatch(c) for t in run for c in t.surface):
        return _UNKNOWN
    return None


def _informative(tokens: Sequence[TokenLike]) -> bool:
    """True when the tokens come from a real analyzer (particles, verbs or proper nouns seen)."""
    for t in tokens:
        pos = tuple(t.pos or ())
        if (pos and pos[0] not in ("名詞", "補助記号", "空白")) or "固有名詞" in pos:
            return True
    return False


def find_honorific_names(
    text: str,
    tokens: Sequence[TokenLike] | None = None,
    allowed: Iterable[str] | None = (),
) -> list[TextMatch]:
    """People's names followed by an honorific (さん, 様/さま, 氏, くん/君, ちゃん, 殿).

    With ``tokens`` (SudachiPy-style POS) a name is a run of 名詞 tokens ending in a
    人名 token (at most one extra one-character noun after it, for given names the
    dictionary splits); words that swallow the honorific (たくさん, お客様, 様々) are
    not names. Hiragana names the dictionary does not know (たろうくん) fall back to
    the rules below. Without tokens: 2–8 kanji (or a kanji surname, a space and a
    kanji given name) or 2–5 hiragana standing alone, minus organisations and
    roles (…市, …会議所, …屋, …者, 皆さん, お子さん, 職員の皆さん, 地域の方々) and a
    list of common words; katakana names are left to the tokenized path, and 殿
    is only used with tokens. ``allowed`` holds public names (mascots, the mayor).
    Kind ``'name'``; ``masked`` keeps at most a quarter of the name plus the
    honorific; ``data={'honorific': …}``.
    """
    if not isinstance(text, str) or not text:
        return []
    allow = _as_list(allowed)
    toks: list[TokenLike] | None = None
    if tokens:
        try:
            toks = sorted((t for t in tokens if isinstance(getattr(t, "start", None), int)), key=lambda t: t.start)
        except Exception:  # noqa: BLE001 - malformed tokens: work without them
            toks = None
    if toks and not _informative(toks):
        toks = None  # a crude tokenizer (script changes only): the fallback does better
    starts = [t.start for t in toks] if toks else []
    out: list[TextMatch] = []
    try:
        for m in _HONORIFIC_RE.finditer(text):
            i, hon = m.start(), m.group(0)
            if not _honorific_follow_ok(text, hon, m.end()):
                continue
            start: int | None
            if toks:
                start = _token_name_start(toks, starts, i, hon)
                if start == _UNKNOWN:
                    start = _fallback_name_start(text, i, hon)
                    if start is not None and not _HIRA.match(text[start]):
                        start = None  # tokens saw no name: only the hiragana fallback applies
                elif start is not None and any(text[start:i].endswith(w) for w in _NOT_NAME_WORDS if len(w) >= 2):
                    start = None  # 八幡さん, 住吉さん: surnames that here name a shrine
            else:
                if hon == "ちゃん" and text.startswith("ちゃんと", i):
                    continue  # the adverb ちゃんと
                start = _fallback_name_start(text, i, hon)
            if start is None:
                continue
            name = text[start:i]
            if not name.strip() or _name_allowed(name, allow):
                continue
            if _ORG_RE.search(text[max(0, start - 8):i]):
                continue  # 株式会社山田様, (株)山田様
            out.append(TextMatch("name", start, m.end(), mask_name(name.replace("\u3000", " "), hon), {"honorific": hon}))
    except Exception:  # noqa: BLE001
        return out
    return out


# --- birth dates ---------------------------------------------------------------

_FULL_DATE = (
    r"(?:(?:令和|平成|昭和|大正|明治)\s*(?:元|[0-9]{1,2})|[0-9]{4})\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日"
    r"|[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}"
    r"|[RHST]\.?[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}"
)
_BIRTH_AFTER_RE = lazy(
    rf"(?<![0-9])(?P<date>{_FULL_DATE})(?:\s*\([^)]{{1,4}}\))?\s*(?:に)?\s*(?:生まれ(?!変)|生(?!まれ)(?![{_HAN}])|出生)"
)
# "A〜B生まれ", "AからB生まれ": B ends an eligibility range, not a person's birth date. "?" stands for a
# wave dash lost in transcription (some published texts arrive so); it counts only between two full dates.
_RANGE_BEFORE_RE = lazy(
    rf"(?:{_FULL_DATE})(?:\s*\([^)]{{1,4}}\))?\s*(?:[~〜～\-‐−－?]|から|より)\s*$"
)
_BIRTH_BEFORE_RE = lazy(
    rf"(?:生年月日|誕生日|出生日)\s*(?:は|が|[:：])?\s*(?P<date>{_FULL_DATE})(?![0-9])"
)


def find_birth_dates(text: str, tokens: Sequence[TokenLike] | None = None) -> list[TextMatch]:
    """Birth dates of individuals: a full date (year, month and day) with 生まれ/生/出生
    after it (``平成2年3月4日生まれ``, ``2019年5月1日生``, ``1990/1/2に生まれ``) or
    生年月日/誕生日/出生日 before it (``生年月日：1990年1月2日``).

    Deliberately not reported: a year or year+month alone (``平成2年生まれ``,
    ``平成2年3月生まれ``: many people share it), a birthday without a year
    (``3月4日生まれのお友達``, ``誕生日会``), 生まれ変わる, 生誕100年, 生産/生活, and ranges of
    birth dates that say who may apply (``令和元年4月2日〜令和3年4月1日生まれのお子さん``,
    ``昭和40年4月2日から昭和50年4月1日までに生まれた方``, ``2000年4月2日以降に生まれた方``).
    ``tokens`` is accepted for API symmetry and not needed.
    Kind ``'birthdate'``; ``masked`` hides the numbers.
    """
    del tokens
    if not isinstance(text, str) or not text:
        return []
    out: list[TextMatch] = []
    seen: set[tuple[int, int]] = set()
    try:
        for regex in (_BIRTH_AFTER_RE, _BIRTH_BEFORE_RE):
            for m in regex.finditer(text):
                span = (m.start(), m.end())
                if any(s < span[1] and span[0] < e for s, e in seen):
                    continue
                if _RANGE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start()):
                    continue  # 令和元年4月2日〜令和3年4月1日生まれ: a range of birth dates (who may apply)
                seen.add(span)
                out.append(TextMatch("birthdate", m.start(), m.end(), mask_digits(m.group(0)), {}))
    except Exception:  # noqa: BLE001
        return out
    out.sort(key=lambda t: t.start)
    return out

