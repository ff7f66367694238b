"""Generate a realistic posts repo of any size for the benchmarks.

``build_repo(root, n)`` writes a posts repo with ``n`` posts:

* the non-post files (``snspolicy.yaml``, ``accounts/``, ``staff/roster.csv`` in
  Shift_JIS, ``registry/``, ``docs/operating-rules/``, ``press/``, ``.github/``)
  are copied from ``examples/ube-city-posts`` — they are kept valid as the
  schemas change, so the generated repo stays lintable;
* posts are written for the example's accounts (X, Instagram, LINE), by the
  accounts' holders and approved by their managers or deputies, published
  between ``START`` and ``END`` (``TODAY`` is the day after ``END``);
* bodies are synthetic municipal announcements composed from the phrase pools
  below (written for this benchmark): a title line, sentences with dates and
  their weekdays, times, places, fees, deadlines, a contact line, a link and
  hashtags. X posts stay within X's weighted 280; LINE within 500; Instagram
  posts are longer. The median body is about 220 characters;
* about 1 post in 60 is linked to a generated press release (embargo before
  publishing) and about 4 % carry one planted violation (wrong weekday, a
  private mobile number, an http link, too many hashtags, an over-long
  sentence, a draft marker, or no approval), listed in the returned manifest.

Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ube-city-posts"
COPIED = ("snspolicy.yaml", "accounts", "staff", "registry", "docs", "press", ".github")

START = dt.date(2025, 4, 2)
END = dt.date(2026, 10, 31)
TODAY = (END + dt.timedelta(days=1)).isoformat()
JST = dt.timezone(dt.timedelta(hours=9))
WEEKDAYS = "月火水木金土日"

# Share of posts per account (the example's accounts) and the category pool of each.
ACCOUNT_SHARE = {"ube-city-x": 0.24, "ube-bousai-x": 0.08, "ube-city-instagram": 0.30, "ube-kosodate-line": 0.38}
VIOLATION_RATE = 0.04
PRESS_EVERY = 60

# --------------------------------------------------------------------------- phrase pools (synthetic)

PLACES = ["ときわ公園", "宇部市文化会館", "渡辺翁記念会館", "中央図書館", "宇部新川駅前広場", "常盤湖畔",
          "ふれあいセンター", "保健センター", "市役所本庁舎1階ロビー", "真締川公園", "アクトビレッジおの",
          "俵田翁記念体育館", "恩田運動公園", "ときわミュージアム", "学びの森くすのき", "男女共同参画センター"]
SECTIONS = ["kurashi", "kosodate", "kenko", "kanko", "bousai", "shisei", "bunka", "sports", "kankyo"]
SLUGS = ["event", "oshirase", "boshu", "annai", "kouza", "kenshin", "hiroba", "matsuri", "taikai", "tenji",
         "soudan", "gomi", "bousai", "tosho", "sports", "kankyo", "kosodate", "yobou"]
DEPTS = {"ube-city-x": "広報広聴課", "ube-bousai-x": "防災危機管理課", "ube-city-instagram": "観光振興課",
         "ube-kosodate-line": "こども家庭課"}
MAIL = {"ube-city-x": "kouhou", "ube-bousai-x": "bousai", "ube-city-instagram": "kankou", "ube-kosodate-line": "kodomo"}
TAGS = {
    "ube-city-x": ["#宇部市", "#市政情報", "#宇部のイベント", "#くらしの情報"],
    "ube-bousai-x": ["#宇部市", "#防災", "#備えあれば", "#宇部市防災"],
    "ube-city-instagram": ["#宇部市", "#ときわ公園", "#宇部観光", "#山口県", "#宇部の風景", "#週末おでかけ"],
    "ube-kosodate-line": ["#宇部市", "#子育て", "#宇部の子育て"],
}

EVENTS = {
    "ube-city-x": [("市民清掃デー", "civic"), ("まちづくり講演会", "civic"), ("消費生活講座", "civic"),
                   ("ふるさと産品フェア", "product"), ("花と緑のフェスタ", "event"), ("地域の音楽祭", "event"),
                   ("スマホ教室", "civic"), ("健康ウオーキング大会", "health"), ("特定健診の集団検診", "health"),
                   ("マイナンバーカード休日窓口", "civic"), ("税の申告相談", "civic"), ("献血キャンペーン", "health")],
    "ube-bousai-x": [("防災講座", "safety"), ("避難訓練", "safety"), ("防災士養成講座", "safety"),
                     ("土のう配布", "safety"), ("防災マップ説明会", "safety"), ("救命講習", "safety")],
    "ube-city-instagram": [("ときわ公園のライトアップ", "tourism"), ("野外彫刻めぐりツアー", "tourism"),
                           ("動物園のガイドツアー", "tourism"), ("花の写真展", "event"), ("秋の収穫まつり", "event"),
                           ("特産品の試食会", "product"), ("湖畔のヨガ教室", "event"), ("星空観察会", "event"),
                           ("バラの見ごろガイド", "tourism"), ("ご当地グルメ市", "product")],
    "ube-kosodate-line": [("親子ふれあい広場", "childcare"), ("離乳食教室", "childcare"), ("乳幼児健診", "childcare"),
                          ("子育て相談会", "childcare"), ("絵本の読み聞かせ会", "childcare"), ("パパママ教室", "childcare"),
                          ("予防接種の案内", "health"), ("一時預かりの説明会", "childcare"), ("親子リトミック", "childcare")],
}
ACTIVITIES = ["会場では体験コーナーや展示を用意しています", "当日は係員が会場を案内します",
              "初めての方にも分かりやすく説明します", "雨天の場合は屋内で行います",
              "動きやすい服装でお越しください", "駐車場に限りがありますので、公共交通機関をご利用ください",
              "筆記用具をお持ちください", "会場の近くに臨時の駐輪場を設けます", "途中からの参加もできます",
              "季節の草花を眺めながら楽しめます", "地元の団体によるステージ発表もあります",
              "参加された方には記念品を差し上げます", "会場内は禁煙です", "お子さま連れでも参加できます",
              "手話通訳と要約筆記があります", "混雑が予想されますので、時間に余裕をもってお越しください"]
TARGETS = ["市内在住の方", "市内在住・在勤の方", "小学生以上の方（小学生は保護者同伴）", "市内在住の18歳以上の方",
           "0歳から3歳までのお子さんと保護者", "65歳以上の方", "市内の中学生・高校生", "妊娠中の方とそのご家族",
           "40歳以上の方", "市内在住の親子（先着30組）", "どなたでも（定員は先着20人）"]
FEES = ["参加は無料です", "参加費は500円です", "参加費は1,000円（材料費を含む）です", "入場は無料です",
        "費用はかかりません", "受講料は300円です"]
TIMES = ["10時～12時", "13時30分～15時30分", "9:30～11:30", "10:00～15:00", "午後2時から", "午前10時から",
         "18時～20時", "10時～16時（受け付けは15時30分まで）"]
BOUSAI_NOTES = ["ハザードマップで自宅周辺の危険な場所を確かめておきましょう",
                "非常持ち出し袋の中身を家族で見直しましょう", "飲料水と食料は最低3日分を備えてください",
                "避難所の場所と経路を、日ごろから確認しておきましょう", "気象情報と市からのお知らせに注意してください",
                "川や用水路には近づかないでください", "停電に備えて、懐中電灯とモバイルバッテリーを準備しましょう"]
SEASON_NOTES = ["桜が見ごろを迎えています", "新緑がきれいな季節になりました", "あじさいが色づき始めました",
                "夏休みの思い出づくりにいかがですか", "紅葉が少しずつ色づいてきました", "朝晩の冷え込みが強くなってきました",
                "寒い日が続きますので、暖かくしてお越しください", "日差しが強い日は帽子をかぶり、こまめに水分をとりましょう"]
MORE = ["当日の様子は、後日このアカウントで紹介します。", "持ち物は飲み物とタオルです。",
        "会場までは宇部新川駅からバスで約15分です。", "申し込みは電話、またはホームページの申し込みフォームで受け付けます。",
        "定員を超えた場合は抽選とし、結果は申し込み締め切りの翌週にお知らせします。",
        "昨年度は多くの方にご参加いただき、好評をいただきました。", "受け付けは開始時刻の30分前から行います。",
        "天候などにより内容を変更する場合は、このアカウントでお知らせします。"]
CLOSINGS = ["皆さんのご参加をお待ちしています。", "ぜひお気軽にお越しください。", "ご家族やお友達とご一緒にどうぞ。",
            "詳しくは市のホームページをご覧ください。", "ご協力をお願いします。", "お誘い合わせのうえお越しください。"]

# Planted violations: (kind, expected rule)
VIOLATIONS = [("weekday", "accuracy-weekday"), ("mobile", "pii-phone"), ("http", "link-https"),
              ("hashtags", "clarity-hashtags"), ("long-sentence", "clarity-sentence-length"),
              ("draft", "text-predecisional"), ("no-approval", "post-approval")]


def _wd(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


def _md(d: dt.date, weekday: str | None = None) -> str:
    return f"{d.month}月{d.day}日（{weekday or _wd(d)}）"


def x_weight(text: str) -> int:
    """X's weighted length, close enough for generating: URLs 23, ASCII 1, the rest 2."""
    urls = re.findall(r"https?://\S+", text)
    rest = re.sub(r"https?://\S+", "", text)
    return 23 * len(urls) + sum(1 if ord(c) < 0x1100 else 2 for c in rest)


