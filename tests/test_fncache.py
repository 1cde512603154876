"""gongkai/fncache.py: the functions `@dataclass` writes for gongkai's classes come from code compiled once and kept
in a file; they must be exactly the functions the dataclasses module makes, for any class, changed or not."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from gongkai import fncache


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    """fncache installed with a cache file of the test's own; the process's own restored afterwards. Bytecode
    writing on, whatever the shell says (PYTHONDONTWRITEBYTECODE)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    before = vars(dataclasses).get("exec")
    installed: list[fncache.FnCache] = []

    def install(name: str = "fns.marshal") -> fncache.FnCache:
        fncache.uninstall()
        fns = fncache.install(fncache.FnCache(str(tmp_path / name)))
        assert fns is not None
        installed.append(fns)
        return fns

    yield install
    fncache.uninstall()
    if before is not None:
        dataclasses.exec = before  # type: ignore[attr-defined]


def define(source: str, module: str = "gongkai._fncache_case") -> types.ModuleType:
    """source run as the module `module` (dataclasses looks the class's module up in sys.modules)."""
    mod = types.ModuleType(module)
    sys.modules[module] = mod
    try:
        exec(source, mod.__dict__)
    finally:
        del sys.modules[module]
    return mod


POINT = """
from dataclasses import dataclass, field
@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list, compare=False)
"""
POINT3 = POINT.replace("    y: int = 0\n", "    y: int = 0\n    z: int = 5\n")  # the same class, one more field


def behaviour(mod: types.ModuleType) -> tuple:
    """What the generated functions do: __init__, defaults, __repr__, __eq__, __hash__, frozen __setattr__."""
    p = mod.Point(1)
    try:
        p.x = 3
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    return (repr(p), p == mod.Point(1, 0, ["other"]), hash(p) == hash(mod.Point(1)), frozen,
            [f.name for f in dataclasses.fields(p)])


def test_the_functions_are_those_the_builtin_compile_makes(cache_in):
    fncache.uninstall()
    plain = define(POINT)
    fns = cache_in()
    cached = define(POINT)
    assert fns.compiled > 0 and fns.used
    assert behaviour(cached) == behaviour(plain)
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(cached.Point, name).__code__ == getattr(plain.Point, name).__code__, name


def test_a_second_process_compiles_nothing_and_gets_the_same_code(cache_in, tmp_path):
    first = cache_in()
    one = define(POINT)
    first.save()
    assert (tmp_path / "fns.marshal").is_file()
    second = cache_in()
    assert second.codes.keys() == first.codes.keys()
    two = define(POINT)
    assert second.compiled == 0
    assert behaviour(two) == behaviour(one)
    assert two.Point.__init__.__code__ == one.Point.__init__.__code__
    assert second.codes == {t: compile(t, "<string>", "exec", dont_inherit=True) for t in second.codes}


def test_a_changed_class_gets_its_own_functions(cache_in):
    """The key is the whole text: a class of the same name with another field is another __init__ (a cache keyed
    by less — the class's or the function's name — would give it the old one and fail here)."""
    fns = cache_in()
    define(POINT)
    fns.save()
    fns = cache_in()
    three = define(POINT3)
    assert fns.compiled > 0
    assert three.Point(1).z == 5
    assert repr(three.Point(1, 2, 7, [])) == "Point(x=1, y=2, z=7, tags=[])"


def test_other_modules_texts_are_left_to_the_builtin(cache_in):
    fns = cache_in()
    other = define(POINT, module="notgongkai_case")
    assert fns.compiled == 0 and not fns.codes
    assert other.Point(1) == other.Point(1)


def test_a_damaged_or_foreign_file_is_as_if_there_were_none(cache_in, tmp_path):
    for data in (b"", b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({"text": 1})):
        (tmp_path / "bad.marshal").write_bytes(data)
        fns = cache_in("bad.marshal")
        assert fns.codes == {}
        assert behaviour(define(POINT))[0] == "Point(x=1, y=0, tags=[])"
        fns.save()  # replaced whole by a good one
        assert cache_in("bad.marshal").codes.keys() == fns.codes.keys()


