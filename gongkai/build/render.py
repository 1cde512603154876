"""Jinja2 and Markdown rendering shared by every page type (no MkDocs)."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from pathlib import Path
from typing import Any

import jinja2
import markdown as md_lib

from gongkai.build.sanitize import sanitize_html
from gongkai.sitepaths import PATHS

TEMPLATE_DIR = Path(__file__).parent / "templates"


def relurl(from_href: str, to_href: str) -> str:
    """Relative URL from one site-relative page to another, so file:// browsing works."""
    if "://" in to_href or to_href.startswith(("mailto:", "tel:", "#")):
        return to_href
    to_path, _, frag = to_href.partition("#")
    rel = _relpath(to_path or from_href, from_href)
    if to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{frag}" if frag else "")


@functools.lru_cache(maxsize=1024)
def _folder_parts(from_href: str) -> tuple[str, ...] | None:
    """The folders of a plain site-relative page address ('a/b/index.html' -> ('a', 'b')); None if not plain."""
    parts = tuple(p for p in from_href.split("/")[:-1] if p)
    if from_href.startswith("/") or any(p in (".", "..") for p in parts):
        return None
    return parts


def _relpath(path: str, from_href: str) -> str:
    """posixpath.relpath(path, dirname(from_href) or "."), without its two abspath calls for plain addresses.

    A column page lists thousands of documents: this runs once per row.
    """
    start = _folder_parts(from_href)
    if start is not None and path and not path.startswith("/"):
        target = [p for p in path.split("/") if p]
        if not any(p in (".", "..") for p in target):
            i = 0
            for a, b in zip(start, target, strict=False):
                if a != b:
                    break
                i += 1
            return "/".join([".."] * (len(start) - i) + target[i:]) or "."
    return posixpath.relpath(path, posixpath.dirname(from_href) or ".")


def cn_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def make_env(root: Path | None = None) -> jinja2.Environment:
    """Templates in overrides/gongkai/ (the bureau's) win over the package's own."""
    loaders: list[jinja2.BaseLoader] = []
    if root is not None and (root / "overrides" / "gongkai").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(root / "overrides" / "gongkai")))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["date"] = cn_date
    env.globals["paths"] = PATHS  # the site's fixed addresses: url(paths.catalogue) …
    return env


class Renderer:
    """Renders fragments for one catalogue: column bodies, document bodies, tables."""

    def __init__(self, root: Path, extensions: list[Any] | None = None, ext_configs: dict | None = None):
        self.env = make_env(root)
        self.extensions = extensions if extensions is not None else ["tables", "toc", "attr_list", "admonition"]
        self.ext_configs = ext_configs or {}
        self._md: md_lib.Markdown | None = None

    def markdown(self, text: str) -> str:
        if self._md is None:
            self._md = md_lib.Markdown(extensions=self.extensions, extension_configs=self.ext_configs)
        self._md.reset()
        return sanitize_html(self._md.convert(text))  # raw HTML in Markdown: only a safe allow-list

    def render(self, template: str, href: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relurl(href, target)

        return self.env.get_template(template).render(url=url, href=href, **context)


def template_error_message(exc: jinja2.TemplateError) -> str:
    """A Chinese message naming the template file and line of a Jinja2 error, for editors of overrides/."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not line:  # runtime errors (an undefined variable …): the innermost template frame of the traceback
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".j2")):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    where = f"{name}:{line}" if name and line else (name or "模板")
    return f"{where}: 错误: 模板无法渲染：{exc.message or type(exc).__name__}（请检查 overrides/gongkai/ 中的模板）"
