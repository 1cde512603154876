"""checks/consistency.py: one 文号 however its brackets and spaces are written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.checks.consistency import _BRACKETS, doc_number_key


def _key(number: str) -> str:
    """The rule itself: brackets mapped to 〔〕, whitespace dropped."""
    return "".join(number.translate(_BRACKETS).split())


def test_every_character_is_keyed_as_the_rule_says():
    """The fast path (a 文号 with no bracket to map and no whitespace is its own key) agrees with the rule for every
    character there is: a character the search misses but translate or split changes would fail here."""
    for code in range(0x110000):
        c = chr(code)
        assert doc_number_key(c) == _key(c), hex(code)
        assert doc_number_key(f"示民规〔2024〕{c}3号") == _key(f"示民规〔2024〕{c}3号"), hex(code)


@given(st.text(alphabet=st.sampled_from("示民规〔〕[]［］()（）【】2024 3号\u3000\t\xa0"), max_size=20))
def test_written_numbers_are_keyed_as_the_rule_says(number):
    assert doc_number_key(number) == _key(number)


def test_forms_of_one_number():
    assert {doc_number_key(n) for n in ("示民规〔2024〕3号", "示民规[2024]3号", "示民规 〔2024〕 3 号", "示民规（2024）3号")} \
        == {"示民规〔2024〕3号"}
