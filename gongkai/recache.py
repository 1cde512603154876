"""The regular expressions of gongkai's modules, compiled once per Python, not at every start.

`re.compile` parses a pattern and turns it into a program for the C matcher (re._parser, re._compiler: Python
code), then hands the program to `_sre.compile`. gongkai compiles about 140 patterns while it is imported and
used (the character classes of Chinese text, the Markdown and search scanners): ~15 ms of CPU of every build,
the same patterns every time. Like the dataclass functions (gongkai/fncache.py), what costs is the compiling,
not the result.

`install` puts a `compile` of its own in re._compiler, the function re's `_compile` calls for a pattern that is not
in re's in-memory cache. For a str or bytes pattern compiled by one of gongkai's modules as it is imported (the
first frame outside the re package is a module's code: constants, never patterns made from data), the program —
flags, code, group count, group names — is kept in a file beside gongkai's bytecode
(__pycache__/regex-codes.<tag>.opt<level>.marshal), keyed by (pattern, flags) as re's own cache is, and given to
`_sre.compile` next time, which is the last step of re._compiler.compile: the same pattern object. A program is kept
only when the pattern object made from it equals the one re._compiler made (same pattern, flags and code, and the
same groups), so what the file holds is what this Python makes. Every other pattern (other packages, one compiled in
a function, a pattern given as a parsed tree, the DEBUG flag) is compiled by re as before.

The file's header is the bytecode's version and Python's full version string with the matcher's: a program is
never run by another Python. Read, written and bounded like fncache's file (fncache.Kept): written at exit when
this process compiled a pattern it did not hold, unless bytecode is not written (PYTHONDONTWRITEBYTECODE, -B):
then a pattern the file does not hold is only compiled by re, not made a second time for a file never written.
A pattern's warnings (re's DeprecationWarning on a doubtful set) come when it is compiled, as a .pyc's do.
"""

from __future__ import annotations

import atexit
import importlib
import re
import sys
from typing import Any

from gongkai import fncache

# re's internals (no type stubs): the parser, the code generator and the C matcher
_sre: Any = importlib.import_module("_sre")
_compiler: Any = importlib.import_module("re._compiler")
_parser: Any = importlib.import_module("re._parser")

# the file's first bytes: bytecode version, Python's full version and the matcher's (its code format)
HEADER = fncache.MAGIC + f" re {sys.version} {_sre.MAGIC} {_sre.CODESIZE}".encode() + b"\0"
ORIGINAL = _compiler.compile  # re's own


class RegexCache(fncache.Kept):
    """(pattern, flags) -> (flags, code, groups, groupindex, indexgroup): the arguments of `_sre.compile`."""

    def __init__(self, path: str):
        super().__init__(path, HEADER)

    def valid(self, key: Any, value: Any) -> bool:
        return (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], (str, bytes))
                and isinstance(key[1], int) and isinstance(value, tuple) and len(value) == 5
                and isinstance(value[1], list))

    def pattern(self, pattern: str | bytes, flags: int) -> Any:
        """pattern compiled as re._compiler.compile(pattern, flags) compiles it (flags: an int, no DEBUG)."""
        key = (pattern, flags)
        found = self.codes.get(key)
        if found is not None:
            try:
                compiled = _sre.compile(pattern, *found)
            except (RuntimeError, TypeError, ValueError, OverflowError):  # a program this matcher refuses
                del self.codes[key]
            else:
                self.used.add(key)
                return compiled
        made = ORIGINAL(pattern, flags)
        if sys.dont_write_bytecode:  # never saved: not worth making the program a second time (~2x re's compile)
            return made
        program = _program(pattern, flags)
        again = _sre.compile(pattern, *program)
        if again == made and again.groupindex == made.groupindex and again.groups == made.groups:
            self.codes[key] = program
            self.used.add(key)
            self.compiled += 1
        return made


def _program(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """The arguments re._compiler.compile gives `_sre.compile`, as plain values (marshal takes no int subclass:
    the opcodes are re's named constants)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), [int(c) for c in code], int(parsed.state.groups - 1), groupindex,
            tuple(indexgroup))


_COMPREHENSIONS = ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>")


def _ours() -> bool:
    """Is the pattern being compiled by one of gongkai's modules as it is imported (the first caller outside the re
    package: a module's own code, or a comprehension in it)? A pattern compiled in a function can be made from data
    (docids.made_by_rule: one for each document of `gongkai lock`): kept, such patterns would fill the file every
    start reads whole, each program made twice; they are left to re, like the few literal patterns of functions."""
    try:
        frame: Any = sys._getframe(2)  # (0: here, 1: the compile re calls)
    except ValueError:  # called from no Python code at all
        return False
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if not (name == "re" or name.startswith("re.")):
            if not (name == "gongkai" or name.startswith("gongkai.")):
                return False
            if frame.f_code.co_name in _COMPREHENSIONS and frame.f_back is not None:
                frame = frame.f_back
            return bool(frame.f_code.co_name == "<module>")
        frame = frame.f_back
    return False


def install(cache: RegexCache | None = None) -> RegexCache | None:
    """From now on, gongkai's patterns are compiled once (see the module's docstring). Once per process; None when
    re._compiler.compile is not re's own (installed already, or someone else's)."""
    if _compiler.compile is not ORIGINAL or not hasattr(_compiler, "_code"):
        return None
    kept = cache if cache is not None else RegexCache(fncache.cache_path("regex-codes"))

    def compile_(p: Any, flags: int = 0) -> Any:
        if isinstance(p, (str, bytes)) and type(flags) is int and not flags & re.DEBUG and _ours():
            return kept.pattern(p, flags)
        return ORIGINAL(p, flags)

    _compiler.compile = compile_
    if cache is None:  # (a cache of a test's own is saved by the test)
        atexit.register(kept.save)
    return kept


def uninstall() -> None:
    """Patterns compiled by re alone again (tests)."""
    _compiler.compile = ORIGINAL


__all__ = ["HEADER", "RegexCache", "install", "uninstall"]
