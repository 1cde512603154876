"""Problems found in the author's input, reported in Chinese with file, line and field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

LEVEL_LABELS = {"error": "错误", "warning": "警告", "todo": "待办"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str
    # "error" stops the build; "warning" flags something written that looks wrong; "todo" names information the
    # rules require that has not been written yet (a new site's contact details): shown by the build and by
    # `gongkai check`, never counted as a warning.
    level: str = "error"
    # A cross-reference into another file (`catalog/columns.yml`, `document:ID`): when that file could not be read,
    # this problem only repeats that failure and is left out of the report (one mistake, one message).
    after: str | tuple[str, ...] | None = dataclasses.field(default=None, compare=False)  # not `field`: Problem.field

    @property
    def after_keys(self) -> tuple[str, ...]:
        return () if self.after is None else (self.after,) if isinstance(self.after, str) else self.after

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        kind = LEVEL_LABELS[self.level]
        fld = f"字段「{self.field}」：" if self.field else ""
        return f"{where}: {kind}: {fld}{self.message}"


def _report_order(p: Problem) -> tuple[bool, str, int, str, str]:
    return (p.level != "error", p.file, p.line or 0, p.field or "", p.message)


STOPPED = "已停止生成，未写入任何文件"


class GongkaiError(Exception):
    """Raised when the input has errors; carries every problem found."""

    def __init__(self, problems: list[Problem], ordered: bool = False):
        """`ordered`: the problems are already in the order to report (Problems.relevant: causes first);
        otherwise errors come before warnings, each by file and line."""
        self.problems = list(problems) if ordered else sorted(problems, key=_report_order)
        super().__init__(self.report())

    def __reduce__(self) -> tuple[type[GongkaiError], tuple[list[Problem], bool]]:
        """Pickled with its problems (raised in a forked worker, e.g. a document changed while the build ran)."""
        return GongkaiError, (self.problems, True)

    def report(self, outcome: str = STOPPED) -> str:
        """outcome: what the errors made the command do (a build stops; `gongkai check` only checks)."""
        errors = [p for p in self.problems if p.level == "error"]
        lines = [f"发现 {len(errors)} 处错误，{outcome}："]
        lines += ["  " + p.format() for p in self.problems]
        return "\n".join(lines)


@dataclass
class Problems:
    """Collects problems so that all of them are reported together."""

    items: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # files (and `document:ID`s) that could not be read or parsed

    def error(self, file: str, line: int | None, fld: str | None, message: str,
              after: str | tuple[str, ...] | None = None) -> None:
        self.items.append(Problem(file, line, fld, message, "error", after))

    def unreadable_file(self, file: str, line: int | None, message: str, *also: str) -> None:
        """A file that could not be read or parsed: the real cause, reported first; what refers into it is quiet."""
        self.error(file, line, None, message)
        self.unreadable.update((file, *also))

    def relevant(self) -> list[Problem]:
        """Every problem but the echoes of an unreadable file, the unreadable files' own problems first.
        While a file cannot be read, warnings wait: many only say what is missing because of it."""
        kept = [p for p in self.items if not self.unreadable.intersection(p.after_keys)
                and not (self.unreadable and p.level in ("warning", "todo"))]
        # the causes first: unreadable files, then the other errors, then warnings; otherwise in the order found
        return sorted(kept, key=lambda p: (p.file not in self.unreadable, *_report_order(p)))

    def warn(self, file: str, line: int | None, fld: str | None, message: str) -> None:
        self.items.append(Problem(file, line, fld, message, "warning"))

    def todo(self, file: str, line: int | None, fld: str | None, message: str) -> None:
        self.items.append(Problem(file, line, fld, message, "todo"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]

    @property
    def todos(self) -> list[Problem]:
        return [p for p in self.items if p.level == "todo"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise GongkaiError(self.relevant(), ordered=True)
