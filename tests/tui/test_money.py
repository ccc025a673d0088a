"""Amounts typed as money: digits with commas only between groups of three, two decimals."""

from __future__ import annotations

import pytest

from portal_tui.widgets.money import parse_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [("49", 4900), ("$1,234.5", 123450), ("1234.56", 123456), (" 12,345,678.00 ", 1234567800)],
)
def test_an_amount_is_read_as_cents(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    "text", ["1,2,3", "12,34", "1,2345", ",123", "123,", "1,,234", "", "1.234", "1e3", "١٢"]
)
def test_a_malformed_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_cents(text)
