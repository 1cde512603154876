"""The functions `@dataclass` writes for gongkai's classes, compiled once per Python, not at every start.

A dataclass gets its __init__, __repr__ and __eq__ (a frozen one also __setattr__, __delattr__ and __hash__) by
writing their source text and compiling it (dataclasses._create_fn: `exec(text, globals, ns)`). gongkai has about
100 dataclasses, so every process compiles about 400 small functions while it imports gongkai: ~30 ms of CPU, a
seventh of what `mkdocs build` spends before it loads anything (session 13: 29 ms of the ~95 ms import of the
plugin; the regular expressions are 14 ms). The texts are the same from one start to the next; compiling one is
what costs, not running the compiled definitions.

`install` gives the dataclasses module an `exec` of its own (a module global shadows the builtin for that module
only) that compiles each text it is handed for one of gongkai's modules once and keeps the code object in a file
beside gongkai's bytecode (__pycache__/dataclass-fns.<Python's cache tag>.marshal), keyed by the whole text. The
code compiled from the same text with the same flags is the same code, so the functions are exactly those the
dataclasses module would have made; only the compile is skipped. Every other `exec` (other packages' dataclasses,
any text not for gongkai) is compiled as before (without this module's __future__ flags) and run by the builtin.

Like Python's own bytecode files: the file is read when it is there; written (whole, renamed into place) at exit
when this process compiled a text it did not hold, unless bytecode is not written (PYTHONDONTWRITEBYTECODE, -B);
a file that cannot be read or written is as if there were none. A text that changed (a field added) is a new key;
the file keeps what it held besides, up to KEEP_LIMIT texts, then only the texts this process used.
"""

from __future__ import annotations

import atexit
import builtins
import importlib.util
import marshal
import os
import sys
from types import CodeType
from typing import Any

KEEP_LIMIT = 2000  # texts kept in the file; gongkai uses ~400: more means old versions of changed classes
# the file's first bytes, as a .pyc's: the bytecode's version, which can change while the cache tag does not (a
# patch release); code of another version is never loaded (marshal would read it; running it could crash)
MAGIC = importlib.util.MAGIC_NUMBER


def cache_path(name: str = "dataclass-fns") -> str:
    """The file (`name`: of which kind), by Python's cache tag (its bytecode's version) and optimisation level (-O), as .pyc files are,
    in the folder of gongkai's own bytecode: __pycache__ beside it, or under sys.pycache_prefix when one is set
    (PYTHONPYCACHEPREFIX: bytecode kept out of a read-only install, which is then not written to either)."""
    folder = os.path.dirname(importlib.util.cache_from_source(os.path.abspath(__file__)))
    return os.path.join(folder, f"{name}.{sys.implementation.cache_tag}.opt{sys.flags.optimize}.marshal")


class Kept:
    """What this module family compiles from source texts, kept in one marshal file beside gongkai's bytecode: read
    whole when made, written whole (renamed into place) by `save` when this process compiled something the file did
    not hold. `codes`: text (the key) -> what it compiles to; `valid` says which entries of a file are taken."""

    def __init__(self, path: str, header: bytes):
        self.path = path
        self.header = header  # the file's first bytes: the version of what it holds; another is never loaded
        self.codes: dict[Any, Any] = {}
        self.used: set[Any] = set()
        self.compiled = 0  # texts this process compiled (not in the file)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            if not data.startswith(header):
                return
            codes = marshal.loads(data[len(header):])
        except (OSError, ValueError, EOFError, TypeError):
            return
        if isinstance(codes, dict):
            self.codes = {t: c for t, c in codes.items() if self.valid(t, c)}

    def valid(self, key: Any, value: Any) -> bool:
        raise NotImplementedError

    def save(self) -> None:
        """Written when something was compiled, bytecode is written at all, and the folder can take it."""
        if not self.compiled or sys.dont_write_bytecode:
            return
        codes = self.codes
        if len(codes) > KEEP_LIMIT:
            codes = {t: codes[t] for t in self.used}
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(self.header + marshal.dumps(codes))
            os.replace(tmp, self.path)  # another process's file is replaced whole, never mixed
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.compiled = 0


class FnCache(Kept):
    """Code compiled from dataclass texts, read from and written to one file."""

    def __init__(self, path: str):
        super().__init__(path, MAGIC)

    def valid(self, key: Any, value: Any) -> bool:
        return isinstance(key, str) and isinstance(value, CodeType)

    def code(self, text: str) -> CodeType:
        """text compiled as `exec(text)` in the dataclasses module compiles it (no __future__ flags there)."""
        found = self.codes.get(text)
        if found is None:
            found = self.codes[text] = compile(text, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
        self.used.add(text)
        return found


def _ours(globals_: Any) -> bool:
    return isinstance(globals_, dict) and str(globals_.get("__name__", "")).split(".", 1)[0] == "gongkai"


def install(cache: FnCache | None = None) -> FnCache | None:
    """From now on, dataclasses' texts for gongkai's modules are compiled once (see the module's docstring).
    Once per process; None when the dataclasses module already execs through something else."""
    import dataclasses

    if "exec" in vars(dataclasses):  # installed already (or someone else's): left as it is
        return None
    fns = cache if cache is not None else FnCache(cache_path())

    def exec_(source: Any, globals_: Any = None, locals_: Any = None, /) -> None:
        # builtins.exec(str) would compile with this module's __future__ flags (`annotations`: every other
        # package's __init__ annotated with the names of dataclasses' locals): compiled here as dataclasses would
        if isinstance(source, str):
            source = fns.code(source) if _ours(globals_) else compile(source, "<string>", "exec", dont_inherit=True)
        builtins.exec(source, globals_, locals_)

    dataclasses.exec = exec_  # type: ignore[attr-defined]
    if cache is None:  # (a cache of a test's own is saved by the test)
        atexit.register(fns.save)
    return fns


def uninstall() -> None:
    """dataclasses' texts compiled by the builtin again (tests)."""
    import dataclasses

    vars(dataclasses).pop("exec", None)


__all__ = ["FnCache", "Kept", "cache_path", "install", "uninstall"]
