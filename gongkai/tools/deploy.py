"""`gongkai publish`: put a built site on the web server's folder so that visitors never see a mix.

The target is a path on this machine: a folder of the web server itself, or a mounted share (NFS, or SMB
served by a Linux/Samba host). No SSH or rsync: the build machines we target have no rsync, a mounted path
needs no credentials in gongkai, and only a path lets this same code read every uploaded file back and check it
against the manifest. (An SSH target can be mounted with sshfs.)

Layout, beside TARGET (the folder the web server serves):

    TARGET                         symbolic link -> TARGET.versions/<version>/site
    TARGET.versions/<version>/site           one published site, never changed after it was verified
    TARGET.versions/<version>/manifest.json  its output manifest (gongkai/build/manifest.py)
    TARGET.versions/<version>.partial/       an upload in progress (removed by the next publish)
    TARGET.versions/publish-log.jsonl        发布记录: one JSON line per publication or rollback
    TARGET.versions/withdrawn.json           where withdrawn (撤回) documents were: checked in every version
    TARGET.versions/.lock                    one publish at a time

A version is `NNNN-YYYYMMDDTHHMMSS` (a sequence number, then the local time). Publishing uploads into a new
version folder (files unchanged since the live version are hard links to it), reads every file back and compares
its SHA-256 with the manifest, and only then switches TARGET with one rename of a new symbolic link over the old
one: a request resolves TARGET either before or after, so it gets a whole file of the old or of the new site.
The previous versions are kept (`keep`) for `rollback`, which verifies the version again before switching back.

Withdrawn documents (issue 21): a site that still carries one (its address holding more than the
「该信息已撤回」 notice, or one of its attachments) is refused. The switch to a site without it is the same one
rename; right after it, every older version that still carries one is deleted, so no copy stays on the server
and --rollback cannot bring it back (rollback refuses such a version too, from TARGET.versions/withdrawn.json,
which each publication writes from the repository's withdrawal record).

For other tools (withdrawal, issue 21): `publish(...)` and `rollback(...)` return a `Report`; `versions(target)`
lists what is there; `read_log(target)` the publication record. Nothing here prints: messages go through `say`.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import getpass
import json
import os
import re
import secrets
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.build import manifest as mf
from gongkai.build.outputcheck import WithdrawnPaths, leftovers
from gongkai.fsutil import exchange, remove_path

LOG_NAME = "publish-log.jsonl"
WITHDRAWN_NAME = "withdrawn.json"
VERSION_RE = re.compile(r"^(\d{4,})-(\d{8}T\d{6})$")
PARTIAL = ".partial"
DEFAULT_KEEP = 5


class DeployError(Exception):
    """Publishing stopped; the message is in Chinese and says what to do. The live site is unchanged."""


@dataclass
class Version:
    name: str
    seq: int
    path: Path  # TARGET.versions/<name>

    @property
    def site(self) -> Path:
        return self.path / "site"

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"


@dataclass
class Report:
    """What a publication or rollback did, for the command to print and for tests."""

    action: str  # "publish" or "rollback"
    target: Path
    version: str
    previous: str | None
    changes: mf.Changes
    files: int
    bytes: int
    linked: int = 0  # files shared with the previous version (hard links)
    removed_versions: list[str] = field(default_factory=list)
    withdrawn_versions: list[str] = field(default_factory=list)  # older versions deleted: they held withdrawn documents
    log_entry: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, mf.Reason] = field(default_factory=dict)  # why each changed file is (or was) there


def versions_dir(target: Path) -> Path:
    return target.with_name(target.name + ".versions")


def versions(target: Path) -> list[Version]:
    """Complete published versions beside target, oldest first."""
    folder = versions_dir(target)
    out = []
    if folder.is_dir():
        for entry in os.scandir(folder):
            m = VERSION_RE.match(entry.name)
            if m and entry.is_dir(follow_symlinks=False):
                out.append(Version(entry.name, int(m.group(1)), Path(entry.path)))
    return sorted(out, key=lambda v: v.seq)


def live_version(target: Path) -> Version | None:
    """The version TARGET points to (None: TARGET is missing, or a folder gongkai did not publish)."""
    if not target.is_symlink():
        return None
    dest = Path(os.readlink(target))
    if dest.name != "site" or dest.parent.parent.name != versions_dir(target).name:
        return None
    name = dest.parent.name
    return next((v for v in versions(target) if v.name == name), None)


def read_log(target: Path) -> list[dict[str, Any]]:
    path = versions_dir(target) / LOG_NAME
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


# --- publishing -------------------------------------------------------------------------------------------


def publish(site_dir: Path, manifest_path: Path, target: Path, *, keep: int = DEFAULT_KEEP, reviewer: str = "",
            note: str = "", say: Callable[[str], None] = lambda _m: None,
            withdrawn: WithdrawnPaths | None = None, removed: dict[str, str] | None = None) -> Report:
    """Upload site_dir as a new version beside target, verify it, switch target to it, keep `keep` versions.

    withdrawn: where the repository's withdrawn documents were (build/outputcheck.withdrawn_paths); a site that
    still carries one is refused, and older versions that carry one are deleted after the switch. None: the
    record kept beside target by the last publication.

    removed: every address the repository records as removed (withdrawn, or its file deleted) -> why, naming the
    file (build/withdrawn.removed_addresses). A site whose manifest puts anything there but the notice or the
    redirect is refused (a site/ built before the file was deleted or withdrawn), every such address named.

    Refuses (DeployError) when site_dir does not match its manifest, when target's folder is missing or cannot
    hold symbolic links, or when an uploaded file does not match; in every such case the live site is unchanged
    and the partial upload is removed. (Run `gongkai check` first: the command does.)
    """
    target = _absolute(target)
    if keep < 1:
        raise DeployError("--keep 至少为 1（保留正在使用的版本）")
    man = mf.load(manifest_path)
    _refuse_preview(site_dir, man)
    problems = mf.check_tree(man, site_dir)
    if problems:
        raise DeployError(f"{site_dir} 与输出清单 {manifest_path.name} 不一致，拒绝发布（请重新运行 gongkai build）：\n  "
                          + "\n  ".join(problems))
    removed = removed or {}
    if withdrawn is not None:
        carried = leftovers(site_dir, withdrawn)
        if carried:
            # each page named with its file and record line; the attachments' paths say enough
            named = "".join(f"\n  {href}：{removed[href]}" for href in carried[:10] if href in removed)
            raise DeployError(f"{site_dir} 中仍有已撤回文件的内容（{'、'.join(carried[:10])}），拒绝发布。"
                              + (f"{named}\n" if named else "") + "请运行 gongkai build 重新生成后再发布")
    _refuse_pages_at_removed(man, site_dir, removed)
    folder = versions_dir(target)
    _check_target(target)
    folder.mkdir(exist_ok=True)
    with _TargetLock(folder, say):
        if withdrawn is None:
            withdrawn = _withdrawn(target)
        else:
            _save_withdrawn(target, withdrawn)  # before the switch: a later rollback checks against it
        for stale in folder.iterdir():
            if stale.name.endswith(PARTIAL) or stale.name.startswith(f".{target.name}.link-"):
                remove_path(stale)
        live = live_version(target)
        unmanaged = target.exists() and live is None  # a folder copied by hand, or by another tool
        if target.is_symlink() and live is None:
            raise DeployError(f"{target} 是一个符号链接，但没有指向 {folder.name}/ 中的版本，gongkai 不会改动它。"
                              "请确认目标路径；若要由 gongkai 管理，请先删除这个链接")
        seq = _next_seq(target)
        prior: Version | None = None
        if unmanaged:
            if not target.is_dir():
                raise DeployError(f"{target} 已存在且不是文件夹，拒绝覆盖")
            prior_name = _version_name(seq)
            prior = Version(prior_name, seq, folder / prior_name)
            seq += 1
        name = _version_name(seq)
        partial = folder / (name + PARTIAL)
        linked = 0
        try:
            linked = _upload(man, site_dir, partial / "site", live)
            (partial / "manifest.json").write_bytes(man.to_bytes())
            problems = mf.check_tree(man, partial / "site")
            if problems:
                raise DeployError(f"上传到 {partial} 的文件与清单不符，已停止，网站仍是原来的版本：\n  " + "\n  ".join(problems))
            os.rename(partial, folder / name)
        except OSError as exc:
            remove_path(partial)
            raise DeployError(f"上传到 {partial} 失败：{exc}。网站仍是原来的版本") from None
        except BaseException:
            remove_path(partial)
            raise
        new = Version(name, seq, folder / name)
        old_manifest = _manifest_of(live) if live is not None else None
        if prior is not None:
            old_manifest = _switch_from_folder(target, new, prior)
        else:
            _switch(target, new)
        report = Report("publish", target, name, live.name if live else (prior.name if prior else None),
                        mf.diff(old_manifest, man), len(man.entries), man.total_bytes, linked)
        report.reasons = _reasons(old_manifest, man, report.changes)
        report.withdrawn_versions = _drop_withdrawn(target, withdrawn, new)
        report.log_entry = _log(target, report, man, reviewer, note)
        report.removed_versions = _prune(target, keep)
    return report


def _refuse_pages_at_removed(man: mf.Manifest, site_dir: Path, removed: dict[str, str]) -> None:
    """DeployError naming every address recorded as removed where the site has a page other than the notice."""
    from gongkai.build.withdrawn import NOTICE_KINDS

    by_path = man.by_path()
    bad = [(href, why, by_path[href].reason) for href, why in sorted(removed.items())
           if href in by_path and by_path[href].reason.kind not in NOTICE_KINDS]
    if not bad:
        return
    lines = [f"{href}：{why}，要发布的网站在这个地址上却是{mf.KINDS.get(r.kind, r.kind)}"
             f"（{r.source or r.ref}）" for href, why, r in bad]
    raise DeployError(f"{site_dir} 在已记录为撤回或移除的地址上有页面，拒绝发布（网站仍是原来的版本）：\n  " + "\n  ".join(lines) +
                      f"\n{site_dir} 是在撤回或删除文件之前生成的。请运行 gongkai build 重新生成后再发布")


def refuse_preview(site_dir: Path, manifest_path: Path) -> None:
    """DeployError when the site is a preview of a 栏目调整方案 (`gongkai preview`; its manifest says so). A missing
    or unreadable manifest is left to `publish`, which refuses it with its own message."""
    try:
        man = mf.load(manifest_path)
    except mf.ManifestError:
        return
    _refuse_preview(site_dir, man)


def _refuse_preview(site_dir: Path, man: mf.Manifest) -> None:
    preview = man.meta.get("preview")
    if preview:
        old = preview.get("old", "") if isinstance(preview, dict) else ""
        raise DeployError(f"{site_dir} 是栏目调整方案的预览（对比 {old} 生成，每页标有“预览：栏目调整方案（未发布）”），"
                          "不能发布。方案批准后，请合并调整、运行 gongkai lock，再用 gongkai build 生成正式网站后发布")


def rollback(target: Path, to: str | None = None, *, reviewer: str = "", note: str = "",
             say: Callable[[str], None] = lambda _m: None) -> Report:
    """Switch target back to the version before the live one (or to `to`), after verifying it byte for byte."""
    target = _absolute(target)
    folder = versions_dir(target)
    if not folder.is_dir():
        raise DeployError(f"{target} 没有由 gongkai publish 发布的版本（找不到 {folder}），无法回退")
    with _TargetLock(folder, say):
        live = live_version(target)
        all_versions = versions(target)
        if to is not None:
            chosen = next((v for v in all_versions if v.name == to), None)
            if chosen is None:
                raise DeployError(f"没有版本「{to}」。可用的版本：{'、'.join(v.name for v in all_versions) or '无'}")
        else:
            older = [v for v in all_versions if live is None or v.seq < live.seq]
            if not older:
                raise DeployError("没有可回退的上一个版本" + (f"（当前版本 {live.name} 是保留的最早版本）" if live else ""))
            chosen = older[-1]
        if live is not None and chosen.name == live.name:
            raise DeployError(f"版本 {chosen.name} 已经是当前版本")
        carried = leftovers(chosen.site, _withdrawn(target))
        if carried:
            raise DeployError(f"版本 {chosen.name} 含有已撤回文件的内容（{'、'.join(carried[:10])}），不能回退到这个版本")
        man = _manifest_of(chosen)
        if man is None:
            raise DeployError(f"版本 {chosen.name} 缺少 manifest.json，无法核对，拒绝回退")
        problems = mf.check_tree(man, chosen.site)
        if problems:
            raise DeployError(f"版本 {chosen.name} 的文件与其清单不符（被改动过？），拒绝回退：\n  " + "\n  ".join(problems))
        if target.exists() and live is None:
            raise DeployError(f"{target} 不是 gongkai publish 管理的链接，拒绝改动")
        _switch(target, chosen)
        old_manifest = _manifest_of(live) if live is not None else None
        report = Report("rollback", target, chosen.name, live.name if live else None, mf.diff(old_manifest, man),
                        len(man.entries), man.total_bytes)
        report.reasons = _reasons(old_manifest, man, report.changes)
        report.log_entry = _log(target, report, man, reviewer, note)
    return report


# --- the steps ---------------------------------------------------------------------------------------------


def _absolute(target: Path) -> Path:
    """target as an absolute path whose last part is not resolved (it is the link we replace)."""
    target = Path(os.path.abspath(target))
    if target.name in ("", ".", ".."):
        raise DeployError(f"目标「{target}」应是网站服务器上的一个文件夹路径，例如 /srv/www/zfxxgk")
    return target


def _check_target(target: Path) -> None:
    """The target's folder exists and can hold symbolic links (checked before anything is uploaded)."""
    parent = target.parent
    if not parent.is_dir():
        raise DeployError(f"目标所在的文件夹 {parent} 不存在（网络共享未挂载？）")
    probe = parent / f".{target.name}.link-probe-{secrets.token_hex(4)}"
    try:
        os.symlink("probe", probe)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            raise DeployError(f"{parent} 所在的文件系统不支持符号链接，无法原子切换（{exc.strerror}）。"
                              "请发布到网站服务器本机的文件夹，或由 Linux/Samba 提供的共享（见 README「发布到网站服务器」）") from None
        raise DeployError(f"无法在 {parent} 中写入：{exc.strerror}") from None
    os.unlink(probe)


