"""gongkai: static site generator for a bureau's 政府信息公开专栏."""

from gongkai import fncache, recache

__version__ = "0.1.0"

# before any of gongkai's modules defines a dataclass: their generated functions are compiled once, not at every
# start of a process (~30 ms CPU of every build's start-up; gongkai/fncache.py)
fncache.install()
# and before any of them compiles a regular expression: their programs are made once, not at every start (~15 ms
# CPU of every build; gongkai/recache.py)
recache.install()
