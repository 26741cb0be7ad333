"""Jinja2 filters for Chinese report writing, as a user of the Python stack would write them.

The same names as huibao's filters (README, "Filters"), and the same results on the
benchmark's data (huibao refuses more edge cases: a 是/否 value as a number, a text given to
join_cn, a figure that would read 0%; these Python versions do not check them): numerals per
GB/T 15835-2011, dates per GB/T 9704-2012, rounding half away from zero on the decimal digits
as written (1.005 -> 1.01), trailing zeros dropped by percent/wan/yi.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零一二三四五六七八九"


def _integer(value, name):
    if isinstance(value, bool):
        raise ValueError(f"{name} 只接受整数，得到的是“{value}”")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{name} 只接受整数，得到的是“{value}”")


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} 需要数值，得到的是“{value}”")
    return value


def _below_wan(n):
    if n == 0:
        return DIGITS[0]
    out, zero = "", False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + unit
    return out


def _grouped(n):
    for unit, name in ((100_000_000, "亿"), (10_000, "万")):
        if n >= unit:
            high, low = divmod(n, unit)
            out = _grouped(high) + name
            if low:
                if low < unit // 10:
                    out += "零"
                out += _grouped(low)
            return out
    return _below_wan(n)


def numeral(n):
    """72 -> 七十二, 105 -> 一百零五, 11 -> 十一, -3 -> 负三."""
    if n < 0:
        return "负" + numeral(-n)
    text = _grouped(n)
    return "十" + text[2:] if text.startswith("一十") else text


CAPITALS = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def cn_number(value, capital=False):
    n = _integer(value, "cn_number")
    if capital:
        return ("负" + _grouped(-n) if n < 0 else _grouped(n)).translate(CAPITALS)
    return numeral(n)


def cn_digits(value):
    n = _integer(value, "cn_digits")
    text = "".join("〇" if c == "0" else DIGITS[int(c)] for c in str(abs(n)))
    return "负" + text if n < 0 else text


def cn_ordinal(value):
    return "第" + numeral(_integer(value, "cn_ordinal"))


def enum_label(value, style):
    n = _integer(value, "enum_label")
    if "一" in style:
        return style.replace("一", numeral(n), 1)
    if "1" in style:
        return style.replace("1", str(n), 1)
    raise ValueError(f"enum_label 的样式“{style}”中要有“一”或“1”")


def _text(value, name):
    if value is None:
        raise ValueError(f"{name} 得到了空值")
    if isinstance(value, (list, tuple, dict)):
        raise ValueError(f"{name} 需要一段文字，得到的是列表或表格")
    return str(value)


def join_cn(value, sep="、", last=None, etc=False):
    items = [_text(item, "join_cn") for item in value]
    out = ""
    for i, item in enumerate(items):
        if i:
            out += last if last is not None and i + 1 == len(items) else sep
        out += item
    if etc and items:
        out += "等"
    return out


def quote_cn(value):
    # Quotes inside become single ones, as GB/T 15834 nests them (huibao's quote_cn).
    def quote(text):
        return "“" + text.replace("“", "‘").replace("”", "’") + "”"
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return quote(_text(value, 'quote_cn'))
    return [quote(_text(item, 'quote_cn')) for item in value]


def _parse_date(text):
    for sep in ("-", "/", "."):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
    raise ValueError(f"cn_date 需要日期（如 2022-10-25），得到的是“{text}”")


def official_date(d):
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date(value, style=None):
    d = value if isinstance(value, date) else _parse_date(_text(value, "cn_date"))
    if style in (None, "full"):
        return official_date(d)
    if style == "month_day":
        return f"{d.month}月{d.day}日"
    if style == "year_month":
        return f"{d.year}年{d.month}月"
    if style == "cn":
        return f"{cn_digits(d.year)}年{numeral(d.month)}月{numeral(d.day)}日"
    raise ValueError(f"cn_date 的 style 只能是 full、month_day、year_month 或 cn，得到的是“{style}”")


def round_scaled(x, shift, decimals):
    """x * 10**shift rounded half away from zero on the shortest decimal that reads back as x."""
    q = Decimal(repr(float(abs(x)))).scaleb(shift).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    out = f"{q:f}"
    if x < 0 and q != 0:
        out = "-" + out
    return out


def round_fixed(x, decimals):
    return round_scaled(x, 0, decimals)


def _trimmed(text):
    return text.rstrip("0").rstrip(".") if "." in text else text


def round_trimmed(x, decimals):
    return _trimmed(round_fixed(x, decimals))


def thousands(value, decimals=None):
    x = _number(value, "thousands")
    if decimals is not None:
        text = round_fixed(x, max(0, min(10, decimals)))
    elif float(x).is_integer():
        text = round_fixed(x, 0)
    else:
        text = str(value)
    sign, rest = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, frac = rest.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def fixed(value, places):
    return round_fixed(_number(value, "fixed"), places)


def percent(value, decimals=1):
    return _trimmed(round_scaled(_number(value, "percent"), 2, decimals)) + "%"


def wan(value, decimals=2):
    return _trimmed(round_scaled(_number(value, "wan"), -4, decimals)) + "万"


def yi(value, decimals=2):
    return _trimmed(round_scaled(_number(value, "yi"), -8, decimals)) + "亿"


def yoy(value, last, unit=None, prefix=None, up=None, down=None, same="与上年持平", decimals=1):
    this = _number(value, "yoy")
    if last is None:
        raise ValueError("yoy 缺少上年的值")
    last = _number(last, "yoy 的上年值")
    if unit is not None:
        diff = this - last
        amount = round_trimmed(abs(diff), max(decimals, 2)) + unit
        rising = diff
        prefix = prefix or ""
        up, down = up or "增加", down or "减少"
    else:
        if last == 0:
            raise ValueError("上年的值为 0，无法计算增长率")
        rate = (this - last) / abs(last) * 100.0
        rounded = round_trimmed(abs(rate), decimals)
        rising = 0.0 if set(rounded) <= set("0.") else rate
        amount = rounded + "%"
        prefix = "同比" if prefix is None else prefix
        up, down = up or "增长", down or "下降"
    if rising > 0:
        return f"{prefix}{up}{amount}"
    if rising < 0:
        return f"{prefix}{down}{amount}"
    return same


FILTERS = {
    "cn_number": cn_number,
    "cn_digits": cn_digits,
    "cn_ordinal": cn_ordinal,
    "enum_label": enum_label,
    "join_cn": join_cn,
    "quote_cn": quote_cn,
    "cn_date": cn_date,
    "thousands": thousands,
    "fixed": fixed,
    "percent": percent,
    "wan": wan,
    "yi": yi,
    "yoy": yoy,
}


if __name__ == "__main__":
    # The README's examples, as a quick self-check: python3 bench/cnfilters.py
    checks = [
        (cn_number(72), "七十二"), (cn_number(105), "一百零五"), (cn_number(1010), "一千零一十"),
        (cn_number(11), "十一"), (cn_number(110), "一百一十"), (cn_number(100010000), "一亿零一万"),
        (cn_number(-3), "负三"), (cn_number(105, capital=True), "壹佰零伍"), (cn_digits(2022), "二〇二二"),
        (cn_ordinal(1), "第一"), (enum_label(2, "（一）"), "（二）"), (enum_label(3, "1."), "3."),
        (join_cn(["甲", "乙", "丙"], last="和"), "甲、乙和丙"), (join_cn(["甲", "乙", "丙"], etc=True), "甲、乙、丙等"),
        (join_cn(quote_cn(["甲", "乙"]), sep="", etc=True), "“甲”“乙”等"), (cn_date("2023-01-05"), "2023年1月5日"),
        (cn_date("2022-10-25", style="cn"), "二〇二二年十月二十五日"), (thousands(12345), "12,345"),
        (thousands(-1234567.891, decimals=2), "-1,234,567.89"), (fixed(2.5, 2), "2.50"), (percent(0.075), "7.5%"),
        (percent(0.0745), "7.5%"), (percent(0.1), "10%"), (wan(12345), "1.23万"), (wan(12355), "1.24万"),
        (wan(10000), "1万"), (yi(356000000), "3.56亿"), (round_fixed(1.005, 2), "1.01"), (round_fixed(-0.001, 2), "0.00"),
        (yoy(112.5, 100), "同比增长12.5%"), (yoy(96.8, 100), "同比下降3.2%"), (yoy(100.01, 100), "与上年持平"),
        (yoy(9, 6, unit="个"), "增加3个"), (yoy(4, 6, unit="个", prefix="比上年"), "比上年减少2个"),
    ]
    bad = [(got, want) for got, want in checks if got != want]
    assert not bad, bad
    print(f"{len(checks)} passed, 0 failed")