def test_nothing_is_written_without_bytecode_writing_or_without_news(cache_in, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    fns = cache_in()
    define(POINT)
    fns.save()
    assert not (tmp_path / "fns.marshal").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    fns.save()
    stamp = (tmp_path / "fns.marshal").stat().st_mtime_ns
    again = cache_in()
    define(POINT)
    os.utime(tmp_path / "fns.marshal", ns=(1, 1))
    again.save()  # nothing new compiled: not written
    assert (tmp_path / "fns.marshal").stat().st_mtime_ns == 1 != stamp
    assert not list(tmp_path.glob("*.tmp"))


def test_a_full_file_keeps_only_what_this_process_used(cache_in, monkeypatch):
    monkeypatch.setattr(fncache, "KEEP_LIMIT", 3)
    fns = cache_in()
    define(POINT)
    fns.save()
    fns = cache_in()
    define(POINT3)
    fns.save()
    kept = cache_in().codes
    assert set(kept) == fns.used  # POINT's texts, unused by this process, dropped


def test_gongkai_is_imported_with_the_cache_installed():
    """In a fresh process: `import gongkai` installs it (and recache, gongkai/recache.py) before any of gongkai's
    dataclasses (patterns) is made, and the files beside gongkai's bytecode serve a second process without
    compiling (bytecode writing on)."""
    code = ("import dataclasses, re._compiler as c, gongkai.model, gongkai.fncache as f; "
            "e = vars(dataclasses)['exec']; fns = e.__closure__[0].cell_contents; "
            "kept = c.compile.__closure__[0].cell_contents; "
            "print(fns.path == f.cache_path(), fns.compiled, len(fns.used), "
            "kept.path == f.cache_path('regex-codes'), kept.compiled, len(kept.used))")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(Path(fncache.__file__).resolve().parents[1])
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    same, compiled, used, re_same, re_compiled, re_used = runs[1].stdout.split()
    assert same == "True" and compiled == "0" and int(used) > 20, [r.stdout for r in runs]
    assert re_same == "True" and re_compiled == "0" and int(re_used) > 5, [r.stdout for r in runs]


def test_other_modules_functions_are_compiled_as_the_dataclasses_module_compiles_them(cache_in):
    """A text for another package is compiled as the dataclasses module's own `exec` compiles it: without the
    __future__ flags of fncache.py (`from __future__ import annotations` there would turn the annotations of every
    other package's __init__ into the names of dataclasses' locals, which typing.get_type_hints cannot resolve)."""
    fncache.uninstall()
    plain = define(POINT, module="notgongkai_case")
    cache_in()
    other = define(POINT, module="notgongkai_case")
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(other.Point, name).__code__ == getattr(plain.Point, name).__code__, name
    assert other.Point.__init__.__annotations__ == plain.Point.__init__.__annotations__


def test_a_file_of_another_bytecode_version_is_as_if_there_were_none(cache_in, tmp_path, monkeypatch):
    """The cache tag (cpython-311) can stay while the bytecode's version (importlib.util.MAGIC_NUMBER) changes: a
    file written by another version is not loaded, as a .pyc of another magic number is not."""
    fns = cache_in()
    define(POINT)
    fns.save()
    assert cache_in().codes
    monkeypatch.setattr(fncache, "MAGIC", b"\x00\x00\r\n")
    fns = cache_in()
    assert fns.codes == {}
    assert behaviour(define(POINT))[0] == "Point(x=1, y=0, tags=[])" and fns.compiled > 0


def test_the_file_is_where_gongkais_bytecode_is(tmp_path, monkeypatch):
    """Beside gongkai's .pyc files: its __pycache__, or the tree under PYTHONPYCACHEPREFIX (sys.pycache_prefix),
    which keeps every byte Python writes out of a read-only install."""
    here = os.path.dirname(os.path.abspath(fncache.__file__))
    monkeypatch.setattr(sys, "pycache_prefix", None)
    assert os.path.dirname(fncache.cache_path()) == os.path.join(here, "__pycache__")
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    assert os.path.dirname(fncache.cache_path()) == os.path.join(str(tmp_path), here.lstrip(os.sep))