def _next_seq(target: Path) -> int:
    seqs = [v.seq for v in versions(target)]
    for entry in read_log(target):
        m = VERSION_RE.match(str(entry.get("version", "")))
        if m:
            seqs.append(int(m.group(1)))
    return max(seqs, default=0) + 1


def _version_name(seq: int) -> str:
    return f"{seq:04d}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}"


def _manifest_of(version: Version | None) -> mf.Manifest | None:
    if version is None or not version.manifest_path.is_file():
        return None
    try:
        return mf.load(version.manifest_path)
    except mf.ManifestError:
        return None


def _upload(man: mf.Manifest, site_dir: Path, dest: Path, live: Version | None) -> int:
    """Copy every file of the manifest into dest; a file the live version has with the same hash is hard-linked
    from it (a version folder is never changed, and every file is verified after the upload anyway)."""
    live_entries = {}
    live_man = _manifest_of(live)
    if live is not None and live_man is not None:
        live_entries = live_man.by_path()
    linked = 0
    made: set[str] = set()
    for entry in man.entries:
        out = dest / entry.path
        parent = os.path.dirname(out)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        same = live_entries.get(entry.path)
        if same is not None and same.sha256 == entry.sha256 and same.size == entry.size and live is not None:
            try:
                os.link(live.site / entry.path, out)
                linked += 1
                continue
            except OSError:
                pass
        shutil.copyfile(site_dir / entry.path, out)
    return linked


