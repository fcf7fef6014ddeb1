"""Calendar text in the house style's words: dates, the 农历 (lunar) date, Chinese numerals."""
from __future__ import annotations

import datetime as dt

from lunar_python import Solar

from ..style import HouseStyle


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (proofs are counted so: 一校, 二校, …)."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return CHINESE_DIGITS[number]
    if number >= 100:
        return str(number)
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


def format_date(date: dt.date, style: HouseStyle) -> str:
    text = style.date_format.format(year=date.year, month=date.month, day=date.day)
    return f"{text} {style.weekday_names[date.weekday()]}"


def lunar_date(date: dt.date, format: str) -> str:
    """The 农历 date in the house style's words: {ganzhi} year (庚子), {month} (四, 闰四), {day} (廿三)."""
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return format.format(ganzhi=lunar.getYearInGanZhi(), month=lunar.getMonthInChinese(),
                         day=lunar.getDayInChinese())
