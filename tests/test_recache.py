"""gongkai/recache.py: the regular expressions of gongkai's modules come from programs compiled once and kept in a
file; each must be exactly the pattern re makes, for any pattern and flags, kept or not. (That `import gongkai`
installs it and a second process compiles nothing: tests/test_fncache.py, with the dataclass functions.)"""

from __future__ import annotations

import marshal
import os
import re
import sys
import types

import pytest

from gongkai import recache

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"[\u4e00-\u9fff\u3400-\u4dbf]+", 0),  # a large character class: the longest programs gongkai keeps
    (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P<day>\d\d))?", 0),
    (r"^\s*#+\s*(.*?)\s*#*\s*$", re.M),
    (r"(?<![\w.])1[3-9]\d{9}(?!\d)", 0),
    (r"""
        (?P<a> [a-z]+ )   # a word
        \s* = \s* (?P=a)  # the same again
     """, re.X | re.I),
    (r"(?i:abc)def|x{2,5}?y*+", 0),
    (rb"\x00[\x80-\xff]+", 0),
    (r"(a)|(b)|(?P<c>c)", re.S | re.A),
]


@pytest.fixture
def kept_in(tmp_path, monkeypatch):
    """recache installed with a file of the test's own; the process's own restored afterwards. Bytecode writing
    on, whatever the shell says (PYTHONDONTWRITEBYTECODE)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    from re import _compiler

    before = _compiler.compile

    def install(name: str = "re.marshal") -> recache.RegexCache:
        recache.uninstall()
        re.purge()
        kept = recache.install(recache.RegexCache(str(tmp_path / name)))
        assert kept is not None
        return kept

    yield install
    _compiler.compile = before
    re.purge()


def compile_in(module: str, pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags) called from the module `module` as it is imported (a module-level constant)."""
    mod = types.ModuleType(module)
    vars(mod).update(p=pattern, f=flags)
    exec("import re\nmade = re.compile(p, f)\n", vars(mod))
    return mod.made


def same(a: re.Pattern, b: re.Pattern) -> bool:
    """The same pattern object: Pattern's == compares pattern, flags and program; the groups on top."""
    return a == b and a.flags == b.flags and a.groups == b.groups and a.groupindex == b.groupindex


def test_kept_programs_make_the_patterns_re_makes(kept_in):
    first = kept_in()
    made = [compile_in("gongkai._recache_case", p, f) for p, f in PATTERNS]
    assert first.compiled == len(PATTERNS)
    first.save()
    second = kept_in()
    again = [compile_in("gongkai._recache_case", p, f) for p, f in PATTERNS]
    assert second.compiled == 0 and second.used == set(PATTERNS)
    recache.uninstall()
    re.purge()
    for (p, f), a, b in zip(PATTERNS, made, again, strict=True):
        plain = re.compile(p, f)
        assert same(a, plain) and same(b, plain), p
    phone = again[3]
    assert phone.search("电话：13912345678。") and not phone.search("a13912345678")
    assert again[1].match("2026-12-02").groupdict() == {"year": "2026", "month": "12", "day": "02"}


def test_the_key_is_the_pattern_and_its_flags(kept_in):
    """One pattern with two sets of flags is two programs (a cache keyed by the pattern alone gives the second
    the first's program and fails here)."""
    first = kept_in()
    compile_in("gongkai._recache_case", "abc", 0)
    compile_in("gongkai._recache_case", "abc", re.I)
    first.save()
    kept = kept_in()
    assert compile_in("gongkai._recache_case", "abc", re.I).match("ABC")
    assert not compile_in("gongkai._recache_case", "abc", 0).match("ABC")
    assert kept.compiled == 0


def test_a_wrong_program_in_the_file_is_never_kept(kept_in, tmp_path, monkeypatch):
    """A program is kept only when the pattern made from it equals re's: a compiler that goes wrong (here: every
    program's flags lost) keeps nothing and still returns re's own pattern."""
    real = recache._program
    monkeypatch.setattr(recache, "_program", lambda p, f: (0, *real(p, f)[1:]))
    kept = kept_in()
    made = compile_in("gongkai._recache_case", "x", re.I)
    assert kept.compiled == 0 and not kept.codes
    assert made.match("X")


