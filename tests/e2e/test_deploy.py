"""`gongkai publish TARGET`: the built site goes to the web server's folder as a new, verified version and is switched
in one step; a reader during the switch never sees a missing or a mixed file; --rollback restores byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import BUILD_DATE, copy_example, run_build, run_cli, tree_digest
from gongkai.tools import deploy

DOC = "content/documents/2024/szmz-2024-3.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    root = copy_example(tmp_path_factory.mktemp("deploy") / "site-root")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root, tree_digest(root / "site")


def _copy(built, dest: Path) -> Path:
    root, _site = built
    shutil.copytree(root, dest, symlinks=True)
    return dest


class Reader(threading.Thread):
    """Reads every file of the site through TARGET, over and over, as a web server would for its visitors.

    A file must always be there (it is in both versions) and hold the bytes of the old or of the new version; once
    one file shows the new version, every later read of any file must too (the switch is one step, not a copy)."""

    def __init__(self, target: Path, old: dict[str, bytes], new: dict[str, bytes]):
        super().__init__(daemon=True)
        self.target, self.old, self.new = target, old, new
        self.paths = sorted(set(old) & set(new))
        self.differ = {p for p in self.paths if old[p] != new[p]}
        self.stop = threading.Event()
        self.reads = self.passes = 0
        self.seen = {"old": 0, "new": 0}
        self.errors: list[str] = []

    def run(self) -> None:
        switched = False
        while not self.stop.is_set() and len(self.errors) < 10:
            for p in self.paths:
                try:
                    data = (self.target / p).read_bytes()
                except OSError as exc:
                    self.errors.append(f"{p}: {exc}")
                    continue
                self.reads += 1
                if data not in (self.old[p], self.new[p]):
                    self.errors.append(f"{p}: neither the old nor the new file")
                elif p in self.differ:
                    version = "new" if data == self.new[p] else "old"
                    self.seen[version] += 1
                    if version == "old" and switched:
                        self.errors.append(f"{p}: the old version after the new one was served")
                    switched = switched or version == "new"
            self.passes += 1


def test_publish_rebuild_publish_and_roll_back(built, tmp_path):
    root = _copy(built, tmp_path / "site-root")
    first = tree_digest(root / "site")
    www = tmp_path / "www"
    www.mkdir()
    target = www / "zfxxgk"

    r = run_cli(root, "publish", str(target), "--reviewer", "张三", "--note", "首次发布")
    assert r.returncode == 0, r.stderr
    assert target.is_symlink() and tree_digest(target) == first
    assert f"新增 {len(first)} 个文件，修改 0 个，删除 0 个" in r.stdout
    assert "（首次发布）" in r.stdout and "已核对" in r.stdout

    # one document changed, built again
    doc = root / DOC
    doc.write_text(doc.read_text(encoding="utf-8") + "\n补充说明：本通知自发布之日起执行。\n", encoding="utf-8")
    assert run_build(root).returncode == 0
    second = tree_digest(root / "site")
    assert "documents/szmz-2024-3.html" in {p for p in second if second[p] != first.get(p)}

    reader = Reader(target, first, second)
    reader.start()
    while reader.passes < 2:  # the reader is going before the upload starts
        time.sleep(0.01)
    r = run_cli(root, "publish", str(target))
    after = reader.passes
    while reader.passes < after + 2:
        time.sleep(0.01)
    reader.stop.set()
    reader.join(timeout=60)
    assert r.returncode == 0, r.stderr
    assert reader.errors == []
    assert reader.seen["old"] > 0 and reader.seen["new"] > 0, reader.seen  # it read across the switch
    assert tree_digest(target) == second
    assert "修改 documents/szmz-2024-3.html（文件页 szmz-2024-3）" in r.stdout
    assert "新增 0 个文件" in r.stdout and "删除 0 个" in r.stdout
    changed = sorted(p for p in second if second[p] != first[p])
    assert f"修改 {len(changed)} 个" in r.stdout
    assert f"其中 {len(second) - len(changed)} 个未变的文件与上一版本共用" in r.stdout

    r = run_cli(root, "publish", str(target), "--rollback")
    assert r.returncode == 0, r.stderr
    assert tree_digest(target) == first  # byte for byte
    assert "已回退到版本 0001-" in r.stdout

    log = [json.loads(line) for line in (www / "zfxxgk.versions" / "publish-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["action"] for e in log] == ["publish", "publish", "rollback"]
    assert log[0]["reviewer"] == "张三" and log[0]["note"] == "首次发布" and log[0]["user"]
    assert log[1]["previous"] == log[0]["version"] and log[2]["version"] == log[0]["version"]
    assert log[1]["changed"] == len(changed) and log[0]["added"] == len(first)
    assert all(e["build_date"] == BUILD_DATE and "commit" in e and e["time"] for e in log)
    listing = run_cli(root, "publish", str(target), "--list")
    assert "← 当前" in listing.stdout and "回退" in listing.stdout and "审核人 张三" in listing.stdout
    # nothing else beside the target
    assert sorted(p.name for p in www.iterdir()) == ["zfxxgk", "zfxxgk.versions"]


def test_publish_refuses_a_site_that_fails_check(built, tmp_path):
    root = _copy(built, tmp_path / "site-root")
    target = tmp_path / "www" / "zfxxgk"
    target.parent.mkdir()
    columns = root / "catalog" / "columns.yml"
    columns.write_text(columns.read_text(encoding="utf-8").replace("kind: policies", "kind: polices", 1), encoding="utf-8")
    r = run_cli(root, "publish", str(target))
    assert r.returncode == 1
    assert "错误" in r.stderr and "拒绝发布" in r.stderr and "Traceback" not in r.stderr
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("damage", ["changed", "added", "removed", "no manifest"])
def test_publish_refuses_a_site_that_does_not_match_its_manifest(built, tmp_path, damage):
    root = _copy(built, tmp_path / "site-root")
    target = tmp_path / "www" / "zfxxgk"
    target.parent.mkdir()
    if damage == "changed":
        (root / "site" / "index.html").write_text("defaced", encoding="utf-8")
    elif damage == "added":
        (root / "site" / "files" / "neibu.txt").write_text("内部草稿", encoding="utf-8")
    elif damage == "removed":
        (root / "site" / "404.html").unlink()
    else:
        (root / "site.manifest.json").unlink()
    r = run_cli(root, "publish", str(target))
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr
    expected = "找不到输出清单" if damage == "no manifest" else "与输出清单 site.manifest.json 不一致，拒绝发布"
    assert expected in r.stderr, r.stderr
    assert not target.exists() and not [p for p in target.parent.iterdir() if p.name != "zfxxgk.versions"]


def test_an_upload_that_does_not_match_is_not_switched_to(built, tmp_path, monkeypatch):
    root, site = built
    target = tmp_path / "zfxxgk"
    deploy.publish(root / "site", root / "site.manifest.json", target)
    live = os.readlink(target)
    real_copy = shutil.copyfile

    def bad_copy(src, dst, *a, **k):  # a share that garbles a file on the way
        real_copy(src, dst, *a, **k)
        if str(dst).endswith("index.html"):
            with open(dst, "ab") as fh:
                fh.write(b"\0")

    # every file must be copied, not linked from the live version, for the damage to reach the check
    monkeypatch.setattr(deploy.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError("no links")))
    monkeypatch.setattr(deploy.shutil, "copyfile", bad_copy)
    with pytest.raises(deploy.DeployError, match="与清单不符"):
        deploy.publish(root / "site", root / "site.manifest.json", target)
    assert os.readlink(target) == live and tree_digest(target) == site
    assert [v.name for v in deploy.versions(target)] == [Path(live).parent.name]
    assert [p.name for p in deploy.versions_dir(target).iterdir() if p.name.endswith(".partial")] == []


def test_keep_the_newest_versions_and_roll_back_step_by_step(built, tmp_path):
    root, site = built
    target = tmp_path / "zfxxgk"
    names = [deploy.publish(root / "site", root / "site.manifest.json", target, keep=2).version for _ in range(3)]
    assert [v.name for v in deploy.versions(target)] == names[1:]
    assert deploy.live_version(target).name == names[2]
    report = deploy.rollback(target)
    assert report.version == names[1] and report.changes.empty
    with pytest.raises(deploy.DeployError, match="没有可回退的上一个版本"):
        deploy.rollback(target)
    # a version changed after it was published is not switched to
    (deploy.versions(target)[1].site / "index.html").write_text("tampered", encoding="utf-8")
    with pytest.raises(deploy.DeployError, match="被改动过"):
        deploy.rollback(target, names[2])
    assert deploy.live_version(target).name == names[1]


def test_the_first_publication_over_a_folder_copied_by_hand(built, tmp_path):
    root, site = built
    target = tmp_path / "zfxxgk"
    (target / "old").mkdir(parents=True)
    (target / "index.html").write_text("手工复制的旧网站", encoding="utf-8")
    (target / "old" / "a.txt").write_text("a", encoding="utf-8")
    hand = tree_digest(target)
    report = deploy.publish(root / "site", root / "site.manifest.json", target)
    assert target.is_symlink() and tree_digest(target) == site
    assert report.previous is not None and set(report.changes.removed) == {"old/a.txt"}
    deploy.rollback(target)
    assert tree_digest(target) == hand


def test_publish_waits_for_a_build_of_the_same_site(built, tmp_path):
    """No build may replace site/ while it is being copied: publish takes the build lock."""
    from gongkai.build.lock import BuildLock

    root = _copy(built, tmp_path / "site-root")
    lock = BuildLock(root / ".cache" / "gongkai")
    lock.acquire()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE)
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "publish", str(tmp_path / "zfxxgk")], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
        assert not (tmp_path / "zfxxgk").exists()
    finally:
        lock.release()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "另一个生成正在进行" in err
    assert (tmp_path / "zfxxgk").is_symlink()


def test_rollback_and_list_run_on_the_server_without_a_site_folder(built, tmp_path):
    root, _site = built
    target = tmp_path / "www" / "zfxxgk"
    target.parent.mkdir()
    first = deploy.publish(root / "site", root / "site.manifest.json", target).version
    deploy.publish(root / "site", root / "site.manifest.json", target)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gongkai.cli", "publish", str(target), *args], cwd=target.parent,
                              capture_output=True, text=True, timeout=300)

    r = cli("--rollback", "--reviewer", "李四")
    assert r.returncode == 0, r.stderr
    assert f"已回退到版本 {first}" in r.stdout
    r = cli("--list")
    assert r.returncode == 0 and f"{first}  ← 当前" in r.stdout and "审核人 李四" in r.stdout
    r = cli()  # publishing does need the site
    assert r.returncode == 2 and "没有找到站点" in r.stderr