def body_length(text: str) -> int:
    return len(text)


# --------------------------------------------------------------------------- accounts


@dataclass
class Account:
    id: str
    platform: str
    authors: list[tuple[str, dt.date]]  # (employee id, assigned on)
    approvers: list[str]
    weight: float = 0.0


def _date(v: object) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def read_accounts(repo: Path) -> list[Account]:
    out = []
    for path in sorted((repo / "accounts").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("id") not in ACCOUNT_SHARE:
            continue
        authors = [(str(h["employee_id"]), _date(h["assigned_on"])) for h in data.get("holders") or []]
        approvers = [str(data["manager"]["employee_id"])] + [str(d["employee_id"]) for d in data.get("deputies") or []]
        out.append(Account(data["id"], data["platform"], authors, approvers, ACCOUNT_SHARE[data["id"]]))
    return out


# --------------------------------------------------------------------------- bodies


@dataclass
class Post:
    rel: str
    id: str
    account: str
    publish: dt.datetime
    category: str
    body: str
    violation: str | None = None
    press: str | None = None


@dataclass
class Manifest:
    posts: list[Post] = field(default_factory=list)
    press: list[str] = field(default_factory=list)
    git: bool = False  # the repo is a git repository with one commit

    def expected(self) -> Counter:
        """Planted violations per rule."""
        rules = dict(VIOLATIONS)
        return Counter(rules[p.violation] for p in self.posts if p.violation)

    def stats(self) -> dict:
        lengths = sorted(len(p.body) for p in self.posts)
        return {"posts": len(self.posts), "press_releases": len(self.press),
                "body_chars": sum(lengths), "median_chars": statistics.median(lengths) if lengths else 0,
                "p10_chars": lengths[len(lengths) // 10] if lengths else 0,
                "p90_chars": lengths[len(lengths) * 9 // 10] if lengths else 0,
                "planted": dict(sorted(self.expected().items()))}


def _link(rng: random.Random, scheme: str = "https") -> str:
    return f"{scheme}://www.city.ube.yamaguchi.jp/{rng.choice(SECTIONS)}/{rng.choice(SLUGS)}/{rng.choice(SLUGS)}{rng.randint(1, 99):02d}.html"


def _contact(rng: random.Random, account: str) -> str:
    dept = DEPTS[account]
    return rng.choice([
        f"問い合わせ：{dept}（電話0836-31-1111）",
        "お問い合わせは宇部市役所 0836-31-1111（代表）へ。",
        f"問い合わせ：{dept} {MAIL[account]}@city.ube.yamaguchi.jp",
        f"申し込み・問い合わせは{dept}（0836-31-1111）へ。",
    ])


def _sentences(rng: random.Random, account: str, event: str, publish: dt.date, violation: str | None) -> tuple[str, list[str]]:
    """Title and the pool of body sentences of one post, most important first."""
    day = publish + dt.timedelta(days=rng.randint(4, 40))
    deadline = publish + dt.timedelta(days=rng.randint(1, max(1, (day - publish).days - 2)))
    place = rng.choice(PLACES)
    weekday = None
    if violation == "weekday":
        weekday = WEEKDAYS[(day.weekday() + rng.randint(1, 6)) % 7]
    if account == "ube-bousai-x":
        title = rng.choice([f"【{event}のお知らせ】", f"【防災】{event}", f"＜{event}＞"])
        first = f"{_md(day, weekday)}{rng.choice(TIMES)}に、{place}で{event}を行います。"
        pool = [first, rng.choice(BOUSAI_NOTES) + "。", f"対象は{rng.choice(TARGETS)}で、{rng.choice(FEES)}。",
                f"申し込みは{_md(deadline)}までにお願いします。", rng.choice(BOUSAI_NOTES) + "。",
                rng.choice(ACTIVITIES) + "。"]
    else:
        title = rng.choice([f"【{event}】", f"【{event}のお知らせ】", f"＼{event}を開催します／", f"◆{event}◆"])
        first = rng.choice([f"{_md(day, weekday)}{rng.choice(TIMES)}に、{place}で{event}を開きます。",
                            f"{_md(day, weekday)}に{place}で「{event}」を開催します。",
                            f"{place}で{_md(day, weekday)}、{event}を行います。"])
        pool = [first, f"対象は{rng.choice(TARGETS)}で、{rng.choice(FEES)}。", rng.choice(ACTIVITIES) + "。",
                f"申し込みは{_md(deadline)}までに受け付けます。", rng.choice(SEASON_NOTES) + "。",
                rng.choice(ACTIVITIES) + "。", *rng.sample(MORE, 2), rng.choice(CLOSINGS)]
        if rng.random() < 0.4:
            later = day + dt.timedelta(days=rng.choice([7, 14]))
            pool.insert(2, f"{_md(later)}にも同じ内容で開催します。")
    return title, pool


def compose(rng: random.Random, account: Account, publish: dt.date, violation: str | None = None,
            lead: str | None = None) -> tuple[str, str]:
    """(category, body) of one post; ``lead`` is a sentence put first."""
    event, category = rng.choice(EVENTS[account.id])
    title, pool = _sentences(rng, account.id, event, publish, violation)
    if lead:
        pool.insert(0, lead)
    contact = _contact(rng, account.id) if rng.random() < 0.6 else None
    link = _link(rng, "http" if violation == "http" else "https") if (violation == "http" or rng.random() < 0.75) else None
    tags_pool = TAGS[account.id]
    ntags = len(tags_pool) if violation == "hashtags" else rng.choice([0, 1, 1, 2, 2, 3])
    if account.platform == "instagram":
        ntags = min(len(tags_pool), ntags + 2) if violation != "hashtags" else len(tags_pool)
    tags = " ".join(rng.sample(tags_pool, min(ntags, len(tags_pool)))) if ntags else ""
    if violation == "hashtags":  # one more than the platform allows (X, LINE 3; Instagram 5)
        tags = " ".join(tags_pool + ["#宇部まつり", "#山口観光"])
    extra: list[str] = []
    if violation == "mobile":
        extra.append(f"当日の連絡先は担当の携帯電話090-{rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}です。")
    if violation == "draft":
        extra.append("会場の配置図は素案の段階ですが、先にお知らせします。")
    if violation == "long-sentence":
        extra.append(f"当日は{rng.choice(PLACES)}の周辺道路が大変混雑することが予想されますので、"
                     "できるだけ公共交通機関をご利用いただき、お車でお越しの場合は係員の誘導に従って臨時駐車場に"
                     "駐車していただくとともに、近隣の住宅や店舗の駐車場には止めないようお願いいたします。")
    if account.platform == "x":
        budget, target = 270, 10_000
    elif account.platform == "line":
        budget, target = 490, int(rng.lognormvariate(5.58, 0.3))
    else:
        budget, target = 2000, int(rng.lognormvariate(5.68, 0.35))

    def render(n: int) -> str:
        lines = [title, "".join(pool[:n] + extra)]
        if contact:
            lines.append(contact)
        if link:
            lines.append(("詳しくは " if rng_flag else "") + link)
        if tags:
            lines.append(tags)
        return "\n".join(lines)

    rng_flag = rng.random() < 0.5
    if account.platform == "x" and x_weight(render(1)) > budget:
        contact = None  # keep a post with a planted violation within X's length
    n = 1
    while n < len(pool):
        candidate = render(n + 1)
        weight = x_weight(candidate) if account.platform == "x" else len(candidate)
        if weight > budget or len(render(n)) >= target:
            break
        n += 1
    return category, render(n)


# --------------------------------------------------------------------------- repo


def _pick_account(rng: random.Random, accounts: list[Account]) -> Account:
    return rng.choices(accounts, weights=[a.weight for a in accounts])[0]


def commit_all(root: Path) -> bool:
    """Make ``root`` a git repository with everything in one commit, as a posts repo is (the secret
    scan then lists files with git, as in real use). False when git is not installed."""
    if shutil.which("git") is None:
        return False
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "posts"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    return True


def build_repo(root: Path, n: int, seed: int = 2025, git: bool = False) -> Manifest:
    """Write a posts repo with ``n`` posts under ``root`` (created); returns what was written.
    ``git``: also make it a git repository with one commit (:func:`commit_all`)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = EXAMPLE / name
        if src.is_dir():
            shutil.copytree(src, root / name, dirs_exist_ok=True)
        elif src.exists():
            shutil.copy2(src, root / name)
    accounts = read_accounts(root)
    if not accounts:
        raise RuntimeError(f"no known account in {EXAMPLE / 'accounts'}")
    manifest = Manifest()
    span = (END - START).days
    for i in range(n):
        acc = _pick_account(rng, accounts)
        day = START + dt.timedelta(days=rng.randint(0, span))
        authors = [a for a, since in acc.authors if since <= day - dt.timedelta(days=3)] or [acc.authors[0][0]]
        violation = rng.choice(VIOLATIONS)[0] if rng.random() < VIOLATION_RATE else None
        if violation == "long-sentence" and acc.platform == "x":
            violation = "weekday"  # a 100-character sentence does not fit in an X post
        press = keyword = None
        if i % PRESS_EVERY == PRESS_EVERY // 2:
            press = f"{day.isoformat()}-bench-{i:05d}"
            keyword = f"第{i}回宇部ベンチ記念事業"
        category, body = compose(rng, acc, day, violation, f"{keyword}の概要を発表しました。" if keyword else None)
        hour = rng.choice([7, 9, 9, 10, 12, 12, 15, 17, 18])
        publish = dt.datetime(day.year, day.month, day.day, hour, rng.choice([0, 0, 30]), tzinfo=JST)
        slug = rng.choice(SLUGS)
        pid = f"{day.isoformat()}-{slug}-{i:05d}"
        rel = f"posts/{acc.id}/{day.year}/{pid}.md"
        if press:
            embargo = publish - dt.timedelta(hours=rng.randint(1, 20))
            (root / "press" / f"{press}.yaml").write_text(
                f"id: {press}\ntitle: {keyword}の開催について\nembargo_until: {embargo.isoformat()}\n"
                f"keywords: [{keyword}]\n", encoding="utf-8")
            manifest.press.append(press)
        front = [f"id: {pid}", f"account: {acc.id}", "status: published", f"publish_at: {publish.isoformat()}",
                 f"category: {category}", f'author: {{employee_id: "{rng.choice(authors)}"}}']
        if violation != "no-approval":
            approver = rng.choice(acc.approvers)
            front.append(f'approval: {{approved_by: "{approver}", approved_on: '
                         f"{(day - dt.timedelta(days=rng.randint(0, 3))).isoformat()}}}")
        if press:
            front.append(f"press_release: {press}")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(front) + "\n---\n" + body + "\n", encoding="utf-8")
        manifest.posts.append(Post(rel, pid, acc.id, publish, category, body, violation, press))
    if git:
        manifest.git = commit_all(root)
    return manifest
