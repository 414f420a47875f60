"""Readers and writers together: copy-on-write versions of the knowledge base, published atomically.

DuckDB lets one process open a file read-write or several read-only, never both. So no command
ever opens the live file (`data/xdd.duckdb`) read-write: a writer (`xdd load`, `xdd index`,
`xdd demo`)

1. takes the writer lock (`xdd.duckdb.lock`, fcntl.flock; a second writer waits up to
   XDD_WRITE_WAIT seconds, 600 by default, then fails in one line);
2. removes what a killed writer left (`xdd.duckdb.next`, its WAL, unpublished index versions);
3. makes `xdd.duckdb.next` a copy of the live file and writes there: batches, derived tables,
   checkpoint. The copy is cheap when the previous live file is still there as the spare
   (`xdd.duckdb.spare`, kept by the last publish) and no reader holds it: the spare becomes
   `.next` and only the blocks that differ from the live file are copied into it (`sync_blocks`:
   a 1% load into a million-article base changes about one block in ten); otherwise the whole
   file is copied (os.copy_file_range: a reflink where the file system has them);
4. when the search index must change, makes a new index version `xdd.index.vN` (a copy of the
   current one whose immutable segment files are hard links; or empty for a rebuild), brings it
   in step and records its name in the new database (table `xdd_version`);
5. publishes: `xdd.index` (a symlink) is pointed at `xdd.index.vN` (os.replace of a temporary
   symlink), the live file is hard-linked as the new spare, then os.replace(`xdd.duckdb.next`,
   `xdd.duckdb`); then removes the index versions older than the one it replaced.

Readers open the live file read-only as before (pipelines.db.connect) and never wait: one that
opened the previous file keeps reading it (its inode lives while it is open), one that opens
after the rename reads the new one. A database names the index version built with it, and a
search opens that version (index_dir), so a reader never pairs a database with another index;
the version before the current one is kept, so a reader that opened the previous database still
finds its index. A reader that finds its index gone or stale (it held a database two versions
old, or the base comes from before versions) tries once more with a fresh connection
(`reading`), then says in one line to run `xdd index`.

The spare is never written while a reader has it open: DuckDB holds a shared fcntl lock on a
file it reads, and the writer takes the file only with an exclusive one (`_take_spare`), kept
until the new version is published; a spare in use is left to its readers (unlinked: it lives
until they close it) and the writer copies the whole file. The spare costs disk: one more file
the size of the database (XDD_KEEP_SPARE=0 keeps none, and every load copies the whole file).

A writer killed at any moment leaves the live database and its index as they were: only
`.next` files and an unpublished index version, which the next writer removes.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import duckdb

from pipelines.errors import DatabaseError

T = TypeVar("T")

WRITE_WAIT = 600.0            # seconds a writer waits for another one (XDD_WRITE_WAIT)
KEEP_SPARE = True             # keep the replaced live file for the next load's copy (XDD_KEEP_SPARE)
VERSION_TABLE = "xdd_version"
_VERSION = re.compile(r"\.v(\d+)$")
_SEGMENT = re.compile(r"^[0-9a-f]{32}\.")     # tantivy's segment files: written once, never changed


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def next_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".next")


def spare_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".spare")


def keep_spare() -> bool:
    return os.environ.get("XDD_KEEP_SPARE", "1" if KEEP_SPARE else "0").strip().lower() not in ("0", "false", "no", "")


def wal_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".wal")


def link_path(db_path: Path) -> Path:
    """`xdd.index` for `xdd.duckdb`: a symlink to the current version (a folder before versions)."""
    return Path(db_path).with_suffix(".index")


def version_dir(db_path: Path, n: int) -> Path:
    link = link_path(db_path)
    return link.with_name(f"{link.name}.v{n}")


def _number(path: Path | str | None) -> int | None:
    m = _VERSION.search(str(path)) if path else None
    return int(m.group(1)) if m else None


# ------------------------------------------------------------------ the writer lock
@contextmanager
def writer_lock(db_path: Path, wait: float | None = None) -> Iterator[None]:
    """One writer at a time per database: an exclusive flock on `<db>.lock` (released by the
    kernel when the process ends, however it ends). Waits up to `wait` seconds."""
    if wait is None:
        wait = float(os.environ.get("XDD_WRITE_WAIT", WRITE_WAIT))
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise DatabaseError(f"another load is writing {db_path} (pid {holder}): waited {wait:g} s, "
                                        f"try again when it ends (XDD_WRITE_WAIT sets the wait)") from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ copying
def copy_file(src: Path, dst: Path) -> int:
    """Copy a file with os.copy_file_range (in the kernel; a reflink on btrfs/XFS), falling back
    to shutil.copyfile. Returns the bytes copied."""
    size = os.path.getsize(src)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        done = 0
        try:
            while done < size:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), size - done)
                if n == 0:
                    break
                done += n
        except OSError:
            done = -1
    if done != size:
        shutil.copyfile(src, dst)
    return size


def _copy_range(fin: int, fout: int, offset: int, n: int) -> int:
    done = 0
    while done < n:
        k = os.copy_file_range(fin, fout, n - done, offset + done, offset + done)
        if k == 0:
            break
        done += k
    return done


# DuckDB's file: 3 headers of 4 KiB (the main one, "DUCK" at byte 8; two database headers,
# each: checksum, iteration, meta block, free list, block count, block size, ...), then blocks
# of `block size` bytes, each starting with the 8-byte checksum of the rest of the block.
HEADER_BYTES = 3 * 4096
_BLOCK_SIZE_AT = (4096 + 40, 8192 + 40)


def block_size(path: Path) -> int | None:
    """The block size of a DuckDB file (both database headers agree), or None if not one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError:
        return None
    if len(head) < HEADER_BYTES or head[8:12] != b"DUCK":
        return None
    sizes = {int.from_bytes(head[i:i + 8], "little") for i in _BLOCK_SIZE_AT}
    size = sizes.pop() if len(sizes) == 1 else 0
    return size if size >= 4096 and size % 4096 == 0 else None


