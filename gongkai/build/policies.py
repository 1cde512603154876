"""The 政策文件 column (kind `policies`): two lists and the facets to filter them (no MkDocs).

行政规范性文件 are listed apart from 其他文件. Facets: 发布机构, 发布年份, 主题分类, 有效性.
The page holds every row in its HTML (readable without JavaScript); policies.js filters them
in the reader's browser, reading the rows themselves, so nothing is fetched and file:// works.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from gongkai.checks.validity import CSS, LABELS

# query keys in the page URL (#year=2024&topic=…): a filtered view can be shared and reopened
FACET_KEYS = ("publisher", "year", "topic", "validity")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    level: int = 1  # 2: a second-level 主题分类 (父类\子类)


def topic_options(rows: list[dict[str, Any]], vocabulary: list[str]) -> list[Option]:
    """Top-level topics in the vocabulary's order, each followed by its second levels."""
    tops: Counter[str] = Counter()
    subs: Counter[str] = Counter()
    for r in rows:
        topic = r["doc"].topic
        if not topic:
            continue
        tops[topic.split("\\")[0]] += 1
        if "\\" in topic:
            subs[topic] += 1
    order = {t: i for i, t in enumerate(vocabulary)}
    out: list[Option] = []
    for top in sorted(tops, key=lambda t: (order.get(t, len(order)), t)):
        out.append(Option(top, top, tops[top]))
        for sub in sorted(s for s in subs if s.split("\\")[0] == top):
            out.append(Option(sub, sub.split("\\", 1)[1], subs[sub], 2))
    return out


def policy_context(rows: list[dict[str, Any]], topics: list[str]) -> dict[str, Any]:
    """Template context of a policies column: the two lists and the facet options."""
    publishers = Counter(r["doc"].publisher for r in rows)
    years = Counter(r["doc"].published.year for r in rows)
    states = Counter(r["validity"].css for r in rows if r["validity"])
    return {
        "normative_rows": [r for r in rows if r["doc"].normative],
        "other_rows": [r for r in rows if not r["doc"].normative],
        "facets": {
            "publisher": [Option(p, p, n) for p, n in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))],
            "year": [Option(str(y), f"{y} 年", years[y]) for y in sorted(years, reverse=True)],
            "topic": topic_options(rows, topics),
            # every state is offered: a label can change in the reader's browser after the build
            "validity": [Option(CSS[label], label, states.get(CSS[label], 0)) for label in LABELS],
        },
    }