def _switch(target: Path, version: Version) -> None:
    """Point target at version in one step: a new symbolic link renamed over the old one."""
    link = target.with_name(f".{target.name}.link-{secrets.token_hex(4)}")
    os.symlink(os.path.relpath(version.site, target.parent), link)
    try:
        os.replace(link, target)
    except BaseException:
        os.unlink(link)
        raise


def _switch_from_folder(target: Path, new: Version, prior: Version) -> mf.Manifest:
    """The first publication over a folder copied by hand: exchange it with the link in one step, then keep it
    as version `prior` (with a manifest of what it held) so that --rollback can bring it back."""
    link = target.with_name(f".{target.name}.link-{secrets.token_hex(4)}")
    os.symlink(os.path.relpath(new.site, target.parent), link)
    if not exchange(link, target):
        os.unlink(link)
        raise DeployError(f"{target} 是一个普通文件夹（此前手工复制的网站），而这个文件系统不支持原子交换。"
                          f"新版本已上传到 {new.path}。请在访问量低时把 {target.name} 改名（如 {target.name}.old），"
                          "再运行一次 gongkai publish")
    # `link` now holds the old folder
    prior.path.mkdir()
    os.rename(link, prior.site)
    entries = []
    for rel, full, _st in mf.walk(prior.site):
        size, digest = mf.hash_file(full) if os.path.isfile(full) and not os.path.islink(full) else (0, "")
        entries.append(mf.Entry(rel, size, digest, mf.Reason("unknown", "gongkai 发布前的网站")))
    old = mf.Manifest(sorted(entries, key=lambda e: e.path), {"note": "gongkai publish 接管前目标文件夹中的网站"})
    prior.manifest_path.write_bytes(old.to_bytes())
    return old


