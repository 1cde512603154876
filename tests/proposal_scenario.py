"""A 栏目调整方案 on the example bureau, shared by the report's tests, the preview build and the browser tests.

The proposal (all columns and documents are the example's):
- rename: 婚姻登记 -> 婚姻登记服务, keeping its address with `id: hydj` (1 document);
- move: 区划地名 from 重点领域信息公开 to 法定主动公开内容 (1 document; its old address is in the lock: redirect);
- split: 养老政策 (ylzc, 5 documents) into 养老服务政策 (ylfwzc) and 养老服务补贴 (ylfwbt), declared in changes.yml;
- removal: 人事信息 (rsxx, 1 document that is in no other column: left without a column, a rule break; with
  RSXX_INTO it goes to 工作推进 instead).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
TODAY = dt.date(2026, 11, 24)

HYDJ = "      - name: 婚姻登记\n        kind: documents\n"
QHDM = "      - name: 区划地名\n        kind: documents\n        frequency: 及时更新\n        office: 区划地名处\n"
YLZC = "          - name: 养老政策\n            kind: documents\n            frequency: 及时更新\n            office: 养老服务处\n"
SPLIT = ("          - name: 养老服务政策\n            id: ylfwzc\n            kind: documents\n            frequency: 及时更新\n"
         "            office: 养老服务处\n          - name: 养老服务补贴\n            id: ylfwbt\n            kind: documents\n"
         "            frequency: 及时更新\n            office: 养老服务处\n")
RSXX = "      - name: 人事信息\n        kind: documents\n        frequency: 及时更新\n        office: 组织人事科\n"
CHANGES = """\
title: 2027年栏目调整方案
changes:
  - column: hydj
    reason: 与上级部门婚姻登记服务栏目名称保持一致。
  - column: qhdm
    reason: 区划地名信息属于法定主动公开内容。
  - column: ylzc
    into: [ylfwzc, ylfwbt]
    reason: 养老政策文件较多，按政策和补贴分开，便于查找。
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


def proposed(text: str) -> str:
    for old in (HYDJ, QHDM, YLZC, RSXX):
        assert text.count(old) == 1, old  # the example still has these columns as written
    text = text.replace(HYDJ, "      - name: 婚姻登记服务\n        id: hydj\n        kind: documents\n")
    text = text.replace(QHDM, "").replace("      - name: 权责清单\n", QHDM + "      - name: 权责清单\n")
    return text.replace(YLZC, SPLIT).replace(RSXX, "")


def commit_proposal(root: Path, changes: str = CHANGES) -> Path:
    """A copy of the example committed (v1), then the proposal committed (v2)."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    _git(root, "add", "catalog", "content")
    _git(root, "commit", "-qm", "v1")
    cols = root / "catalog" / "columns.yml"
    cols.write_text(proposed(cols.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "catalog" / "changes.yml").write_text(changes, encoding="utf-8")
    _git(root, "add", "catalog")
    _git(root, "commit", "-qm", "v2")
    return root


RSXX_INTO = "  - column: rsxx\n    into: [gztj]\n    reason: 并入工作推进。\n"
