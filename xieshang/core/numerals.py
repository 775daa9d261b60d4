"""Chinese numerals as used in committee documents ("十四届二次会议")."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Return n (0–999) in Chinese numerals: 14 → 十四, 20 → 二十, 105 → 一百零五."""
    if not 0 <= n <= 999:
        raise ValueError("only 0–999 are supported")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + DIGITS[rest]
    if rest < 20:
        return head + "一" + chinese_number(rest)
    return head + chinese_number(rest)
