"""in_own_arena: the work runs in another thread, its result and its exception come back to the caller."""

import threading

import pytest

from gongkai.build.arena import in_own_arena


def test_result_from_another_thread():
    caller = threading.get_ident()
    assert in_own_arena(lambda: (threading.get_ident() != caller, "页面")) == (True, "页面")
    assert threading.active_count() == 1 or all(t.name != "gongkai-arena" for t in threading.enumerate())


def test_exception_raised_in_the_caller():
    def fail() -> None:
        raise ValueError("文件页无法生成")

    with pytest.raises(ValueError, match="文件页无法生成"):
        in_own_arena(fail)


def test_none_is_a_result():
    assert in_own_arena(lambda: None) is None
