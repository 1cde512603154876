"""The build date every dated judgement uses (validity, overdue columns, the guide's revision …)."""

from __future__ import annotations

import datetime as dt
import os

from gongkai.errors import GongkaiError, Problem


def build_date_from_env(default: dt.date | None = None) -> dt.date:
    """The build date: GONGKAI_BUILD_DATE (YYYY-MM-DD), else SOURCE_DATE_EPOCH, else today."""
    value = os.environ.get("GONGKAI_BUILD_DATE")
    if value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise GongkaiError([Problem("环境变量 GONGKAI_BUILD_DATE", None, None,
                                        f"构建日期「{value}」无效，应写作 YYYY-MM-DD")]) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch.strip()), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise GongkaiError([Problem("环境变量 SOURCE_DATE_EPOCH", None, None,
                                        f"「{epoch}」不是有效的 Unix 时间戳（秒）")]) from None
    return default or dt.date.today()

