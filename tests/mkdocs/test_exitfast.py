"""At exit the plugin's objects are left to the operating system (gongkai/mkdocs/exitfast.py): kept alive through
the interpreter's finalization, never freed one by one; an object dropped earlier is freed as usual."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

from gongkai.mkdocs import exitfast
from gongkai.mkdocs.plugin import GongkaiPlugin


class Model:
    pass


def test_leave_keeps_an_object_without_any_other_reference():
    obj = Model()
    ref = weakref.ref(obj)
    exitfast.leave(obj)  # (the list it returns not held here either)
    del obj
    gc.collect()
    try:
        assert ref() is not None  # neither reference counting nor the collector freed it
    finally:
        gc.unfreeze()
        for holder in gc.get_referrers(ref()):  # this test process frees it after all
            if isinstance(holder, list):
                holder.clear()
    gc.collect()
    assert ref() is None


def test_the_exit_hook_does_nothing_for_an_object_freed_before():
    dropped = Model()
    ref = weakref.ref(dropped)
    del dropped
    exitfast._leave(ref)
    assert gc.get_freeze_count() == 0  # nothing frozen either


# An object whose finalizer writes to stdout: at exit it runs unless the object was left to the system.
SCRIPT = """
import os, sys
from gongkai.mkdocs import exitfast

class Model:
    def __del__(self):
        os.write(1, b"freed")

model = Model()
if sys.argv[1] == "keep":
    exitfast.keep_until_exit(model)
os.write(1, b"end;")
"""


def test_at_exit_the_kept_object_is_not_freed():
    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True,
                              timeout=60).stdout

    assert run("free") == "end;freed"  # the control: without it, finalization frees the object
    assert run("keep") == "end;"


def test_the_plugin_is_kept_until_exit_once(monkeypatch):
    kept: list = []
    monkeypatch.setattr(exitfast, "keep_until_exit", kept.append)
    plugin = GongkaiPlugin()
    plugin.on_startup(command="build", dirty=False)
    plugin.on_startup(command="build", dirty=False)  # MkDocs reuses the instance (mkdocs serve, in-process builds)
    assert kept == [plugin]
