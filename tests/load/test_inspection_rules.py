"""gongkai.load.inspection_rules: the `inspection:` block of site.yml, its defaults and its mistakes (in process)."""

from __future__ import annotations

import pytest

from gongkai.errors import Problems
from gongkai.load.inspection_rules import RULE_FIELDS, InspectionRules, parse_rules
from gongkai.load.yamlsrc import load_yaml


def parse(text: str) -> tuple[InspectionRules, list[tuple[int | None, str | None, str]]]:
    problems = Problems()
    data = load_yaml("name: 局\ninspection:\n" + text)
    rules = parse_rules(problems, "catalog/site.yml", data["inspection"])
    assert all(p.file == "catalog/site.yml" and p.level == "error" for p in problems.items)
    return rules, [(p.line, p.field, p.message) for p in problems.items]


def test_defaults_follow_the_rules_of_the_state_council_office():
    rules = InspectionRules()
    assert rules.report_deadline == (1, 31)  # 条例 Art. 50: departments publish by 31 January
    assert rules.home_stale_days == 14 and rules.policy_stale_months == 6
    assert (rules.overdue_limit, rules.empty_limit, rules.expiring_months) == (10, 5, 6)
    # 19号: 动态要闻 2 weeks; with 通知公告/政策文件 (6 months) 5 such columns fail; 解读 published with its policy
    assert (rules.news_stale_days, rules.stale_limit, rules.interpretation_workdays) == (14, 5, 0)
    assert rules.policy_columns == []
    assert InspectionRules().policy_columns is not rules.policy_columns  # no shared mutable default


def test_every_rule_can_be_set():
    rules, problems = parse("  report_deadline: 03-31\n  policy_columns: [zcwj, fdzdgknr/tzgg]\n  home_stale_days: 7\n"
                            "  policy_stale_months: 3\n  overdue_limit: 2\n  empty_limit: 1\n  expiring_months: 12\n"
                            "  news_stale_days: 7\n  stale_limit: 3\n  interpretation_workdays: 0\n")
    assert problems == []
    assert rules == InspectionRules((3, 31), ["zcwj", "fdzdgknr/tzgg"], 7, 3, 2, 1, 12, 7, 3, 0)
    assert set(RULE_FIELDS) == set(InspectionRules.__dataclass_fields__)  # every rule is documented for editors


@pytest.mark.parametrize("text, deadline", [("1-5", (1, 5)), ("12-31", (12, 31)), ("02-29", (2, 29)), ("04-30", (4, 30))])
def test_good_deadlines(text, deadline):
    rules, problems = parse(f"  report_deadline: '{text}'\n")
    assert problems == [] and rules.report_deadline == deadline


@pytest.mark.parametrize("text", ["02-30", "04-31", "13-01", "00-10", "01-00", "0131", "1月31日", "01-31-2026"])
def test_bad_deadlines_are_errors_and_keep_the_default(text):
    rules, problems = parse(f"  report_deadline: '{text}'\n")
    assert rules.report_deadline == (1, 31)
    [(line, field, message)] = problems
    assert (line, field) == (3, "report_deadline") and f"「{text}」无效" in message and "03-31" in message


def test_mistakes_name_line_and_field_and_keep_defaults():
    rules, problems = parse("  home_stale_days: 0\n  overdue_limt: 3\n  empty_limit: 两个\n  policy_columns: zcwj\n")
    assert rules.home_stale_days == 14 and rules.empty_limit == 5 and rules.overdue_limit == 10
    assert rules.policy_columns == ["zcwj"]  # one id is a list of one
    assert [(line, field) for line, field, _ in problems] == [(4, "overdue_limt"), (3, "home_stale_days"), (5, "empty_limit")]
    assert "是否应为「overdue_limit」" in problems[0][2]
    assert problems[1][2] == "应不小于 1" and problems[2][2] == "应为整数，实际是文本「两个」"


def test_a_non_mapping_is_one_error_and_all_defaults():
    rules, problems = parse("  - 14\n")
    assert rules == InspectionRules()
    assert [(line, message) for line, _, message in problems] == [(3, "inspection 应为键值对象，实际是列表")]
