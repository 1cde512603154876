"""cmark-gfm through cmarkgfm's compiled library, without its memory leak.

cmarkgfm's `markdown_to_html_with_extensions` never frees the parsed document tree nor the HTML string cmark-gfm
returns (both are the caller's to free; cmarkgfm issue #53): about 50 KB per body stays allocated for the life of
the process. A 10,000-document cold build kept ~500 MB that way, spread over its worker processes, and every
rebuild of a long-running `mkdocs serve` added more. Here the same calls are made in the same order (so the
HTML is byte-identical), and both are handed back to cmark-gfm: the tree with `cmark_node_free`, the string with
the `free` of cmark-gfm's default allocator (the one `cmark_render_html` allocated it with). cmarkgfm's cffi
module declares neither function, but its shared library exports both; they are reached through ctypes.
Where that library does not export them, cmarkgfm's own function is used (correct output, the leak remains).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence

import cmarkgfm
from cmarkgfm import _cmark

_ffi, _lib = _cmark.ffi, _cmark.lib


class _Mem(ctypes.Structure):
    """cmark_mem: the allocator cmark-gfm allocates its output with (cmark.h)."""

    _fields_ = [("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p))]


def _release_functions() -> tuple[Callable[[int], None], Callable[[int], None]] | None:
    """(free a node tree, free an output string), or None where the library does not export them."""
    try:
        so = ctypes.CDLL(_cmark.__file__)  # the library cmarkgfm has already loaded: the same handle
        node_free = so.cmark_node_free
        allocator = so.cmark_get_default_mem_allocator
    except (OSError, AttributeError):  # pragma: no cover (a build of cmarkgfm that hides its symbols)
        return None
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    allocator.argtypes, allocator.restype = [], ctypes.POINTER(_Mem)
    free = allocator().contents.free
    return node_free, free


_RELEASE = _release_functions()


def _address(pointer: object) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


def to_html(text: str, options: int, extensions: Sequence[str]) -> str:
    """cmark-gfm's HTML for text: what cmarkgfm.markdown_to_html_with_extensions returns, with nothing kept."""
    if _RELEASE is None:  # pragma: no cover
        return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=list(extensions))
    node_free, free = _RELEASE
    _lib.cmark_gfm_core_extensions_ensure_registered()
    found = []
    for name in extensions:
        extension = _lib.cmark_find_syntax_extension(name.encode("utf-8"))
        if extension == _ffi.NULL:
            raise ValueError(f"Unknown extension {name}")
        found.append(extension)
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in found:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, data, len(data))
        root = _lib.cmark_parser_finish(parser)
        try:
            if _lib.cmark_node_get_type(root) == _lib.CMARK_NODE_NONE:
                raise ValueError("Error parsing markdown!")
            raw = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(raw).decode("utf-8")
            finally:
                free(_address(raw))
        finally:
            node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)
