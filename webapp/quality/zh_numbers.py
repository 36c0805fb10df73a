"""Numbers in a Chinese sentence (see ``webapp.quality.numbers`` for what counts).

``chinese`` reads the mentions a translation must carry; ``loose_values`` reads every value a
numeral in the sentence may have, whatever its context (三伏, 二环, 十几天, 半年), so that an
English number from such a word is not taken for a changed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import cn2an
import rjieba

from webapp.quality.numbers import (
    CODE,
    MONTH,
    MONTHS,
    NUMBER,
    WEEKDAY,
    WEEKDAYS,
    Mention,
    hour_values,
    show,
)

_FULL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_CN_DIGITS = "〇零一二两三四五六七八九"
_UNITS = "十百千万亿"
_CN = _CN_DIGITS + _UNITS
_DIGIT = {c: float(v) for c, v in zip(_CN_DIGITS, (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9),
                                        strict=True)}
_DIGITS = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
#: Measure words, units and date words after which a numeral in characters is a number.
MEASURES = frozenset((
    "个 名 位 人 次 件 家 所 座 栋 条 项 起 只 头 匹 辆 架 艘 台 "
    "部 本 张 份 篇 首 支 批 轮 届 场 种 类 款 处 例 宗 笔 层 间 "
    "套 道 封 根 块 片 颗 粒 棵 株 把 对 组 队 期 号 年 月 日 天 "
    "周 星期 小时 分钟 秒 岁 倍 成 元 角 美元 欧元 英镑 日元 港元 卢布 "
    "吨 斤 公斤 千克 克 公里 千米 米 厘米 毫米 英里 海里 尺 平方米 "
    "平方公里 公顷 亩 升 毫升 度 摄氏度 级 票 分 点 时 楼 集 章 节 段 "
    "任 代 户 口 门 枚 发 剂 针 趟 遍 圈 席 强 大 季度 季 百分点 "
    "阶段 方面 省 市 县 村 镇 球 万 亿 千 百 多 余 来"
).split())
_MEASURE = re.compile(r"[多余来]?(" + "|".join(sorted(MEASURES, key=len, reverse=True)) + ")")
#: Measure words that do not make a lone 十/百/千/万 a number (十分 'very', 万分, 千万 'must').
_NOT_ALONE = frozenset("分 点 时 大 方面 多 余 来 万 亿 千 百".split())
_APPROX_BEFORE = ("数", "几", "若干")
#: What may follow a number's measure word inside one word (一月份, 八十年代, 三年前).
_SUFFIXES = frozenset("份 代 底 初 末 中 间 前 后 内 里 多 余 来 半 左右 以来 以上 以下".split())
_PM = ("下午", "晚上", "晚", "傍晚", "夜间", "夜里", "午后")
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_ZH = re.compile(
    rf"(?P<pct>百分之|千分之)(?P<pctnum>{_DIGITS}|[{_CN}]+(?:点[{_CN_DIGITS}]+)?)"
    rf"|(?P<fden>{_DIGITS}|[{_CN}]+)分之(?P<fnum>{_DIGITS}|[{_CN}]+)"
    rf"|(?P<roman>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]|(?<![A-Za-z])[IVX]{{1,4}}(?=[级类期型号]))"
    rf"|(?<![{_CN}第每])(?P<wk>(?:星期|礼拜|周)(?P<wkday>[一二三四五六日天]))"
    rf"|(?P<num>{_DIGITS})(?P<approx>[多余])?(?P<mag>(?:[十百万亿]|千(?![米克瓦卡焦伏]))*)"
    rf"(?P<perc>\s*[%％])?"
    rf"|(?P<cn>[{_CN}]+(?:点[{_CN_DIGITS}]+(?![十百千分]))?)(?:[多余](?P<mag2>[万亿]+))?"
)
_LOOSE = re.compile(rf"{_DIGITS}|[{_CN}]+|半")
_ROMAN = {c: float(i + 1) for i, c in enumerate("ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ")}


def _digits(text: str) -> float:
    return float(text.translate(_FULL).replace(",", "").replace("．", "."))


def cn_value(text: str) -> float | None:
    """The value of a numeral (两千三百, 三点五, 二〇二〇, 百万, 2.5), or None."""
    if re.fullmatch(_DIGITS, text):
        return _digits(text)
    if text[:1] in _UNITS and text != "十":
        text = "一" + text  # 百万: cn2an wants 一百万
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _scale(mag: str) -> int:
    scale = 1
    for char in mag:
        scale *= _MAGNITUDE[char]
    return scale


def _m(text: str, start: int, end: int, values: Iterable[float], kind: str = NUMBER,
       weak: bool = False, shown: str = "") -> Mention:
    return Mention(text[start:end], start, end, kind, frozenset(values), weak, shown)


def chinese(text: str) -> list[Mention]:
    """The numbers of a Chinese sentence a translation must carry (see ``numbers``).

    Zero and one are weak (新增0例 is 'no new case', 1亩 'per mu'), and so is every number
    inside a title of a work (《十月围城》 is 'Bodyguards and Assassins').
    """
    found = []
    titles = [t.span() for t in re.finditer(r"《[^》]*》", text)]
    for match in _ZH.finditer(text):
        mention = _mention(text, match)
        if mention is None:
            continue
        if not mention.weak and (min(mention.values) in (0, 1) and mention.kind == NUMBER
                                 or any(a < mention.start < b for a, b in titles)):
            mention = replace(mention, weak=True)
        found.append(mention)
    return found


def loose_values(text: str) -> set[float]:
    """Every value any numeral of ``text`` may stand for, whatever its context.

    Every part of a run of numerals counts (十三五 holds 13), a rough count its range (十几:
    10–19 and a dozen; 五六百: 500 and 600), and words that carry a number (双方 'two sides',
    半年 'six months', 全天候 '24 hours').
    """
    values: set[float] = {v for word, found in _CARRIERS.items() if word in text for v in found}
    for match in _LOOSE.finditer(text):
        run = match.group()
        if run == "半":
            values |= {0.5, 6.0, 30.0}  # half, six months, half past
            continue
        if text.startswith("几", match.end()) and run in ("十", "百", "千"):
            base = cn_value(run) or 0
            values |= {base + k * base / 10 for k in range(10)} | {12.0}  # 十几: a dozen
            continue
        if run[0].isdigit():
            values.add(_digits(run))
            continue
        for a in range(len(run)):
            for b in range(a + 1, min(len(run), a + 8) + 1):
                value = cn_value(run[a:b])
                if value is not None:
                    values.add(value)
                    if text.startswith("成", match.end()):
                        values.add(value * 10)
        scale = _scale("".join(c for c in run if c in _UNITS)) if run[-1] in _UNITS else 1
        values |= {_DIGIT[c] * scale for c in run if c in _DIGIT}  # 五六百: 500 and 600
    return values


#: Words that carry a number without a numeral.
_CARRIERS = {"双": {2.0}, "俩": {2.0}, "仨": {3.0}, "两": {2.0}, "首": {1.0}, "全天候": {24.0},
             "昼夜": {24.0}, "中午": {12.0}, "正午": {12.0}, "午夜": {0.0, 12.0, 24.0},
             "季度": {4.0}, "半年": {6.0}, "旬": {10.0}}


def _mention(text: str, m: re.Match) -> Mention | None:
    start, end = m.span()
    if m["pct"]:
        value = cn_value(m["pctnum"])
        if value is None:
            return None
        value *= 1 if m["pct"] == "百分之" else 0.1
        return _m(text, start, end, {value}, shown=f"{show(value)} %")
    if m["fden"]:
        den, num = cn_value(m["fden"]), cn_value(m["fnum"])
        if not den or num is None:
            return None
        ratio = num / den
        return _m(text, start, end, {ratio, round(ratio * 100), round(ratio * 100, 1)},
                  shown=f"{show(num)}/{show(den)}")
    if m["roman"]:
        roman = m["roman"]
        value = _ROMAN.get(roman) or _roman_ascii(roman)
        return _m(text, start, end, {value}) if value else None
    if m["wk"]:
        day = _WEEKDAY[m["wkday"]]
        return _m(text, start, end, {day}, WEEKDAY, weak=True, shown=WEEKDAYS[day])
    if m["num"]:
        return _digit_mention(text, m)
    return _character_mention(text, m)


def _roman_ascii(word: str) -> float | None:
    """The value of a Roman numeral in ASCII letters (III, IV), or None."""
    digits = {"I": 1, "V": 5, "X": 10}
    total = sum(-digits[c] if k + 1 < len(word) and digits[word[k + 1]] > digits[c] else digits[c]
                for k, c in enumerate(word))
    return float(total) if 0 < total < 40 else None


def _digit_mention(text: str, m: re.Match) -> Mention | None:
    start, end = m.span()
    raw = m["num"]
    after = text[m.end("num"):m.end("num") + 1]
    if re.search(r"[A-Za-z]-?$", text[max(0, start - 2):start]) or re.match(r"[A-Za-z]", after):
        return _m(text, start, m.end("num"), {_digits(raw)}, CODE)  # COVID-19, 5G, Z164
    mag = m["mag"] or ""
    if mag.endswith("百") and text.startswith(("分", "点"), end):  # 3百分点 is not 300
        mag, end = mag[:-1], end - 1
    value = _digits(raw) * _scale(mag)
    if m["perc"]:
        return _m(text, start, end, {value}, shown=f"{show(value)} %")
    if re.match(r"\d{1,2}:\d{2}", text[start:start + 5]):
        return _m(text, start, end, {value} | hour_values(value))  # 05:03:17
    return _in_context(text, start, end, value, weak=False)


def _in_context(text: str, start: int, end: int, value: float, weak: bool) -> Mention:
    """A number read with the word after it: month, day, hour, 成, 倍, decade, ordinal."""
    before, after = text[max(0, start - 4):start], text[end:end + 3]
    mention = _read_context(text, start, end, value, weak, before, after)
    return mention if mention.shown else replace(mention, shown=show(value))


def _read_context(text: str, start: int, end: int, value: float, weak: bool, before: str,
                  after: str) -> Mention:
    if after.startswith("月") and not before.endswith("个") and 1 <= value <= 12:
        return _m(text, start, end + 1, {value}, MONTH, shown=MONTHS[int(value) - 1])
    if after.startswith(("日", "号")) and value <= 31 and not re.search(r"月\s*$", before):
        weak = True  # a day without its month is the dateline's: translations often drop it
    if after.startswith(("时", "点")) and value <= 24:
        values = hour_values(value, "p" if before.endswith(_PM) else "")
        return _m(text, start, end + 1, values, weak=weak or value in (0, 24))
    if after.startswith("小时") and value == 24:
        weak = True  # 24小时: 'around the clock'
    if after.startswith("成") and value <= 10:
        return _m(text, start, end + 1, {value * 10, value}, weak=weak,
                  shown=f"{show(value * 10)} %")
    if after.startswith("倍"):
        return _m(text, start, end + 1, {value, value + 1, value * 100}, weak=weak)
    if after.startswith("年代"):
        decade = value % 100
        return _m(text, start, end, {value, decade, 1900 + decade, 2000 + decade}, weak=weak)
    if before.endswith("第"):
        return _m(text, start - 1, end, {value}, weak=weak or value == 1)
    return _m(text, start, end, {value}, weak=weak)


def _word_at(text: str, start: int, length: int) -> tuple[int, int]:
    """The word (start, end) that holds ``text[start]``, as rjieba splits the text around it."""
    left = max(0, start - 6)
    try:
        words = rjieba.tokenize(text[left:start + length + 4])
    except RuntimeError:  # the shared splitter is being changed by another thread
        return start, start + length
    for _, begin, end in words:
        if begin <= start - left < end:
            return left + begin, left + end
    return start, start + length


def _character_mention(text: str, m: re.Match) -> Mention | None:
    """A numeral written in characters, where its context makes it a number."""
    start, run = m.start(), m["cn"]
    before = text[max(0, start - 2):start]
    if (before.endswith(_APPROX_BEFORE) or text.startswith("几", m.end("cn"))
            or (before.endswith(("上", "成")) and run[0] in _UNITS)):
        return None  # 数百, 几千, 上万, 成千, 十几: a rough count
    if before.endswith("第"):
        value = cn_value(run)
        return None if value is None else _in_context(text, start, m.end("cn"), value,
                                                      weak=value == 1)
    word_start, word_end = _word_at(text, start, len(run))
    if word_start < start < word_end <= start + len(run):
        cut = word_end - start  # 统一十分, 乔文一: the word before ends inside the numeral
        start, run = start + cut, run[cut:]
        if not run or run.startswith("点"):
            return None
        word_start, word_end = _word_at(text, start, len(run))
    end = start + len(run)
    measure = _MEASURE.match(text, end)
    unit = measure.group(1) if measure else ""
    tail = text[measure.end() if measure else end:word_end]
    if word_start == start and tail and tail not in _SUFFIXES:
        return None  # 三轮车, 五道梁, 四平: a word, not a count
    digits = [c for c in run if c in _CN_DIGITS]
    if not any(c in _UNITS for c in run):
        if len(digits) > 1 and not (len(digits) == 4 and unit == "年"):
            return None  # 三四个: a rough count
        if not unit or unit in ("多", "余", "来", "万", "亿", "千", "百"):
            return None  # 一些, 一起 are not numbers; a measure word makes one
    elif not digits and (not unit or unit in _NOT_ALONE):
        return None  # 十分, 千万, 万一
    value = cn_value(run)
    if value is None:
        return None
    if m["mag2"] and m.start() == start:
        value *= _scale(m["mag2"])
        end = m.end("mag2")
    weak = (value in (1, 2) and len(run) == 1) or not (digits or "十" in run)  # 两国; 万亩
    return _in_context(text, start, end, value, weak)
