"""Whose contact is it? Phone numbers, e-mail and street addresses at the scale of a city (6(5)).

A city's posts are full of public contacts: the section that runs an event, a facility's
address under 「会場：」, a prefectural office, a national navi-dial number, the association
that organises a tournament. A city has hundreds of them; listing every one in ``allow`` is not
realistic. What the guideline forbids is a *person's* contact: a mobile number or address next
to a person's name, a home (自宅), a resident's number.

:func:`classify` reads the words around a contact value and says whose it is:

* ``person`` (error stays): the holder named before the value is a person — a name the analyzer
  tags as a person's name (``問合せ：山田`` then ``【電話】090-…``; ``〇〇協会・山田【電話】…``: the
  number of the association's contact person), or a short kanji name with nothing that makes it an
  organisation — or the value is marked as a home or a resident's (``自宅``, ``さん宅``, ``住民の``:
  reason ``home``) or as someone's own phone (``担当の携帯``, ``個人の携帯``: reason ``private``);
* ``organisation`` (a warning that says how to allow it): the holder ends in an organisation or
  facility word (``課``, ``協会``, ``センター``, ``事務局``, ``(株)``, ``団地`` …), is a katakana or
  Latin-script proper name (``SHIP``), or the value follows a facility label (``所在地：``,
  ``場所：``, ``会場：``, ``物件：``); toll-free and navi-dial numbers (0120, 0800, 0570) are never a
  person's, nor is the address of a mailing list (``…@googlegroups.com``: reason ``list``);
* ``unknown`` (error stays): nothing tells.

The holder is looked for right before the value on its line (``市民協働推進課【電話】…``), right
after an address (``〒243-0000 中町1-2-3 〇〇会議所へ``), in brackets (``〇〇会館(中町1-2-3)``), and
on the previous line when the value starts its line (``問合せ：〇〇課`` / ``【電話】…``).

:func:`snspolicy.io.contacts_csv.load_contacts_csv` reads a list of public contacts (a city's facility list as CSV: the
standard open-data 公共施設一覧 works as is) for ``allow.contacts`` in ``snspolicy.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from snspolicy.core.relazy import lazy

__all__ = ["Holder", "classify", "is_tollfree", "phone_prefix_allowed"]

PERSON, ORGANISATION, UNKNOWN = "person", "organisation", "unknown"

# words that end the name of an organisation, office or facility
_ORG_END = (
    "課", "係", "室", "局", "部", "所", "署", "館", "園", "校", "院", "会", "団", "隊", "庁", "省", "社", "店", "屋",
    "組合", "法人", "機構", "財団", "本部", "支部", "支所", "支局", "事務局", "事務所", "センター", "協会", "協議会",
    "委員会", "連合", "連盟", "クラブ", "教室", "プラザ", "ホール", "病院", "クリニック", "ダイヤル", "窓口", "デスク",
    "農園", "農場", "牧場", "ファーム", "直売所", "市場", "園芸", "斎場", "劇場", "球場", "工場", "広場", "競技場", "運動場",
    "駐車場", "工房", "団地", "住宅", "公園", "会場", "施設", "ショップ", "ストア", "サロン",
    "スタジオ", "ステーション", "ライン", "ホットライン", "コールセンター", "案内", "受付", "担当", "係員", "相談",
    "大学", "学校", "学園", "保育園", "幼稚園", "図書館", "公民館", "体育館", "美術館", "博物館", "資料館", "会議所",
    "グループ", "サークル", "ネットワーク", "プロジェクト", "実行委員会", "事業所", "研究所", "記念館", "市役所", "役場",
    "町内会", "自治会", "振興会", "商店街", "銀行", "郵便局", "駅", "港", "空港", "ビル", "会館", "寺", "神社", "教会",
)
_ORG_WORDS = lazy(r"株式会社|有限会社|合同会社|\(?株\)|\(?有\)|NPO|一般社団|一般財団|公益|社会福祉|学校法人|医療法人|"
                        r"協同組合|事務局|センター|協会|市役所|県庁|役場|組合|財団|法人|労働局|法務局|年金機構|警察|消防")
_FACILITY_LABEL = lazy(r"(?:所在地|所在|場所|会場|開催場所|施設|物件|集合場所|集合|受付場所|窓口|事務所)\s*[:：]\s*$")
_LABEL = lazy(r"(?:問合せ|問い合わせ|問合わせ|お問い合わせ|申込み|申し込み|申込|連絡先|送付先|提出先|宛先|"
                    r"住所|所在地|所在|場所|会場|物件|電話|TEL|Tel|FAX|Fax|メール|E-mail|Eメール|担当)\s*[:：]\s*")
_MARKERS = lazy(r"(?:【[^】]{1,8}】|\[[^\]]{1,8}\]|〔[^〕]{1,8}〕|☎|℡|📞|✉|(?:TEL|Tel|tel|FAX|Fax|fax|"
                      r"電話番号|電話|ファクス|ファックス|メールアドレス|Eメール|メール|E-mail|e-mail|携帯)\s*[:：.]?|"
                      r"[(（][^()（）\n]{1,12}[)）]|[ \u3000\t、,(（]+)$")
_VALUE_TAIL = lazy(r"(?:〒?[0-9][0-9\-－‐ー]*|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+)\s*$")
_HOME = lazy(r"自宅|個人宅|私宅|実家|(?:さん|様|氏|君|ちゃん)(?:の)?宅|(?:さん|様|氏)方|住民の|住人の|近所の")
_PRIVATE = lazy(r"(?:担当者?|職員|個人|私|僕|わたし|本人)の(?:携帯|スマホ|電話|番号|住所|メール|アドレス)|携帯番号|"
                      r"個人の(?:携帯|スマホ)")
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ?"
_ONE_KANJI_NAME = lazy(f"[{_KANJI}]|[{_KANJI}]*\\?[{_KANJI}]*")  # 林; ?木 (a character lost in transcription)
_HONORIFIC_NAME = lazy(f"[{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fc]{{1,8}}(?:さん|様|氏)$")
_NAME_LIKE = lazy(f"[{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fcA-Za-z0-9・&'\\-]+$")
_NOT_PERSON = ("市", "県", "町", "村", "区", "国", "都", "府", "本庁", "支所", "市内", "県内", "市外", "各", "当日",
               "直接", "窓口", "電話", "郵送", "持参", "同", "上記", "下記", "左記", "各課", "本人", "保護者", "代表")
_NOT_ORG = ("住所", "場所", "所在", "個所", "箇所", "近所", "台所", "長所", "短所", "番号", "電話", "会場", "機会", "社会",
            "都会", "今度", "部分", "全部", "一部", "内部", "外部")
_HOLDER_LABEL = lazy(r"^(?:問合せ|問い合わせ|お問い合わせ|問合わせ|申込み|申し込み|申込|お申し込み|連絡先|主催|主管|"
                           r"事務局|運営|担当|送付先|提出先|宛先|実施|販売)\s*(?:[:：]|は)\s*")
_OTHER_LABEL = lazy(r"^[^:：。、]{1,14}[:：]")
_HEADING = lazy(r"^(?:[■□●○◆◇▼▽▲△★☆※◎]+|\(\d+\)|[0-9]+[.．)]|[(（][^()（）]{1,3}[)）])\s*")
_JOINERS = ("・", "(", ")", "&", "＆")
_LABELLED_NAME = lazy(f"[{_KANJI}]{{1,4}}")
# 同部・小室 / 同課・山田: "the department (section…) named above", then the member of its staff who answers;
# the number is that unit's line (not after 共同部・, 合同課・: those are names of their own)
_SAME_UNIT = lazy(f"(?<![{_KANJI}])(同(?:部|課|係|室|局|所|館|センター))[・･]\\s*([{_KANJI}]{{1,4}})$")
_HIRA_ONLY = lazy("[\u3041-\u3096ー]+")
_KANA = lazy("[\u3041-\u3096\u30a1-\u30fa\u30fc]")
_PLACE_CHAR = lazy("[\u4e00-\u9fff々ヶケの\u30a1-\u30fa\u30fc]")
_TOLLFREE = ("0120", "0800", "0570")
_CLOSERS = "へまでに。、．.!！"


@dataclass(frozen=True)
class Holder:
    """Whose the contact is: ``kind`` (person, organisation, unknown), the organisation's name as
    written (empty for a person: never printed), and ``reason`` (name, home, label, tollfree, org)."""

    kind: str
    name: str = ""
    reason: str = ""


def _digits(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if ch.isdigit())


def is_tollfree(value: str) -> bool:
    """A toll-free (0120, 0800) or navi-dial (0570) number: an organisation's line, never a person's."""
    d = _digits(value)
    if d.startswith("81"):
        d = "0" + d[2:]
    return d.startswith(_TOLLFREE)


def _mobile(value: str) -> bool:
    """A mobile or pager number (070, 080, 090, 020): a person's own line, not a unit's."""
    d = _digits(value)
    if d.startswith("81"):
        d = "0" + d[2:]
    return d.startswith(("070", "080", "090", "020"))


def phone_prefix_allowed(national_digits: str, prefixes: list[str]) -> bool:
    """Does the number (national digits, ``0836341234``) start with an allowed prefix (``0836-34-*``)?"""
    return any(p and national_digits.startswith(p) for p in prefixes)


# --------------------------------------------------------------------------- the holder phrase
def _strip_tail(before: str) -> str:
    """``〇〇協会・山田【電話】090-1111-2222【FAX】`` → ``〇〇協会・山田``: markers and other values off the end."""
    prev = None
    s = before
    while s != prev:
        prev = s
        s = _MARKERS.sub("", s)
        s = _VALUE_TAIL.sub("", s)
    return s


def _tokens(phrase: str) -> list[Any]:
    # tokenize never raises on text; a tokenizer that cannot load (TokenizerUnavailable) stops the
    # rule (exit 2) instead of classifying a person's number as an organisation's without tokens
    from snspolicy.text.tokens import tokenize

    return tokenize(phrase)


def _breaks(t: Any) -> bool:
    """Does token ``t`` end a noun phrase (a particle, a verb, punctuation)?"""
    pos = tuple(t.pos or ())
    if t.surface in _JOINERS:
        return False
    return pos[:1] in (("助詞",), ("助動詞",), ("動詞",), ("形容詞",), ("副詞",), ("接続詞",)) or \
        t.surface in ("。", "、", ",", "!", "?", "「", "」", "『", "』", ":", "…", "...")


def _phrases(s: str) -> list[str]:
    """The noun phrases of ``s`` in order (a label line: ``申込み：〇〇協会へ電話で`` → [〇〇協会, 電話])."""
    out: list[str] = []
    start = None
    end = 0
    for t in _tokens(s):
        if _breaks(t):
            if start is not None:
                out.append(s[start:end])
            start = None
        else:
            if start is None:
                start = t.start
            end = t.end
    if start is not None:
        out.append(s[start:end])
    return [p.strip(" \u3000・") for p in out if p.strip(" \u3000・()（）")]


def _trim(phrase: str) -> str:
    """Spaces and ・ off both ends, and a bracket that has lost its partner (``(株)〇〇`` keeps its own)."""
    p = phrase.strip(" \u3000・")
    for op, cl in (("(", ")"), ("（", "）")):
        while p.startswith(op) and cl not in p:
            p = p[1:].strip(" \u3000・")
        while p.endswith(cl) and op not in p:
            p = p[:-1].strip(" \u3000・")
        while p.endswith(op):
            p = p[:-1].strip(" \u3000・")
        while p.startswith(cl):
            p = p[1:].strip(" \u3000・")
    return p


def _phrase_end_simple(s: str) -> str:
    toks = _tokens(s)
    start = 0
    for t in toks:
        if _breaks(t):
            start = t.end
    return _trim(s[start:])


def _phrase_end(s: str) -> str:
    """The noun phrase at the end of ``s``: after the last particle, punctuation or label."""
    m = _LABEL.search(s)
    while m:  # after the last label
        s = s[m.end():]
        m = _LABEL.search(s)
    toks = _tokens(s)
    if toks:
        start, last_break = 0, -1
        for i, t in enumerate(toks):
            if _breaks(t):
                start, last_break = t.end, i
        phrase = s[start:]
        if last_break >= 0 and _HIRA_ONLY.fullmatch(phrase.strip() or "x") and len(phrase.strip()) <= 4:
            # あゆさぽ read as verb + particle: a hiragana tail glued to a name (〇〇センターあゆさぽ)
            j = last_break
            while j >= 0 and _HIRA_ONLY.fullmatch(toks[j].surface) and \
                    toks[j].end == (toks[j + 1].start if j + 1 < len(toks) else len(s)):
                j -= 1
            while j >= 0 and not _breaks(toks[j]):
                j -= 1
            phrase = s[toks[j].end if j >= 0 else 0:]
    else:
        m2 = _NAME_LIKE.search(s)
        phrase = m2.group(0) if m2 else ""
    phrase = _trim(phrase)
    # みらいの森事務局: an organisation's name may hold の — extend over "noun の" while it stays one;
    # 〇〇センターうめの木: so does a name ending in kana, の and one kanji (木 there is no surname)
    for _ in range(2):
        k = s.rfind(phrase) if phrase else -1
        if k < 2 or s[k - 1] != "の":
            break
        if not _org_name(phrase) and not (len(phrase) == 1 and _KANA.match(s[k - 2])):
            break
        m = re.search(f"[{_KANJI}\u30a1-\u30fa\u30fcA-Za-z0-9\u3041-\u3096]{{1,12}}$", s[:k - 1])
        head = _phrase_end_simple(s[:k - 1]) if m else ""
        if not head or _kind_of(head)[0] == PERSON:
            break
        phrase = head + "の" + phrase
    return phrase


def _org_name(s: str) -> bool:
    s = s.strip(" \u3000()（）")
    return bool(s) and ((s.endswith(_ORG_END) and not s.endswith(_NOT_ORG)) or _ORG_WORDS.search(s) is not None)


def _kind_of(phrase: str) -> tuple[str, str]:
    """(kind, reason) of a holder phrase."""
    if not phrase:
        return UNKNOWN, ""
    if phrase.endswith("\0name"):  # a short kanji name alone after 問合せ：
        name = phrase[:-5]
        if name not in _NOT_PERSON and not name.endswith(_ORG_END) and not _ORG_WORDS.search(name):
            return PERSON, "name"
        phrase = name
    last = re.split(r"[・/／]", phrase)[-1].strip(" \u3000()（）")
    if not last:
        return UNKNOWN, ""
    if _HONORIFIC_NAME.search(last):
        return PERSON, "name"
    toks = [t for t in _tokens(last) if t.pos and t.pos[0] != "補助記号"]
    if toks and all("人名" in tuple(t.pos or ()) for t in toks):
        return PERSON, "name"
    if _ONE_KANJI_NAME.fullmatch(last) and len(last) <= 3 and last not in _NOT_PERSON:
        return PERSON, "name"  # 林, ?木: a one-character surname the analyzer may read as a common noun
    segments = [x for x in re.split(r"[・/／]", phrase) if x.strip()]
    if len(segments) >= 2 and _org_name(segments[-2]) and _LABELLED_NAME.fullmatch(last) \
            and not _org_name(last) and last not in _NOT_PERSON and not any("地名" in tuple(t.pos or ()) for t in toks):
        return PERSON, "name"  # 〇〇協会・横本: the association's contact person (〇〇支部・相模原: a place)
    org_end = (phrase.endswith(_ORG_END) or last.endswith(_ORG_END)) and not last.endswith(_NOT_ORG)
    if org_end or _ORG_WORDS.search(phrase):
        return ORGANISATION, "org"
    if re.search("[\u30a1-\u30fa\u30fc]{3,}|[A-Za-z]{2,}", last) and not any("人名" in tuple(t.pos or ()) for t in toks):
        return ORGANISATION, "org"  # SHIP, エーザイ, フードバンクあつぎ: a katakana or Latin name, not a person's
    if len(last) >= 3 and any("固有名詞" in tuple(t.pos or ()) and not {"人名", "地名"} & set(t.pos or ()) for t in toks):
        return ORGANISATION, "org"  # a proper noun that is neither a person nor a place
    return UNKNOWN, ""


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, (len(text) if le < 0 else le)


def classify(text: str, start: int, end: int, kind: str = "phone") -> Holder:
    """Whose contact is ``text[start:end]`` (a phone number, e-mail or address in normalized text)?"""
    if not isinstance(text, str) or not 0 <= start < end <= len(text):
        return Holder(UNKNOWN)
    value = text[start:end]
    if kind == "phone" and is_tollfree(value):
        return Holder(ORGANISATION, "", "tollfree")
    ls, le = _line_bounds(text, start, end)
    if kind == "address":  # the detector may start inside the place name (宮の|里三丁目…): take all of it
        while start > ls and _PLACE_CHAR.match(text[start - 1]) and end - start < 40:
            start -= 1
    before = text[max(ls, start - 80):start]
    after = text[end:min(le, end + 40)]
    near = text[max(ls, start - 25):start]
    if _HOME.search(near) or _HOME.match(after.lstrip(" )）")):
        return Holder(PERSON, "", "home")
    if _PRIVATE.search(near):
        return Holder(PERSON, "", "private")
    if kind == "email" and _mailing_list(value):
        return Holder(ORGANISATION, "", "list")  # a group's list reaches its members, not one person's mailbox
    stripped = _strip_tail(before)
    same = _SAME_UNIT.search(stripped) if kind != "phone" or not _mobile(value) else None
    if same:
        return Holder(ORGANISATION, same.group(1), "org")
    phrase = _phrase_end(stripped)
    k, reason = _kind_of(phrase)
    if k == UNKNOWN and phrase and stripped.endswith(phrase) and _LABELLED_NAME.fullmatch(phrase) \
            and not any("地名" in tuple(t.pos or ()) for t in _tokens(phrase)):
        k, reason = _kind_of(phrase + "\0name")  # …までに野守【電話】: a short name right before the number
    if k == UNKNOWN:
        # 〇〇会館(中町1-2-3): the name before the bracket
        m = re.search(r"([^\s(（:：、。]{2,40})[(（]\s*$", before)
        if m:
            k, reason = _kind_of(_phrase_end(m.group(1)))
            phrase = _phrase_end(m.group(1))
    if k == UNKNOWN and kind in ("address", "email"):
        # 〒243-0000 中町1-2-3 〇〇会議所へ: the organisation right after the value
        m = re.match(r"\s*([^\s、。,()（）【]{2,40}?)(?:へ|まで|あて|宛|内|[、。]|$)", after)
        if m:
            k2, r2 = _kind_of(_phrase_end(m.group(1)))
            if k2 != UNKNOWN:
                return Holder(k2, _display(m.group(1)) if k2 == ORGANISATION else "", r2)
    if k == UNKNOWN and _FACILITY_LABEL.search(stripped):
        return Holder(ORGANISATION, _display(_previous_holder(text, ls).replace("\0label", "")), "label")
    if k == UNKNOWN and (_only_label(stripped) or _only_means(stripped)):
        prev = _previous_holder(text, ls, same_unit=kind != "phone" or not _mobile(value))
        if prev == "\0label":
            return Holder(ORGANISATION, "", "label")
        if prev:
            k, reason = _kind_of(prev)
            phrase = prev
    if k == UNKNOWN and kind == "email":
        k, reason = _email_kind(value)
    return Holder(k, _display(phrase) if k == ORGANISATION else "", reason)


def _only_means(s: str) -> bool:
    """``申込み：Eメールで`` — a label and how to apply, no holder: the holder is named above."""
    m = _LABEL.search(s)
    if not m:
        return False
    rest = s[m.end():]
    return bool(rest) and re.fullmatch(r"(?:直接|電話|ファクス|FAX|Eメール|メール|郵送|はがき|ハガキ|往復はがき|窓口|HP|ウェブ|市HP|または|か|、|で|に|・|\s)+", rest) is not None


def _only_label(s: str) -> bool:
    """Nothing but labels and markers before the value on its line (``【電話】``, ``住所：``)."""
    rest = _LABEL.sub("", s).strip(" \u3000・:：")
    return rest == "" or _HEADING.fullmatch(rest) is not None


def _best(phrases: list[str]) -> str:
    """The last phrase that names a person or an organisation (``申込み：〇〇(株)で随時受付`` → 〇〇(株))."""
    for ph in reversed(phrases):
        if len(ph) == 1 and len(phrases) > 1:
            continue  # 日 of 〇〇委員の日: one character out of a longer line names no one
        if _kind_of(ph)[0] != UNKNOWN:
            return ph
    return ""


def _previous_holder(text: str, line_start: int, same_unit: bool = True) -> str:
    """The holder named on the lines above a value that starts its line, within its block (up to a
    blank line): the end of a ``問合せ：`` / ``申込み：`` line, or a heading (``■〇〇クラブ``, ``(3)〇〇農園``);
    lines of other labels (``住所：``, ``主な販売商品：``) and address lines are skipped. Returns
    ``"\0label"`` when the line above is a facility label alone (``物件：``). ``same_unit``: ``同部・小室``
    names the department above (not for a mobile number: that is the person's own)."""
    end = line_start - 1
    for _ in range(6):
        if end <= 0:
            break
        s = text.rfind("\n", 0, end) + 1
        line = text[s:end].strip()
        end = s - 1
        if not line:
            break
        m = _HOLDER_LABEL.match(line)
        if m:
            rest = _strip_tail(line[m.end():]).rstrip("。.")
            same = _SAME_UNIT.search(rest) if same_unit else None
            if same:
                return same.group(1)  # 問合せ：同部・小室 — the department's line
            if _LABELLED_NAME.fullmatch(rest):
                return rest + "\0name"  # 問合せ：本田 — nothing but a short name after the label
            end_phrase = _phrase_end(re.sub(r"(?:へ|まで|に)$", "", rest))
            return end_phrase if _kind_of(end_phrase)[0] != UNKNOWN else _best(_phrases(rest))
        if _FACILITY_LABEL.search(line):
            return "\0label"
        if "〒" in line or _OTHER_LABEL.match(line) or re.search(r"[0-9]+[\-ー][0-9]+", line):
            continue
        h = _HEADING.match(line)
        if h or (len(line) <= 30 and "。" not in line):
            body = re.sub(r"[(（][^()（）]*[)）]$", "", line[h.end():] if h else line).strip()
            if not body:
                continue  # (無人販売・事前に問い合わせ): a note, not a name
            return (_best([body]) if len(body) <= 30 else "") or _best(_phrases(body))
        # a sentence: the holder may be named in a heading above it
    return ""


def _display(name: str) -> str:
    """The organisation's name as shown in a message: no postal code or address before it."""
    name = name.replace("\0name", "").replace("\0label", "")
    name = re.sub(r"^〒?\s*[0-9]{3}-?[0-9]{4}\s*", "", name.strip())
    m = re.match(r"^.{0,30}?[0-9]+(?:-[0-9]+)+(?=[^0-9\-])", name)
    if m and "〒" not in name[m.end():]:
        name = name[m.end():]
    name = name.strip(" \u3000・、。")
    if name.startswith(("(", "（")) and not re.search(r"[)）]", name):
        name = name[1:]
    return name if len(name) <= 24 else name[:23] + "…"


_FREE_MAIL = ("gmail.com", "yahoo.co.jp", "ymail.ne.jp", "outlook.jp", "outlook.com", "hotmail.com", "hotmail.co.jp",
              "icloud.com", "me.com", "live.jp", "ezweb.ne.jp", "au.com", "docomo.ne.jp", "softbank.ne.jp",
              "i.softbank.jp", "biglobe.ne.jp", "nifty.com", "ocn.ne.jp", "so-net.ne.jp")
# hosts of mailing lists: an address there is a group's (its members read it), even next to the name
# of the member who runs it
_LIST_HOSTS = ("googlegroups.com", "groups.io")
_ORG_DOMAIN = lazy(r"\.(?:go|lg|ac|ed|or|gr|co|ne|ad)\.jp$|\.(?:gov|edu|org)$", re.IGNORECASE)
_GENERIC_LOCAL = lazy(r"^(?:info|information|office|contact|jimukyoku|jimu|support|webmaster|admin|desk|event|"
                            r"inquiry|toiawase|otoiawase|soudan|madoguchi|secretariat|kouhou|koho)\b", re.IGNORECASE)


def _mailing_list(address: str) -> bool:
    domain = address.rpartition("@")[2].lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in _LIST_HOSTS)


def _email_kind(address: str) -> tuple[str, str]:
    local, _, domain = address.partition("@")
    domain = domain.lower().rstrip(".")
    free = any(domain == d or domain.endswith("." + d) for d in _FREE_MAIL)
    if not free and (_ORG_DOMAIN.search(domain) or _GENERIC_LOCAL.match(local)):
        return ORGANISATION, "org"
    return UNKNOWN, ""
