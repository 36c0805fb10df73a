"""Numbers in news sentences: what a Chinese and an English sentence say, as comparable values.

``chinese(text)`` and ``english(text)`` return the sentence's ``Mention``s: where a number, date,
time, percentage, fraction, ordinal, weekday or code is written, and every value it may stand
for (下午5时 is 5 or 17; "a third" is 1/3 or 3; 90年代 is 90 or 1990). Two mentions match when
their kinds are comparable and they share a value (``matches``), so 5万 = 50,000 = 50 thousand,
2.3亿 = 230 million, 7月26日 = July 26, 百分之五 = 5 per cent.

What counts as a number on the Chinese side is a rule about context, not a digit match:
numerals written in characters are read only where a measure word, unit or date word follows
(三个, 五万人, 7月), after 第, or when they hold a 十/百/千/万/亿 (三十, 两千), so 一些, 统一,
十分 (very), 千万 (by all means), 万一, 两岸 and names such as 乔文一 are not numbers. Mentions
written with characters for one or two (一个, 两国) are *weak*: English says "a" or "both";
approximate ones (数百, 几千, 上万, 十几) are left out, as are English "hundreds of", "dozens".
"""

from __future__ import annotations

from dataclasses import dataclass, field

NUMBER, MONTH, WEEKDAY, CODE = "number", "month", "weekday", "code"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Mention:
    """A number written in a sentence: where, what kind, and every value it may stand for."""

    text: str
    start: int
    end: int
    kind: str  # NUMBER (amounts, dates, times, percentages, ordinals), MONTH, WEEKDAY or CODE
    values: frozenset[float]
    weak: bool = False  # may be said without a number ("a", "both"): a change, not an absence
    shown: str = field(default="", compare=False)  # the value as a reader would write it

    @property
    def label(self) -> str:
        """How the value is named in a message: 'July', '50,000', '5 %'."""
        return self.shown or show(min(self.values))


def show(value: float) -> str:
    """A value as a reader writes it: 50,000 / 2.35 / 0.333."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def key(value: float) -> float:
    """A value as compared: six significant digits, no sign (零下5度 is 'minus 5')."""
    return float(f"{abs(value):.6g}")


def matches(a: Mention, b: Mention) -> bool:
    """Whether two mentions (one per language) can say the same thing."""
    if (a.kind in (MONTH, WEEKDAY) or b.kind in (MONTH, WEEKDAY)) and a.kind != b.kind:
        return False
    return bool({key(v) for v in a.values} & {key(v) for v in b.values})


_HOURS_PM = ("下午", "晚上", "晚", "傍晚", "夜间", "夜里", "午后", "p")


def hour_values(hour: float, before: str = "") -> set[float]:
    """The hours a clock time may be: 5 after 下午 is 5 or 17; 17 is also 5."""
    values = {hour}
    if before.endswith(_HOURS_PM) and hour < 12:
        values.add(hour + 12)
    if hour > 12:
        values.add(hour - 12)
    if hour in (0, 24, 12):
        values |= {0, 12, 24}
    return values
