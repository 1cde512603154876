"""scripts/bench.py's own machinery: the memory guard that stops a build before it takes the machine down, and
the kept corpus that a 100,000-document run reuses (stamp, refusal of a mismatched or foreign folder, the edited
files restored)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import bench  # noqa: E402 (scripts/ is not a package)

# grows by 10 MB every 10 ms up to 1 GB, after starting a child that would outlive it (`sleep`)
HOG = """
import subprocess, sys, time
child = subprocess.Popen(["sleep", "60"])
open(sys.argv[1], "w").write(str(child.pid))
hoard = []
for _ in range(100):
    hoard.append(bytearray(10_000_000))
    time.sleep(0.01)
time.sleep(30)
"""


def gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for its reaper counts as gone: it holds no memory)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def test_guard_stops_a_process_tree_at_the_memory_limit(tmp_path):
    pidfile = tmp_path / "child.pid"
    guard = bench.Guard(mem_limit_mb=150, min_available_mb=0)
    started = time.perf_counter()
    run = bench.run_measured([sys.executable, "-c", HOG, str(pidfile)], tmp_path, dict(os.environ), guard)
    assert time.perf_counter() - started < 10  # not the 31 s the program would take
    assert not run.ok and run.stopped.startswith("stopped at ")
    assert "limit 150 MB" in run.stopped and "did not finish" in run.outcome()
    assert 150 <= run.peak_tree_mb < 400  # sampled every 50 ms: stopped within a few steps of 10 MB
    child = int(pidfile.read_text())
    for _ in range(50):  # the whole session is killed, the child too
        if gone(child):
            break
        time.sleep(0.1)
    assert gone(child)


def test_guard_time_limit_and_a_normal_run(tmp_path):
    guard = bench.Guard(mem_limit_mb=1024, min_available_mb=0, time_limit_s=0.5)
    run = bench.run_measured(["sleep", "30"], tmp_path, dict(os.environ), guard)
    assert not run.ok and run.stopped.startswith("stopped at the time limit") and run.wall < 5
    ok = bench.run_measured(["true"], tmp_path, dict(os.environ), guard)
    assert ok.ok and ok.stopped == "" and ok.outcome() == "finished"


def test_report_says_a_stopped_hugo_did_not_finish(tmp_path):
    """The report is made from the JSON record: a Hugo run the guard stopped is named as such, without a ratio."""
    guard = bench.Guard(mem_limit_mb=150, min_available_mb=0)
    stopped = bench.run_measured([sys.executable, "-c", HOG, str(tmp_path / "pid")], tmp_path, dict(os.environ), guard)
    fine = bench.run_measured(["true"], tmp_path, dict(os.environ), guard)
    facts = {"documents": 10, "published": 9, "columns": 112, "profile": "realistic", "markdown_mb": 0.1}
    res = {"cold": fine, "noop": None, "edit_doc": None, "rename_col": None,
           "hugo": {"version": "v0.168.0", "cold": stopped}}
    data = json.loads(json.dumps(bench.result_json(10, facts, res, None, guard, bench.machine())))
    text = bench.report(data)
    assert "its cold build did not finish" in text
    assert f"Hugo cold build: {stopped.outcome()}." in text
    assert "| 冷构建 cold build, wall |" not in text  # no ratio against a build that did not finish


def test_kept_corpus_is_reused_restored_and_guarded(tmp_path, capsys):
    root = tmp_path / "corpus"
    facts, corpus = bench.prepare_corpus(root, 20, 7, "uniform", reuse=False)
    assert not corpus["reused"] and corpus["files"] > 20 and corpus["bytes"] > 0
    stamp = json.loads((root / bench.STAMP).read_text(encoding="utf-8"))
    assert stamp["complete"] and stamp["params"] == {"docs": 20, "seed": 7, "profile": "uniform",
                                                     "generator": bench.GENERATOR_VERSION}
    doc = root / facts["edit_doc"]
    original = doc.read_bytes()
    other = next(p for p in (root / "content" / "documents").rglob("*.md") if p != doc)
    mtime = other.stat().st_mtime_ns
    doc.write_text("edited by a run that was stopped", encoding="utf-8")

    facts2, corpus2 = bench.prepare_corpus(root, 20, 7, "uniform", reuse=True)
    assert corpus2["reused"] and facts2 == facts
    assert doc.read_bytes() == original  # restored from .bench-originals
    assert other.stat().st_mtime_ns == mtime  # not generated again

    with pytest.raises(SystemExit, match="not reusing it"):  # another N
        bench.prepare_corpus(root, 21, 7, "uniform", reuse=True)
    with pytest.raises(SystemExit, match="not reusing it"):  # another profile
        bench.prepare_corpus(root, 20, 7, "realistic", reuse=True)
    assert (root / bench.STAMP).is_file() and doc.read_bytes() == original  # refused: left as it was

    # a generation that did not finish is never reused
    (root / bench.STAMP).write_text(json.dumps({"params": stamp["params"], "complete": False}), encoding="utf-8")
    _, corpus3 = bench.prepare_corpus(root, 20, 7, "uniform", reuse=True)
    assert not corpus3["reused"] and json.loads((root / bench.STAMP).read_text(encoding="utf-8"))["complete"]

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not the bench's", encoding="utf-8")
    with pytest.raises(SystemExit, match="not generated by the bench"):
        bench.prepare_corpus(foreign, 20, 7, "uniform", reuse=False)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "not the bench's"


@pytest.mark.parametrize(("argv", "said"), [
    (["--show", "missing.json"], "cannot read the saved result"),
    (["--show", "broken.json"], "cannot read the saved result"),
    (["--generate-only"], "--generate-only needs --keep"),
    (["--steps", "cold,bogus"], "unknown step(s) bogus"),
])
def test_wrong_arguments_are_refused_with_a_message_not_a_traceback(tmp_path, monkeypatch, capsys, argv, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["bench.py", *argv])
    with pytest.raises(SystemExit) as stopped:
        bench.main()
    assert stopped.value.code == 2 and said in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]  # nothing generated


def test_linearity_says_why_the_policies_page_may_grow_until_it_is_paged():
    from gongkai.build.paging import ONE_PAGE_MAX

    def result(docs: int, page_kb: float) -> dict:
        return {"docs": docs, "gongkai": {"policies_page": page_kb * 1024, "doc_avg": 29 * 1024}}

    text = bench.linearity(result(2000, 181.5), result(1000, 88.8))
    row = next(line for line in text.splitlines() if line.startswith("| 政策文件页"))
    assert "| 181.5 KB | 88.8 KB | 2.04 |" in row and f"one page up to {ONE_PAGE_MAX} rows" in row
    doc_row = next(line for line in text.splitlines() if line.startswith("| 文件页平均"))
    assert doc_row.endswith("| 1.00 | — (should stay flat) |")


# 200 MB written once, then a forked copy that writes 100 MB of its own: the RSS sum says 500 MB, the machine
# holds 300 MB
SHARED = """
import os, time
block = b"x" * 200_000_000
if os.fork() == 0:
    own = b"y" * 100_000_000
    time.sleep(2)
    os._exit(0)