def _reasons(old: mf.Manifest | None, new: mf.Manifest, changes: mf.Changes) -> dict[str, mf.Reason]:
    before = old.by_path() if old is not None else {}
    after = new.by_path()
    out = {p: after[p].reason for p in changes.added + changes.changed}
    out.update({p: before[p].reason for p in changes.removed})
    return out


def _withdrawn(target: Path) -> WithdrawnPaths:
    """The withdrawal paths the last publication kept beside target."""
    try:
        return WithdrawnPaths.from_json(json.loads((versions_dir(target) / WITHDRAWN_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return WithdrawnPaths()


def _save_withdrawn(target: Path, withdrawn: WithdrawnPaths) -> None:
    path = versions_dir(target) / WITHDRAWN_NAME
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(withdrawn.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _drop_withdrawn(target: Path, withdrawn: WithdrawnPaths, live: Version) -> list[str]:
    """Delete every version but the live one that still carries a withdrawn document (no copy stays)."""
    if not withdrawn.pages and not withdrawn.files:
        return []
    dropped = []
    for v in versions(target):
        if v.name != live.name and leftovers(v.site, withdrawn):
            remove_path(v.path)
            dropped.append(v.name)
    return dropped


def _prune(target: Path, keep: int) -> list[str]:
    """Delete versions beyond the newest `keep`; never the live one."""
    live = live_version(target)
    all_versions = versions(target)
    kept = {v.name for v in all_versions[-keep:]} | ({live.name} if live else set())
    removed = []
    for v in all_versions:
        if v.name not in kept:
            shutil.rmtree(v.path, ignore_errors=True)
            removed.append(v.name)
    return removed


def _log(target: Path, report: Report, man: mf.Manifest, reviewer: str, note: str) -> dict[str, Any]:
    """Append one line to the publication record (发布记录): who, when, what, from which commit."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    recorded = man.meta.get("source")
    source: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
    entry = {
        "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "action": report.action,
        "version": report.version,
        "previous": report.previous,
        "user": user,
        "host": socket.gethostname(),
        "reviewer": reviewer,
        "note": note,
        "commit": source.get("commit"),
        "uncommitted_changes": source.get("uncommitted"),
        "build_date": man.meta.get("build_date"),
        "files": report.files,
        "bytes": report.bytes,
        "added": len(report.changes.added),
        "changed": len(report.changes.changed),
        "removed": len(report.changes.removed),
        "withdrawn_versions_removed": report.withdrawn_versions,
    }
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    fd = os.open(versions_dir(target) / LOG_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return entry


class _TargetLock:
    """One publish or rollback at a time per target (flock on TARGET.versions/.lock); waits with a message."""

    def __init__(self, folder: Path, say: Callable[[str], None]):
        self.path = folder / ".lock"
        self.say = say
        self.fd: int | None = None

    def __enter__(self) -> _TargetLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.say("另一个发布正在进行……等待它结束。")
            fcntl.flock(fd, fcntl.LOCK_EX)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
