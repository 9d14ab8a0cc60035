"""Numbers and amounts the way people type them: "45 000", "45k", "45 тыс.", "45,5 tys.",
"€45,000", "45 000 EUR", "10 тыс. евро", "1,5 млн", "35 %".

Reading is strict where it matters: a number we are not sure of is refused with a reason
code (`AmountError.reason`), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from eligibility.errors import AmountError

# No partner sells a quadrillion: a longer number is a slip of the keyboard, and
# refusing it keeps every figure within Decimal's exact precision.
LARGEST = Decimal(10) ** 15
MULTIPLIERS: dict[str, int] = {
    **dict.fromkeys(["k", "к", "тыс", "тысяча", "тысячи", "тысяч", "tys", "tysiąc", "tysiące",
                     "tysięcy", "tysiecy", "mille"], 10**3),
    **dict.fromkeys(["m", "млн", "миллион", "миллиона", "миллионов", "mln", "mio", "milion",
                     "miliony", "milionów", "milionow", "million", "millions"], 10**6),
    **dict.fromkeys(["bn", "млрд", "миллиард", "миллиарда", "миллиардов", "mld", "miliard",
                     "miliardy", "miliardów", "milliard", "milliards"], 10**9),
}

UNITS: dict[str, str] = {
    **dict.fromkeys(["€", "eur", "euro", "euros", "евро"], "EUR"),
    **dict.fromkeys(["$", "usd", "dollar", "dollars", "доллар", "доллара", "долларов", "долл",
                     "dolar", "dolary", "dolarów"], "USD"),
    **dict.fromkeys(["zł", "zl", "pln", "złoty", "złote", "złotych", "zlotych"], "PLN"),
    **dict.fromkeys(["₽", "руб", "рубль", "рубля", "рублей", "rub"], "RUB"),
    **dict.fromkeys(["£", "gbp"], "GBP"),
    **dict.fromkeys(["%", "процент", "процента", "процентов", "проц", "proc", "procent",
                     "pourcent", "pour cent", "pct"], "%"),
}

NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(["ноль", "нет", "ни одной", "ни одного", "zéro", "zero", "aucune", "aucun",
                     "żadnej", "żadnego", "brak", "none"], 0),
    **dict.fromkeys(["один", "одна", "одну", "un", "une", "jeden", "jedna", "jedną", "one"], 1),
    **dict.fromkeys(["два", "две", "deux", "dwa", "dwie", "two"], 2),
    **dict.fromkeys(["три", "trois", "trzy", "three"], 3),
    **dict.fromkeys(["четыре", "quatre", "cztery", "four"], 4),
    **dict.fromkeys(["пять", "cinq", "pięć", "five"], 5),
}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT = _alternation(UNITS)
_AMOUNT = re.compile(
    rf"""(?P<sign>[-+])?\s*(?:(?P<pre>{_UNIT})\s*)?(?P<sign2>[-+])?\s*
         (?P<num>\d(?:[\d'.,]|\s(?=\d))*)\s*
         (?:(?P<mult>{_alternation(MULTIPLIERS)})\.?\s*)?
         (?:(?P<post>{_UNIT})\.?)?""",
    re.VERBOSE,
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_GROUP = re.compile(r"\d{3}")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    unit: str | None  # a currency code ("EUR"), "%" or None when none was typed


def _normalise(text: str) -> str:
    text = _SPACES.sub(" ", text.strip().lower()).replace("−", "-").replace("’", "'")
    return text.rstrip(".!").strip()


def _grouped(parts: list[str]) -> bool:
    """Thousands groups: a first group of 1-3 digits, then groups of exactly 3."""
    return 1 <= len(parts[0]) <= 3 and all(_GROUP.fullmatch(p) for p in parts[1:])


def _number(raw: str, scaled: bool, text: str) -> Decimal:
    """One number with its grouping and decimal separators resolved."""
    bad = AmountError("not_a_number", f"{text!r} is not a number", text=text)
    parts = raw.replace("'", " ").split(" ")
    spaced = len(parts) > 1
    if spaced:
        last = re.split(r"[.,]", parts[-1], maxsplit=1)
        if not _grouped([*parts[:-1], last[0]]) or not all(p.isdigit() for p in parts[:-1]):
            raise bad
    digits = "".join(parts)
    seps = [c for c in digits if c in ".,"]
    if not seps:
        whole, fraction = digits, ""
    else:
        decimal_sep = seps[-1]
        head, _, fraction = digits.rpartition(decimal_sep)
        repeated = len(seps) > 1 and len(set(seps)) == 1  # "1.000.000"
        thousands = (len(seps) == 1 and not spaced and not scaled  # "45,000", "45.000"
                     and len(fraction) == 3 and not head.startswith("0"))
        if repeated or thousands:  # every separator groups thousands
            head, fraction, decimal_sep = digits, "", None
        groups = re.split(r"[.,]", head)
        if len(groups) > 1 and (spaced or not _grouped(groups)):
            raise bad
        if decimal_sep and not fraction.isdigit():
            raise bad
        whole = "".join(groups)
    if not whole.isdigit():
        raise bad
    try:
        return Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:  # pragma: no cover - the checks above keep it a number
        raise bad from None


def _tidy(value: Decimal) -> Decimal:
    """45500.0 -> 45500, 1.50 -> 1.5: the value as a person would write it."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def read_amount(text: str) -> Amount:
    """The number in `text`, scaled by its multiplier, with the unit it was typed with."""
    norm = _normalise(text)
    if not norm:
        raise AmountError("empty", "no number given", text=text)
    match = _AMOUNT.fullmatch(norm)
    if not match or (match["sign"] and match["sign2"]):
        raise AmountError("not_a_number", f"{text!r} is not a number", text=text)
    pre, post = match["pre"], match["post"]
    units = {UNITS[u] for u in (pre, post) if u}
    if len(units) > 1:
        raise AmountError("not_a_number", f"{text!r} names two units", text=text)
    mult = match["mult"]
    value = _number(match["num"], scaled=bool(mult), text=text) * MULTIPLIERS.get(mult, 1)
    if abs(value) > LARGEST:
        raise AmountError("too_large", f"{text!r} is implausibly large", text=text,
                          limit=LARGEST)
    if "-" in (match["sign"], match["sign2"]):
        value = -value
    return Amount(_tidy(value), units.pop() if units else None)


def sums_in(text: str) -> list[str]:
    """The sums of money a sentence states ("у нас оборот 45 тыс. евро, какой уровень?"
    -> ["45 тыс. евро"]), each as typed, for `parse_amount`. Only what is surely money:
    a number with a currency or a multiplier, grouped in thousands ("45 000") or of five
    digits or more; years, counts and percentages are not sums."""
    norm = _normalise(text)
    found = []
    for match in _AMOUNT.finditer(norm):
        start, end = match.span()
        start += len(match[0]) - len(match[0].lstrip())  # the spaces it took around
        end -= len(match[0]) - len(match[0].rstrip())
        if (start and norm[start - 1].isalnum()) or (end < len(norm) and norm[end].isalpha()):
            continue  # part of a word: "2014 mamy" is not 2014 million
        units = {UNITS[u] for u in (match["pre"], match["post"]) if u}
        grouped = re.search(r"\d[\s',.]\d{3}(?!\d)|\d{5}", match["num"])
        if "%" in units or not (units or match["mult"] or grouped):
            continue
        span = norm[start:end].strip().rstrip(",.'")  # "75000, что дальше"
        try:
            read_amount(span)
        except AmountError:
            continue
        found.append(span)
    return found


def parse_amount(text: str, currency: str = "EUR") -> Decimal:
    """A sum of money in `currency`; a bare number is taken to be in that currency."""
    amount = read_amount(text)
    if amount.unit == "%":
        raise AmountError("wrong_unit", f"{text!r} is a percentage, not an amount", text=text)
    if amount.unit not in (None, currency):
        raise AmountError("wrong_currency", f"{text!r} is in {amount.unit}, not {currency}",
                          text=text, currency=amount.unit, expected=currency)
    return amount.value


def parse_percent(text: str) -> Decimal:
    """A percentage: "40", "40 %", "35,5%"."""
    amount = read_amount(text)
    if amount.unit not in (None, "%"):
        raise AmountError("wrong_unit", f"{text!r} is an amount, not a percentage", text=text)
    return amount.value


def parse_count(text: str) -> int:
    """A whole number of things: "3", "три", "trois", "trzy", "none"."""
    norm = _normalise(text)
    if norm in NUMBER_WORDS:
        return NUMBER_WORDS[norm]
    amount = read_amount(text)
    if amount.unit is not None:
        raise AmountError("wrong_unit", f"{text!r} is not a count", text=text)
    if amount.value != amount.value.to_integral_value():
        raise AmountError("not_whole", f"{text!r} is not a whole number", text=text)
    return int(amount.value)
