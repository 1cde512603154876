"""Masking (去标识化) of personal data in published lists, by rule: one function per mask. No MkDocs.

The forms follow what bureaus publish: 姓名 张* / 张*明 (first and last character kept), 身份证号 first 6 and last
4 digits (330102********1234), 手机号码 138****5678, 银行卡号 first 4 and last 4. `hide` publishes nothing of the
value. Each masked form is one the privacy gate (gongkai/checks/privacy.py) does not read as personal data.
"""

from __future__ import annotations

HIDDEN = "***"


def mask_name(value: str) -> str:
    """张三 -> 张*, 张三明 -> 张*明, 欧阳小明 -> 欧**明; several names (、，,) each on their own."""
    for sep in ("、", "，", ","):
        if sep in value:
            return sep.join(mask_name(v) for v in value.split(sep))
    v = value.strip()
    if len(v) <= 1:
        return "*" if v else ""
    if len(v) == 2:
        return v[0] + "*"
    return v[0] + "*" * (len(v) - 2) + v[-1]


def _chars(value: str) -> str:
    return "".join(value.split()).replace("-", "")


def mask_id(value: str) -> str:
    v = _chars(value)
    if len(v) < 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_mobile(value: str) -> str:
    v = _chars(value)
    if v.startswith("+86"):
        v = v[3:]
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_bank(value: str) -> str:
    v = _chars(value)
    if len(v) < 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def apply(mask: str, value: str) -> str:
    """The published form of a value under a mask (see listmodel.MASKS)."""
    if not value:
        return ""
    if mask == "name":
        return mask_name(value)
    if mask == "id":
        return mask_id(value)
    if mask == "mobile":
        return mask_mobile(value)
    if mask == "bank":
        return mask_bank(value)
    if mask == "hide":
        return HIDDEN
    return value
