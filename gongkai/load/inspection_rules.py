"""Reading the rules of `gongkai inspect` (DESIGN §4) from site.yml's `inspection:` (the rules: model.InspectionRules)."""

from __future__ import annotations

import re
from typing import Any

from gongkai.errors import Problems
from gongkai.load.fields import Fields
from gongkai.model import InspectionRules

RULE_FIELDS = {
    "report_deadline": "年度报告公布期限（月-日，部门 01-31，政府 03-31）",
    "policy_columns": "政策/通知类栏目（栏目标识列表）",
    "home_stale_days": "首页最长不更新天数",
    "policy_stale_months": "政策类栏目最长不更新月数",
    "overdue_limit": "超期栏目数达到即不合格",
    "empty_limit": "空白栏目数达到即不合格",
    "expiring_months": "规范性文件到期提醒（月）",
    "news_stale_days": "动态要闻类栏目最长不更新天数",
    "stale_limit": "动态要闻类、通知公告/政策文件类栏目未更新数达到即不合格",
    "interpretation_workdays": "政策解读最迟在政策文件发布后几个工作日内发布（0：同步发布）",
}


def parse_rules(problems: Problems, file: str, node: Any) -> InspectionRules:
    f = Fields(problems, file, node, RULE_FIELDS, "inspection")
    rules = InspectionRules()
    if not f.ok:
        return rules
    text = f.str("report_deadline")
    if text:
        m = re.match(r"^(\d{1,2})-(\d{1,2})$", text)
        if m and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= (29 if int(m[1]) == 2 else 30 if int(m[1]) in (4, 6, 9, 11) else 31):
            rules.report_deadline = (int(m[1]), int(m[2]))
        else:
            f.err("report_deadline", f"「{text}」无效，应写作 月-日，如 01-31（部门）或 03-31（人民政府）")
    rules.policy_columns = f.str_list("policy_columns")
    rules.home_stale_days = f.int("home_stale_days", rules.home_stale_days, minimum=1)
    rules.policy_stale_months = f.int("policy_stale_months", rules.policy_stale_months, minimum=1)
    rules.overdue_limit = f.int("overdue_limit", rules.overdue_limit, minimum=1)
    rules.empty_limit = f.int("empty_limit", rules.empty_limit, minimum=1)
    rules.expiring_months = f.int("expiring_months", rules.expiring_months, minimum=1)
    rules.news_stale_days = f.int("news_stale_days", rules.news_stale_days, minimum=1)
    rules.stale_limit = f.int("stale_limit", rules.stale_limit, minimum=1)
    rules.interpretation_workdays = f.int("interpretation_workdays", rules.interpretation_workdays, minimum=0)
    return rules
