"""Add one field to a Markdown file's YAML front matter without touching anything else.

The author's file is kept byte for byte (comments, order, quoting, line endings, BOM): one line
is inserted, and the result is parsed again to prove nothing else changed.
"""

from __future__ import annotations

import re

from gongkai.load.yamlsrc import YamlSyntaxError, load_yaml, split_front_matter

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


class FrontMatterEditError(ValueError):
    pass


def _scalar(value: str) -> str:
    """A YAML scalar for value: plain when it reads back as the same string, else double-quoted."""
    try:
        if load_yaml(f"k: {value}\n") == {"k": value}:
            return value
    except YamlSyntaxError:
        pass
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def insert_field(text: str, key: str, value: str, after: tuple[str, ...] = ("doc_number", "title")) -> str:
    """Return text with `key: value` added to the front matter, after the first of `after` found."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    newline = "\r\n" if body.startswith("---\r\n") else "\n"
    lines = body.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise FrontMatterEditError("文件没有以 --- 开头的 front matter")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") in ("---", "...")), None)
    if close is None:
        raise FrontMatterEditError("front matter 没有以 --- 结束")
    before, _, _ = split_front_matter(text)
    old = load_yaml(before or "") or {}
    if not isinstance(old, dict):
        raise FrontMatterEditError("front matter 不是键值对象")
    if key in old:
        raise FrontMatterEditError(f"front matter 中已有字段「{key}」")
    at = close  # default: just before the closing ---
    for name in after:
        for i in range(1, close):
            if re.match(rf"^{re.escape(name)}\s*:", lines[i]):
                nxt = lines[i + 1] if i + 1 < len(lines) else "---"
                if i + 1 == close or _TOP_KEY.match(nxt):
                    at = i + 1
                break
        if at != close:
            break
    if at > 0 and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    lines.insert(at, f"{key}: {_scalar(value)}{newline}")
    out = bom + "".join(lines)
    new, _, _ = split_front_matter(out)
    try:
        parsed = load_yaml(new or "") or {}
    except YamlSyntaxError as exc:  # pragma: no cover - guarded by the comparison below
        raise FrontMatterEditError(f"插入后 front matter 无法解析：{exc.message}") from None
    expected = dict(old)
    expected[key] = value
    if dict(parsed) != expected or split_front_matter(out)[1] != split_front_matter(text)[1]:
        raise FrontMatterEditError("无法在不改动其他内容的前提下插入字段，请手工添加")
    return out
