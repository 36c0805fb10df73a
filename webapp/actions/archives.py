"""Archive imports: a folder, or a .zip / .tar.gz of thousands of files, as a job of the workers.

Queuing reads the archive once (``stage``): every file becomes an item of the library holding
its bytes, or the reason it is not imported (hidden, not an article, an unsafe path, too large,
encrypted …); a file whose bytes were imported before (the same SHA-256) is marked as already in
the library without being read again. The pending items are cut into chunks of positions that
workers lease (``run_chunk``); each file goes through the ordinary import (``import_bytes``) and
is recorded in the same transaction as its document, so a worker killed half way, a cancel or a
Ctrl-C leaves nothing half-stored, and taking the import up again (``queue_*`` with the same
archive or folder, or ``resume``) imports only what is still to do. ``status`` is the report:
counts, and what failed or was skipped, by reason.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from webapp import config
from webapp.actions import Submit, imports
from webapp.errors import EnfaceError, ImportFailed, NotFound
from webapp.importing.archives import Limits, Member, is_archive, members
from webapp.storage import Library, refused_value, unreachable
from webapp.vocabulary import (
    ACTIVE,
    ARCHIVE_JOB,
    DONE,
    FAILED,
    IMPORTED,
    KNOWN,
    PENDING,
    SKIPPED,
)

log = logging.getLogger(__name__)

CHUNK_FILES = 250  # files a chunk holds (more for a huge archive: at most MAX_CHUNKS chunks)
MAX_CHUNKS = 400
_BATCH_FILES, _BATCH_BYTES = 200, 16 * 1024 * 1024  # staged per transaction
_PROGRESS_SECONDS = 0.5  # how often a chunk reports progress (and learns of a cancel)


@dataclass(frozen=True)
class Queued:
    """An archive import queued: its job, its archive, and whether it was taken up again."""

    job_id: int
    archive_id: int
    files: int
    resumed: bool = False


@dataclass
class ArchiveImport:
    """Where an archive import stands: the job, the archive, counts and problems by reason."""

    job: dict[str, Any]
    archive: dict[str, Any]
    counts: dict[str, int]
    problems: list[dict[str, Any]]  # failed and skipped files by reason
    warnings: list[dict[str, Any]]  # files imported with a warning, by warning

    @property
    def running(self) -> bool:
        """Whether the job is still queued or running."""
        return self.job["status"] in ACTIVE

    def count(self, status: str) -> int:
        """How many files are in ``status``."""
        return self.counts.get(status, 0)

    def summary(self) -> str:
        """One line: how many files came to what."""
        parts = [f"{self.count(IMPORTED):,} imported",
                 f"{self.count(KNOWN):,} already in the library",
                 f"{self.count(SKIPPED):,} skipped", f"{self.count(FAILED):,} failed"]
        if self.count(PENDING):
            parts.append(f"{self.count(PENDING):,} still to do")
        return f"{self.archive['name']}: {self.archive['files']:,} files: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """As the API gives it."""
        return {"job": self.job["id"], "status": self.job["status"], "done": self.job["done"],
                "total": self.job["total"], "error": self.job["error"],
                "archive": {"id": self.archive["id"], "name": self.archive["name"],
                            "files": self.archive["files"]},
                "counts": {s: self.count(s) for s in (IMPORTED, KNOWN, SKIPPED, FAILED, PENDING)},
                "problems": self.problems, "warnings": self.warnings}


def limits(settings: Mapping[str, Any]) -> Limits:
    """The limits of one archive import, from the settings."""
    return Limits(max_bytes=int(settings["MAX_IMPORT_BYTES"]),
                  max_files=int(settings["MAX_ARCHIVE_FILES"]),
                  max_total=int(settings["MAX_ARCHIVE_BYTES"]))


# --- queuing ---------------------------------------------------------------------------------

def queue_path(library: Library, path: str, *, limits: Limits, lang: str | None = None,
               submit: Submit | None = None, on_read: Callable[[int], None] | None = None,
               chunk_files: int | None = None) -> Queued:
    """Queue the import of a folder or an archive file (the command line)."""
    source = Path(path)
    if source.is_dir():
        identity, folder = f"folder:{source.resolve()}", True
    elif not source.exists():
        raise ImportFailed(path, "no such file or folder")
    elif is_archive(source.name):
        with source.open("rb") as handle:
            identity, folder = f"sha256:{_digest(handle)}", False
    else:
        raise ImportFailed(path, "not a folder or a .zip, .tar or .tar.gz archive")
    return _queue(library, source, identity, str(path), lang=lang, limits=limits, submit=submit,
                  on_read=on_read, chunk_files=chunk_files, folder=folder)


def queue_upload(library: Library, stream: BinaryIO, name: str, *, limits: Limits,
                 lang: str | None = None, submit: Submit | None = None) -> Queued:
    """Queue the import of an uploaded archive (an open, seekable binary file)."""
    identity = f"sha256:{_digest(stream)}"
    return _queue(library, stream, identity, name, lang=lang, limits=limits, submit=submit,
                  on_read=None, chunk_files=None, folder=False)


def upload(library: Library, stream: BinaryIO, name: str, *, limits: Limits,
           lang: str | None = None, submit: Submit | None = None
           ) -> ArchiveImport | imports.ImportResult:
    """Queue an uploaded archive's import: where it stands, or a failed ImportResult saying
    why it cannot be imported (damaged, password-protected, over a limit …)."""
    try:
        queued = queue_upload(library, stream, name, limits=limits, lang=lang, submit=submit)
    except EnfaceError as exc:
        return imports.ImportResult(name, error=str(exc))
    return status(library, queued.job_id)


def _digest(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while block := handle.read(1024 * 1024):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def _queue(library: Library, source: Path | BinaryIO, identity: str, name: str, *,
           lang: str | None, limits: Limits, submit: Submit | None,
           on_read: Callable[[int], None] | None, chunk_files: int | None,
           folder: bool) -> Queued:
    """Take up the same archive's import again if there is one with work left (or, for the
    same archive's bytes with every document still there, its finished report); otherwise
    read the archive in and queue it."""
    found = library.archives.find(identity)
    if found is not None:
        job = library.jobs.active(ARCHIVE_JOB, str(found["id"]))
        if job is not None and job["status"] in ACTIVE:
            return Queued(job["id"], found["id"], found["files"], resumed=True)
        if library.archives.pending_positions(found["id"]):
            return _start(library, found["id"], submit, chunk_files, resumed=True)
        if job is not None and not folder and not library.archives.lost(found["id"]):
            return Queued(job["id"], found["id"], found["files"], resumed=True)  # its report
    # a folder (its files may have changed), or an archive some of whose documents were
    # deleted since: read in again (files whose documents are there are known by their bytes)
    archive_id = stage(library, members(source, name, limits), identity, name, lang=lang,
                       on_read=on_read)
    return _start(library, archive_id, submit, chunk_files)


def stage(library: Library, files: Iterable[Member], identity: str, name: str, *,
          lang: str | None = None, on_read: Callable[[int], None] | None = None) -> int:
    """Read an archive's files into the library as items (all of them, or none: an archive
    that fails half way, or an interruption, leaves nothing); the archive's id."""
    archive_id = library.archives.begin(identity, name, lang)
    try:
        batch: list[dict[str, Any]] = []
        size = position = 0
        for member in files:
            batch.append(_item(position, member))
            position += 1
            size += member.size if member.data is not None else 0
            if len(batch) >= _BATCH_FILES or size >= _BATCH_BYTES:
                _add(library, archive_id, batch)
                batch, size = [], 0
            if on_read is not None:
                on_read(position)
        _add(library, archive_id, batch)
        if position == 0:
            raise ImportFailed(name, "there are no files in it")
        library.archives.staged(archive_id, position)
    except BaseException:
        library.archives.discard(archive_id)
        raise
    return archive_id


