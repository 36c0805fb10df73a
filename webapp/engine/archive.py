"""Checks on an Argos model archive (``.argosmodel``) before anything is installed.

An ``.argosmodel`` is a zip holding exactly one folder with ``metadata.json``, a CTranslate2
model in ``model/`` and a SentencePiece (``sentencepiece.model``) or BPE (``bpe.model``)
tokenizer. ``argostranslate.package.install_from_path`` extracts whatever it is given into the
package folder, so everything unsafe or incomplete is refused here first, and ``unpack`` extracts
a checked archive itself, counting the bytes it really writes (a zip may lie about its sizes).
This module never imports argostranslate.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from webapp.errors import ModelError

MAX_UNCOMPRESSED = 3 * 1024**3  # real Argos models unpack to 100–900 MB
# Model weights barely compress (a real archive unpacks to 1.1–2× its size): more than this many
# times the archive's size, past a small allowance, is a zip bomb, not a model.
MAX_RATIO = 20
SMALL_ALLOWANCE = 64 * 1024**2
MAX_ENTRIES = 10_000
MAX_METADATA = 1024**2
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _refuse(path: Path, reason: str) -> ModelError:
    return ModelError(f"{path.name} is not a usable Argos model: {reason}. Nothing was installed.")


def _check_names(path: Path, infos: list[zipfile.ZipInfo]) -> str:
    """Refuse unsafe member names and links; return the single top-level folder."""
    tops: set[str] = set()
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or pure.is_absolute():
            raise _refuse(path, f"it contains an absolute path ({name!r})")
        if ".." in pure.parts:
            raise _refuse(path, f"it contains a path leaving its folder ({name!r})")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(path, f"it contains a symbolic link ({name!r})")
        if len(pure.parts) == 1 and not info.is_dir():
            raise _refuse(path, f"the file {name!r} is outside the package folder")
        if pure.parts:
            tops.add(pure.parts[0])
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "none"
        raise _refuse(path, f"it must hold exactly one top-level folder (found: {found})")
    return tops.pop()


def _read_metadata(path: Path, zf: zipfile.ZipFile, top: str) -> dict:
    try:
        info = zf.getinfo(f"{top}/metadata.json")
    except KeyError:
        raise _refuse(path, f"{top}/metadata.json is missing") from None
    if info.file_size > MAX_METADATA:
        raise _refuse(path, "metadata.json is implausibly large")
    try:
        metadata = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise _refuse(path, f"metadata.json is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise _refuse(path, "metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        code = metadata.get(key)
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            raise _refuse(path, f"metadata.json has no valid {key} (found {code!r})")
    if metadata["from_code"] == metadata["to_code"]:
        raise _refuse(path, "metadata.json translates a language into itself")
    if metadata.get("type", "translate") != "translate":
        raise _refuse(path, f"it is a {metadata.get('type')!r} package, not a translation model")
    return metadata


def validate_archive(path: Path, *, max_bytes: int = MAX_UNCOMPRESSED) -> dict:
    """Return the metadata of an ``.argosmodel`` after checking it; raise ModelError if unusable.

    The result is ``metadata.json`` plus ``folder`` (the top-level folder) and ``size_bytes``
    (total unpacked size).
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path} does not exist or is not a file.")
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "it is not a zip archive (an .argosmodel file is a zip)")
    max_bytes = unpack_limit(path, max_bytes)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _refuse(path, f"it holds more than {MAX_ENTRIES} files")
            total = sum(info.file_size for info in infos)
            if total > max_bytes:
                raise _refuse(
                    path, f"it would unpack to {total:,} bytes (the limit is {max_bytes:,})"
                )
            top = _check_names(path, infos)
            names = {info.filename.rstrip("/") for info in infos}
            metadata = _read_metadata(path, zf, top)
    except zipfile.BadZipFile as exc:
        raise _refuse(path, f"the zip archive is damaged ({exc})") from None
    if f"{top}/model/model.bin" not in names:
        raise _refuse(path, f"the translation model {top}/model/model.bin is missing")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names:
        raise _refuse(path, "the tokenizer (sentencepiece.model or bpe.model) is missing")
    return {**metadata, "folder": top, "size_bytes": total}


def unpack_limit(path: Path, max_bytes: int = MAX_UNCOMPRESSED) -> int:
    """The most an archive may unpack to: what a model of its size needs, at most ``max_bytes``."""
    return min(max_bytes, max(SMALL_ALLOWANCE, MAX_RATIO * Path(path).stat().st_size))


def unpack(path: Path, dest: Path, *, max_bytes: int = MAX_UNCOMPRESSED) -> Path:
    """Extract a checked archive into the empty folder ``dest``; return its package folder.

    The bytes really written are counted against the limit (declared sizes may lie) and every
    member is checked by zipfile's CRC; ModelError if anything is wrong (the caller removes
    ``dest``).
    """
    path, dest = Path(path), Path(dest)
    meta = validate_archive(path, max_bytes=max_bytes)
    limit, written = unpack_limit(path, max_bytes), 0
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                target = dest.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, target.open("xb") as out:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > limit:
                            raise _refuse(path, f"it unpacks to more than {limit:,} bytes")
                        out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise _refuse(path, f"the zip archive is damaged ({exc})") from None
    except OSError as exc:
        raise ModelError(f"{path.name} could not be unpacked: {exc}. Nothing was installed.") \
            from None
    return dest / meta["folder"]
