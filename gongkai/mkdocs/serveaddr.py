"""Whether `mkdocs serve` can listen where it was asked to, said in Chinese before the first build.

MkDocs binds its server only after the whole site has been built, and a port that another preview already holds
then ends in an English traceback (OSError: [Errno 98] Address already in use). The plugin asks first, while
reading mkdocs.yml, by binding a throwaway socket the way MkDocs' server binds (http.server's servers set
SO_REUSEADDR), and stops with a message a clerk can act on.
"""

from __future__ import annotations

import errno
import ipaddress
import socket


def address_problem(host: str, port: int) -> str | None:
    """None when a server can listen on host:port now; else what stops it, in Chinese."""
    family = socket.AF_INET
    try:
        if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address):
            family = socket.AF_INET6
    except ValueError:  # a host name: MkDocs' server uses IPv4 for it too
        pass
    where = f"{host}:{port}"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"预览地址 {where} 已被占用（可能已经有一个预览在运行）：请先关闭它（在它的窗口按 Ctrl+C），"
                        f"或换一个端口，如 gongkai serve -a {host}:{port + 1}")
            if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                return f"预览地址 {where} 不是本机的地址：请用 127.0.0.1（只在本机看）或本机的 IP 地址"
            if exc.errno == errno.EACCES:
                return f"没有权限在 {where} 上预览（1024 以下的端口要管理员权限）：请换一个端口，如 {host}:8000"
            return f"无法在 {where} 上预览（系统错误号 {exc.errno}）：请换一个地址或端口"
        except (socket.gaierror, UnicodeError):
            return f"预览地址 {where} 无法解析：请用 127.0.0.1 或本机的 IP 地址"
    return None


__all__ = ["address_problem"]