def test_other_modules_patterns_are_left_to_re(kept_in):
    kept = kept_in()
    compile_in("notgongkai_case", r"\d+x", 0)
    compile_in("gongkaix", r"\d+y", 0)
    assert kept.compiled == 0 and not kept.codes
    assert re.compile(r"\d+z").match("12z")  # (this test module is not gongkai's either)
    assert not kept.codes


def test_a_damaged_or_foreign_file_is_as_if_there_were_none(kept_in, tmp_path):
    for data in (b"", b"\x00garbage", recache.HEADER + b"\x00", recache.HEADER + marshal.dumps([1]),
                 recache.HEADER + marshal.dumps({("a", 0): (0, "no list", 0, {}, (None,))}),
                 recache.HEADER + marshal.dumps({"a": 1})):
        (tmp_path / "bad.marshal").write_bytes(data)
        kept = kept_in("bad.marshal")
        assert kept.codes == {}
        assert compile_in("gongkai._recache_case", "a+", 0).match("aa")
        kept.save()  # replaced whole by a good one
        assert ("a+", 0) in kept_in("bad.marshal").codes


def test_a_program_the_matcher_refuses_is_compiled_again(kept_in, tmp_path):
    """A file that holds a program _sre.compile rejects (damaged within marshal's rules): re compiles it."""
    kept = kept_in()
    kept.codes[("ab", 0)] = (0, [1, 2, 3], 0, {}, (None,))
    assert compile_in("gongkai._recache_case", "ab", 0).match("ab")
    assert kept.codes[("ab", 0)][1] != [1, 2, 3]


def test_a_file_of_another_python_is_as_if_there_were_none(kept_in, tmp_path, monkeypatch):
    kept = kept_in()
    compile_in("gongkai._recache_case", "a+b", 0)
    kept.save()
    assert kept_in().codes
    monkeypatch.setattr(recache, "HEADER", recache.HEADER.replace(sys.version.encode(), b"3.11.0 (other)"))
    assert kept_in().codes == {}


def test_nothing_is_made_or_written_without_bytecode_writing_nor_written_without_news(kept_in, tmp_path, monkeypatch):
    """Without bytecode writing (PYTHONDONTWRITEBYTECODE) a pattern the file lacks is re's alone: no program made a
    second time for a file never written; what the file holds is still used."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept = kept_in()
    assert compile_in("gongkai._recache_case", "a+c", 0).match("aac")
    assert kept.compiled == 0 and not kept.codes
    kept.save()
    assert not (tmp_path / "re.marshal").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = kept_in()
    compile_in("gongkai._recache_case", "a+c", 0)
    first.save()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    held = kept_in()
    assert compile_in("gongkai._recache_case", "a+c", 0).match("aac") and held.used == {("a+c", 0)}
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    again = kept_in()
    compile_in("gongkai._recache_case", "a+c", 0)
    os.utime(tmp_path / "re.marshal", ns=(1, 1))
    again.save()  # nothing new compiled: not written
    assert (tmp_path / "re.marshal").stat().st_mtime_ns == 1
    assert not list(tmp_path.glob("*.tmp"))



def test_only_patterns_compiled_as_a_module_is_imported_are_kept(kept_in):
    """A pattern compiled in a function can be made from data — docids.made_by_rule compiles one per document in
    `gongkai lock` (3,000 documents: a 1.2 MB file read whole at every later start, ~10 ms, and each program made
    twice): left to re. Module constants, and a comprehension's at module level, are kept (a rule that keeps every
    pattern of gongkai's keeps the function's and fails here)."""
    kept = kept_in()
    mod = types.ModuleType("gongkai._recache_case")
    exec("import re\n"
         "def made_by_rule(base, ident):\n"
         "    return re.fullmatch(re.escape(base) + r'(-\\d+)?', ident) is not None\n"
         "TAGS = {t: re.compile(rf'<{t}\\b') for t in ('img', 'video')}\n", vars(mod))
    assert set(kept.codes) == {(r"<img\b", 0), (r"<video\b", 0)}
    assert mod.made_by_rule("2024-001", "2024-001-2") and not mod.made_by_rule("2024-001", "2024-0012")
    assert set(kept.codes) == {(r"<img\b", 0), (r"<video\b", 0)} and kept.compiled == 2
