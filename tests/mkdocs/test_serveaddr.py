"""serveaddr.address_problem: a port another server holds, an address that is not this machine's, a free one."""

from __future__ import annotations

import socket

from gongkai.mkdocs.serveaddr import address_problem


def test_a_port_another_server_listens_on_is_named_in_chinese():
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server binds
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        problem = address_problem("127.0.0.1", port)
    assert problem is not None
    assert f"127.0.0.1:{port} 已被占用" in problem
    assert f"gongkai serve -a 127.0.0.1:{port + 1}" in problem


def test_a_free_port_is_no_problem():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert address_problem("127.0.0.1", port) is None


def test_an_address_that_is_not_this_machines():
    problem = address_problem("192.0.2.1", 8000)  # TEST-NET-1 (RFC 5737): never a local address
    assert problem is not None and "不是本机的地址" in problem