def sync_blocks(src: Path, dst: Path) -> int | None:
    """Make `dst`, an earlier version of the DuckDB file `src`, equal to it byte for byte by
    copying the headers and the blocks whose checksums differ (a block's first 8 bytes are the
    checksum of the rest: equal checksums, equal blocks). Returns the bytes copied, or None
    (nothing written) when the two are not DuckDB files of one block size."""
    size = block_size(src)
    if size is None or block_size(dst) != size:
        return None
    total = os.path.getsize(src)
    fin, fout = os.open(src, os.O_RDONLY), os.open(dst, os.O_RDWR)
    try:
        os.ftruncate(fout, total)
        copied = _copy_range(fin, fout, 0, HEADER_BYTES)
        for offset in range(HEADER_BYTES, total, size):
            n = min(size, total - offset)
            if n < 8 or os.pread(fin, 8, offset) != os.pread(fout, 8, offset):
                copied += _copy_range(fin, fout, offset, n)
    finally:
        os.close(fin)
        os.close(fout)
    return copied


def copy_index(src: Path, dst: Path) -> None:
    """A new index version from `src`: tantivy's segment files are hard links (never rewritten:
    new deletes go to new files), the rest (meta.json, our state files) copies; lock files stay."""
    dst.mkdir(parents=True)
    for entry in os.scandir(src):
        if not entry.is_file(follow_symlinks=False) or entry.name.startswith(".tantivy-"):
            continue
        target = dst / entry.name
        if _SEGMENT.match(entry.name):
            try:
                os.link(entry.path, target)
                continue
            except OSError:
                pass
        shutil.copyfile(entry.path, target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------------ what a database records
def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (index_dir VARCHAR)")
    con.execute(f"INSERT INTO {VERSION_TABLE} SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE})")


def recorded_index(con: duckdb.DuckDBPyConnection) -> str | None:
    """The name of the index version folder the database was published with (None before versions)."""
    try:     # one lookup (listing duckdb_tables() first cost a few ms per web request)
        row = con.execute(f"SELECT index_dir FROM {VERSION_TABLE}").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def index_dir(con: duckdb.DuckDBPyConnection, db_file: Path | str) -> Path:
    """The index folder to search with this database: the version it records when `xdd.index`
    is a symlink (versioned layout) and that version is still there; else `xdd.index`."""
    link = link_path(Path(db_file))
    if link.is_symlink():
        name = recorded_index(con)
        if name and (link.parent / name).is_dir():
            return link.parent / name
    return link


def reading(db_path: Path | str, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """fn(read-only connection); when the search index does not match the database opened (a
    load published twice meanwhile), once more with a fresh connection, then the error."""
    from pipelines import db

    for attempt in (0, 1):
        try:
            with db.connect(db_path, read_only=True) as con:
                return fn(con)
        except DatabaseError as exc:
            if attempt or "xdd index" not in str(exc):
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ the writer
@dataclass
class Stage:
    """A write in progress: the database copy to write (`db`), the index version it started
    from (`current`), the new index version if one is made (`new_index`)."""
    live: Path
    db: Path
    current: Path | None = None
    new_index: Path | None = None
    copied_bytes: int = 0
    spare_lock: int | None = None     # an exclusive fcntl lock on `db` (a spare taken), until published

    def sync_index(self, con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> dict:
        """Bring the search index in step with the staged database: nothing when the current
        version already is (and no rebuild is asked), else a new version (a copy of the current
        one, or empty for a rebuild) synced by pipelines.search_index and recorded in the
        database. Returns search_index.sync's counts."""
        from pipelines import search_index

        if not rebuild and self.new_index is None and self.current is not None \
                and search_index.status(con, self.current) == "fresh":
            units = con.execute(f"SELECT count(*) FROM ({search_index.DB_UNITS})").fetchone()[0]
            return {"added": 0, "deleted": 0, "units": int(units), "rebuilt": False}
        if self.new_index is None:
            n = 1 + max([_number(p) or 0 for p in _versions(self.live)] + [_number(self.current) or 0])
            self.new_index = version_dir(self.live, n)
            _remove(self.new_index)
            if self.current is not None and not rebuild and (self.current / "meta.json").exists():
                copy_index(self.current, self.new_index)
            else:
                self.new_index.mkdir(parents=True)
        ensure_table(con)
        con.execute(f"UPDATE {VERSION_TABLE} SET index_dir = ?", [self.new_index.name])
        return search_index.sync(con, self.new_index, rebuild=rebuild)


def _versions(db_path: Path) -> list[Path]:
    """Every `xdd.index.v*` entry (versions, and leftovers of killed rebuilds inside them)."""
    link = link_path(db_path)
    return sorted(link.parent.glob(link.name + ".v*")) if link.parent.exists() else []


def _live_index(db_path: Path) -> Path | None:
    """The index version the live database records (or `xdd.index`'s target)."""
    link = link_path(db_path)
    name = None
    if db_path.exists():
        try:
            con = duckdb.connect(str(db_path), read_only=True)
        except duckdb.Error:
            con = None
        if con is not None:
            try:
                name = recorded_index(con)
            finally:
                con.close()
    if name and (link.parent / name).is_dir():
        return link.parent / name
    if link.is_symlink() and link.resolve().is_dir():
        return link.parent / os.readlink(link)
    return None


def _tidy(db_path: Path, keep: set[Path]) -> None:
    """Remove index versions not in `keep` (by name), and unpublished database copies."""
    names = {p.name for p in keep if p is not None}
    for p in _versions(db_path):
        if p.name not in names:
            _remove(p)


def _adopt_folder(db_path: Path) -> None:
    """A base from before versions has `xdd.index` as a folder: it becomes version 0 and
    `xdd.index` a symlink to it."""
    link = link_path(db_path)
    if link.is_dir() and not link.is_symlink():
        v0 = version_dir(db_path, 0)
        _remove(v0)
        os.rename(link, v0)
        _point(link, v0)


def _point(link: Path, target: Path) -> None:
    tmp = link.with_name(f"{link.name}.link-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target.name, tmp)
    os.replace(tmp, link)


@contextmanager
def writing(db_path: Path | str, wait: float | None = None) -> Iterator[Stage]:
    """Write a new version of the knowledge base: yields a Stage whose `db` the caller opens
    read-write (pipelines.db.connect) and closes inside the block; on a normal exit the new
    version is published, on an exception (or a kill) the live one stays as it was."""
    live = Path(db_path)
    live.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(live, wait):
        nxt = next_path(live)
        for left in (nxt, wal_path(nxt)):
            _remove(left)
        for left in live.parent.glob(link_path(live).name + ".link-*"):
            _remove(left)
        _adopt_folder(live)
        current = _live_index(live)
        n = _number(current)
        below = sorted((p for p in _versions(live) if n is not None and _VERSION.search(p.name) and _number(p) < n),
                       key=_number)
        _tidy(live, {current, *(below[-1:] if below else [])})
        stage = Stage(live=live, db=nxt, current=current)
        try:
            if live.exists():
                _stage_copy(stage)
            try:
                yield stage
            except BaseException:
                for left in (nxt, wal_path(nxt)):
                    _remove(left)
                if stage.new_index is not None:
                    _remove(stage.new_index)
                raise
            _publish(stage)
        finally:
            if stage.spare_lock is not None:
                os.close(stage.spare_lock)


def _stage_copy(stage: Stage) -> None:
    """`.next` as a copy of the live file: the spare brought up to date when it can be taken,
    else a whole copy (the spare, if any, left to its readers)."""
    live, nxt, spare = stage.live, stage.db, spare_path(stage.live)
    if wal_path(live).exists():                   # a base written in place by an older version, killed
        _remove(spare)
        stage.copied_bytes = copy_file(live, nxt)
        copy_file(wal_path(live), wal_path(nxt))
        return
    fd = _take_spare(spare, live) if keep_spare() else None
    if fd is not None:
        try:
            os.replace(spare, nxt)                # same inode: the lock goes with it
            copied = sync_blocks(live, nxt)
        except BaseException:
            os.close(fd)
            raise
        if copied is not None:
            stage.copied_bytes, stage.spare_lock = copied, fd
            return
        os.close(fd)
        _remove(nxt)
    _remove(spare)
    stage.copied_bytes = copy_file(live, nxt)


def _take_spare(spare: Path, live: Path) -> int | None:
    """An fd holding an exclusive fcntl lock on the spare, or None (no spare; the live file itself,
    when a publish was killed between its link and its rename; or a reader has it: DuckDB keeps
    a shared lock on a file it has open)."""
    try:
        if os.path.samefile(spare, live):
            return None
        fd = os.open(spare, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _publish(stage: Stage) -> None:
    live, nxt = stage.live, stage.db
    if wal_path(nxt).exists():
        raise DatabaseError(f"internal error: {nxt} was not checkpointed and closed before publishing")
    if not nxt.exists():
        return
    _fsync(nxt)
    if stage.new_index is not None:
        _point(link_path(live), stage.new_index)
    wal_path(live).unlink(missing_ok=True)
    _keep_as_spare(live)
    os.replace(nxt, live)
    _fsync(live.parent)
    if stage.new_index is not None:
        _tidy(live, {stage.new_index, stage.current})


def _keep_as_spare(live: Path) -> None:
    """The live file about to be replaced, kept (a hard link) for the next load's copy."""
    spare = spare_path(live)
    _remove(spare)
    if keep_spare() and live.exists():
        try:
            os.link(live, spare)
        except OSError:                           # no hard links here: every load copies the file
            pass


def ensure(db_path: Path | str) -> None:
    """Create an empty knowledge base (schema only) if there is none."""
    from pipelines import db

    if Path(db_path).exists():
        return
    with writing(db_path) as stage:
        if not stage.live.exists():
            with db.connect(stage.db):
                pass