def _item(position: int, member: Member) -> dict[str, Any]:
    row: dict[str, Any] = {"position": position, "path": member.path, "size": member.size}
    if member.data is None:
        return row | {"status": SKIPPED if member.skipped else FAILED,
                      "reason": member.reason}
    return row | {"data": member.data, "sha256": hashlib.sha256(member.data).hexdigest()}


def _add(library: Library, archive_id: int, batch: list[dict[str, Any]]) -> None:
    """Stage a batch; files imported before (same bytes, document still there) are known."""
    known = library.archives.known(row["sha256"] for row in batch if row.get("sha256"))
    for row in batch:
        if row.get("sha256") in known:
            row.update(status=KNOWN, document_id=known[row["sha256"]], data=None)
    library.archives.add_items(archive_id, batch)


def _start(library: Library, archive_id: int, submit: Submit | None,
           chunk_files: int | None, *, resumed: bool = False) -> Queued:
    """Queue a job over an archive's pending files, cut in chunks of positions."""
    positions = library.archives.pending_positions(archive_id)
    size = chunk_files or max(CHUNK_FILES, -(-len(positions) // MAX_CHUNKS))
    plans = [(part[0], part[-1] + 1, len(part)) for part in
             (positions[i:i + size] for i in range(0, len(positions), size))]
    job_id = library.jobs.create(ARCHIVE_JOB, str(archive_id), total=len(positions),
                                 chunks=plans or [(None, None, 0)])
    if not positions:  # everything was settled while reading it
        library.jobs.finish(job_id, DONE)
    elif submit is not None:
        submit(job_id, ARCHIVE_JOB, len(plans))
    return Queued(job_id, archive_id, library.archives.get(archive_id)["files"], resumed)


def resume(library: Library, job_id: int, submit: Submit | None = None) -> Queued:
    """Take up a cancelled or failed archive import again: its files still to do."""
    job = _job(library, job_id)
    archive = library.archives.get(int(job["target"]))
    if job["status"] in ACTIVE:
        return Queued(job_id, archive["id"], archive["files"], resumed=True)
    current = library.jobs.active(ARCHIVE_JOB, str(archive["id"]))
    if current is not None and current["status"] in ACTIVE:
        return Queued(current["id"], archive["id"], archive["files"], resumed=True)
    return _start(library, archive["id"], submit, None, resumed=True)


# --- working ---------------------------------------------------------------------------------

class _Taken(Exception):
    """The item was done by another worker meanwhile: this one's work is rolled back."""


def run_chunk(library: Library, job: dict, chunk: dict, *,
              progress: Callable[[int, int], bool], max_bytes: int | None = None,
              **_: object) -> None:
    """Import the pending files of one leased chunk, one transaction each; stop at a cancel."""
    archive = library.archives.get(int(job["target"]))
    todo = library.archives.pending(archive["id"], chunk["segment_from"], chunk["segment_to"])
    total = max(chunk["total"], len(todo))
    done = total - len(todo)
    if not progress(done, total):
        return
    known = library.archives.known(item["sha256"] for item in todo if item["sha256"])
    told = time.monotonic()
    for item in todo:
        _import_item(library, archive, item, known.get(item["sha256"]),
                     max_bytes or config.defaults()["MAX_IMPORT_BYTES"])
        done += 1
        if time.monotonic() - told >= _PROGRESS_SECONDS:
            if not progress(done, total):
                return
            told = time.monotonic()
    progress(done, total)


def _import_item(library: Library, archive: dict, item: dict, known: int | None,
                 max_bytes: int) -> None:
    """Import one file and record what came of it, together (or neither)."""
    if known is not None:
        library.archives.finish(item["id"], KNOWN, document_id=known)
        return
    data = library.archives.data(item["id"])
    if data is None:
        return  # done meanwhile
    try:
        with library.transaction():
            result = imports.import_bytes(library, data, item["path"], lang=archive["lang"],
                                          max_bytes=max_bytes)
            status, document_id, reason = _outcome(result, item["path"])
            if not library.archives.finish(item["id"], status, document_id=document_id,
                                           reason=reason):
                raise _Taken
    except _Taken:
        return
    except Exception as exc:
        if unreachable(exc):
            raise
        log.exception("archive %s: %s could not be imported", archive["id"], item["path"])
        library.archives.finish(item["id"], FAILED, reason=refused_value(exc) or
                                f"Enface could not read it ({type(exc).__name__})")


def _outcome(result: object, path: str) -> tuple[str, int | None, str | None]:
    """(status, document id, reason) of an import's result (or results: a file may hold
    several documents)."""
    results = result if isinstance(result, list) else [result]
    for one in results:
        if one.error:
            reason = one.error.removeprefix(f"{path}: ")
            return FAILED, None, reason
    first = results[0]
    return (IMPORTED if first.created else KNOWN), first.doc_id, first.warning


# --- reporting -------------------------------------------------------------------------------

def _job(library: Library, job_id: int) -> dict[str, Any]:
    job = library.jobs.get(job_id)
    if job["kind"] != ARCHIVE_JOB:
        raise NotFound(f"There is no archive import {job_id}.")
    return job


def status(library: Library, job_id: int) -> ArchiveImport:
    """An archive import's job, counts, and problems by reason (NotFound for another job)."""
    job = _job(library, job_id)
    archive_id = int(job["target"])
    return ArchiveImport(job, library.archives.get(archive_id),
                         library.archives.counts(archive_id),
                         library.archives.reasons(archive_id, (FAILED, SKIPPED)),
                         library.archives.reasons(archive_id, (IMPORTED,)))


def recent(library: Library, limit: int = 50) -> list[dict[str, Any]]:
    """The newest archive imports: name, files, counts by state, and their latest job (with
    its status), newest first."""
    found = library.archives.recent(limit)
    jobs = {j["id"]: j for j in (library.jobs.get(a["job_id"]) for a in found)}
    return [a | {"job": jobs[a["job_id"]]} for a in found]


def documents(library: Library, archive_id: int, *, page: int = 1000) -> Iterator[dict]:
    """The files of an archive that are in the library (imported, or already there), in
    order, with their document's id and title."""
    after = -1
    while rows := library.archives.items(archive_id, (IMPORTED, KNOWN), limit=page, after=after):
        yield from (row for row in rows if row["document_id"] is not None)
        after = rows[-1]["position"]


def cancel(library: Library, job_id: int) -> ArchiveImport:
    """Stop an archive import between two files (what was imported stays)."""
    _job(library, job_id)
    library.jobs.cancel(job_id)
    return status(library, job_id)


__all__ = ["ArchiveImport", "Queued", "cancel", "documents", "is_archive", "limits",
           "queue_path", "queue_upload", "recent", "resume", "run_chunk", "stage", "status",
           "upload"]
