"""Reading numbers the way people type them (`amounts.yaml`), and a round trip: whatever
babel writes for a number in ru, fr, pl or en reads back as the same number."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from eligibility.amounts import (
    Amount,
    AmountError,
    parse_amount,
    parse_count,
    parse_percent,
    read_amount,
    sums_in,
)
from eligibility.errors import EligibilityError

TABLE = yaml.safe_load((Path(__file__).parent / "amounts.yaml").read_text(encoding="utf-8"))
READERS = {
    "amount": read_amount,
    "money": parse_amount,
    "percent": parse_percent,
    "count": parse_count,
}


@pytest.mark.parametrize("row", TABLE, ids=[f"{r.get('kind', 'amount')}: {r['text']!r}"
                                             for r in TABLE])
def test_amount_table(row):
    read = READERS[row.get("kind", "amount")]
    if "error" in row:
        with pytest.raises(AmountError) as caught:
            read(row["text"])
        assert caught.value.reason == row["error"]
        assert isinstance(caught.value, ValueError)  # callers may catch ValueError
        assert isinstance(caught.value, EligibilityError)
        return
    got = read(row["text"])
    value = got.value if isinstance(got, Amount) else got
    assert value == Decimal(str(row["value"]))
    if isinstance(got, Amount):
        assert got.unit == row.get("unit")
    if row.get("kind") == "count":
        assert type(got) is int


def test_values_are_tidy():
    assert str(read_amount("45,5 tys.").value) == "45500"
    assert str(read_amount("1,50").value) == "1.5"


LOCALES = ["ru", "fr", "pl", "en"]
numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)


@given(numbers, st.sampled_from(LOCALES))
def test_babel_formatted_numbers_read_back(value, locale):
    text = format_decimal(value, locale=locale, decimal_quantization=False)
    assert read_amount(text).value == value, text


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(LOCALES))
def test_babel_formatted_euro_amounts_read_back(value, locale):
    text = format_currency(value, "EUR", locale=locale, format="#,##0\u00a0¤",
                           currency_digits=False)
    assert parse_amount(text) == value, text


@pytest.mark.parametrize("text, sums", [
    ("у нас оборот 45 000 € с Sophos, какой уровень нам положен?", ["45 000 €"]),
    ("nous faisons 120k€ avec Sophos, quel niveau ?", ["120k€"]),
    ("mamy 250 tys. euro obrotu z Sophosem, jaki poziom?", ["250 tys. euro"]),
    ("оборот 75000, что дальше", ["75000"]),
    ("10 000 zł i 5 000 €", ["10 000 zł", "5 000 €"]),
    # not sums: a year, a count, a percentage, a number inside a word, nothing at all
    ("в 2014 году у нас было 3 компетенции", []),
    ("2014 mamy nowy program", []),
    ("оборот вырос на 35%", []),
    ("Какой оборот нужен для уровня Gold у Sophos?", []),
])
def test_sums_stated_in_a_sentence(text, sums):
    assert sums_in(text) == [s.lower() for s in sums]