time.sleep(2.5)
os.wait()
"""


def test_guard_counts_forked_workers_shared_memory_once(tmp_path):
    """gongkai's document workers are forked: their RSS sum counts the pages they share in each. Over the limit by
    that sum, the guard asks their PSS and lets the build go on; over the limit by the PSS too, it stops it."""
    under = bench.run_measured([sys.executable, "-c", SHARED], tmp_path, dict(os.environ), bench.Guard(400, 0))
    assert under.ok and under.stopped == ""
    assert under.peak_tree_mb > 450  # the RSS sum: the shared 200 MB counted in both processes
    assert 280 < under.peak_pss_mb < 400  # asked, because the RSS sum was over 400 MB
    assert 280 < under.peak_mem_mb < 400 and under.peak_mb == under.peak_mem_mb  # the figure reported
    over = bench.run_measured([sys.executable, "-c", SHARED], tmp_path, dict(os.environ), bench.Guard(250, 0))
    assert not over.ok and "(PSS)" in over.stopped and "limit 250 MB" in over.stopped


def test_reported_peak_counts_shared_pages_once(tmp_path):
    """Far below the limit too, the peak the bench reports is the tree's PSS (the shared 200 MB once: ~300 MB), not
    the RSS sum (~500 MB), and the report and the progress line say which measure they give."""
    run = bench.run_measured([sys.executable, "-c", SHARED], tmp_path, dict(os.environ), bench.Guard(16384, 0))
    assert run.ok and run.peak_pss_mb == 0  # never over the limit: the guard had no reason to ask
    assert run.peak_tree_mb > 450 and 280 < run.peak_mem_mb < 400 and run.peak_mb == run.peak_mem_mb
    # a run saved before the PSS was measured reports its RSS sum, and says so
    old = bench.Run.from_json({k: v for k, v in run.as_json().items() if k != "peak_mem_mb"})
    assert old is not None and old.peak_mb == run.peak_tree_mb
    facts = {"documents": 10, "published": 9, "columns": 112, "profile": "realistic", "markdown_mb": 0.1}
    guard = bench.Guard(16384, 0)
    for r, measure in ((run, "process tree PSS"), (old, "process tree RSS sum")):
        res = {"cold": r, "noop": None, "edit_doc": None, "rename_col": None}
        text = bench.report(json.loads(json.dumps(bench.result_json(10, facts, res, None, guard, bench.machine()))))
        assert (f"| 峰值内存 peak memory ({measure}" in text and f"| {r.peak_mb:.0f} MB (RSS summed over the processes "
                f"{r.peak_tree_mb:.0f} MB, sampled every 50 ms; largest single process" in text)


# what `mkdocs build` prints with GONGKAI_TIMING=1 (gongkai/mkdocs/plugin.py), then a step that never ends
TIMED = """
import sys, time
for line in ("信息      -  gongkai load timing: documents 412.30 s; privacy 98.10 s; total 530.00 s (500.00 s CPU)",
             "警告      -  catalog/packages.yml:186: 警告: 字段「policies」：已失效",
             "信息      -  gongkai mkdocs timing: files 0.10 s; pages 12.00 s",
             "信息      -  gongkai timing: documents 1800.00 s (97034 rendered, 0 cached); search 240.00 s"):
    print(line, file=sys.stderr, flush=True)
if sys.argv[1] == "hang":
    time.sleep(60)
print("信息      -  gongkai output timing: manifest 60.00 s; switch 0.10 s", file=sys.stderr, flush=True)
"""


def test_every_plugin_timer_is_kept_also_of_a_stopped_build(tmp_path):
    """A 100,000-document build takes most of an hour: the record keeps every timer line of the plugin (the load's
    steps, MkDocs' pages, the output steps, the manifest), in order, and a build the guard stopped keeps those of
    the steps it finished, so the report says where the time went either way."""
    guard = bench.Guard(mem_limit_mb=1024, min_available_mb=0, time_limit_s=3)
    done = bench.run_measured([sys.executable, "-c", TIMED, "finish"], tmp_path, dict(os.environ), guard)
    assert done.ok and done.timers == [
        "gongkai load timing: documents 412.30 s; privacy 98.10 s; total 530.00 s (500.00 s CPU)",
        "gongkai mkdocs timing: files 0.10 s; pages 12.00 s",
        "gongkai timing: documents 1800.00 s (97034 rendered, 0 cached); search 240.00 s",
        "gongkai output timing: manifest 60.00 s; switch 0.10 s"]
    assert done.search_s == 240.0
    stopped = bench.run_measured([sys.executable, "-c", TIMED, "hang"], tmp_path, dict(os.environ), guard)
    assert not stopped.ok and stopped.stopped.startswith("stopped at the time limit")
    assert stopped.timers == done.timers[:3]  # what it printed before it was stopped
    facts = {"documents": 10, "published": 9, "columns": 112, "profile": "realistic", "markdown_mb": 0.1}
    res = {"cold": done, "noop": None, "edit_doc": stopped, "rename_col": None}
    data = json.loads(json.dumps(bench.result_json(10, facts, res, None, guard, bench.machine())))
    text = bench.report(data).split("plugin timings:\n", 1)[1]
    assert text.splitlines() == [f"- cold: {t}" for t in done.timers] + [f"- edit_doc: {t}" for t in done.timers[:3]]
    # a record saved before the bench kept every line: its one line of the output steps
    for key in ("cold", "edit_doc"):
        del data["gongkai"][key]["timers"]
    assert bench.report(data).split("plugin timings:\n", 1)[1].splitlines() == [
        f"- cold: {done.timing}", f"- edit_doc: {done.timing}"]


def test_after_measuring_the_edited_files_are_restored_and_built_once_more(tmp_path, monkeypatch):
    """The next build in a kept corpus is trusted to change nothing: a file holding the generated bytes is not
    written again (a new stat reads as an edit), and an edited one is put back and built once (not measured)."""
    root = tmp_path / "corpus"
    facts, _corpus = bench.prepare_corpus(root, 20, 7, "uniform", reuse=False)
    def run(ok: bool = True) -> bench.Run:
        return bench.Run(wall=1.0, peak_tree_mb=1.0, peak_proc_mb=1.0, ok=ok, stderr="")

    builds: list[Path] = []
    monkeypatch.setattr(bench, "build", lambda where, guard: builds.append(where) or run())
    monkeypatch.setattr(bench, "progress", lambda text: None)
    guard = bench.Guard(mem_limit_mb=1024, min_available_mb=0)
    ok = {"cold": run(), "edit": run()}
    stats = {rel: (root / rel).stat() for rel in bench.edited_files(facts)}

    assert bench.settle(root, facts, ok, guard) is None  # nothing edited: nothing written, nothing built
    assert builds == []
    assert {rel: (root / rel).stat() for rel in stats} == stats

    doc = root / facts["edit_doc"]
    original = doc.read_bytes()
    doc.write_bytes(original + "\n本文件第 1 次修改。\n".encode())
    failed = dict(ok, edit=run(ok=False))
    assert bench.settle(root, facts, failed, guard) is None  # a measured build failed: restored, not built
    assert doc.read_bytes() == original and builds == []

    doc.write_bytes(original + "\n本文件第 2 次修改。\n".encode())
    assert bench.settle(root, facts, ok, guard) is not None
    assert doc.read_bytes() == original and builds == [root]
    columns = root / "catalog" / "columns.yml"
    assert columns.stat() == stats["catalog/columns.yml"]  # the same bytes: left alone
