"""Argos packages: what is installed, the Argos index, installing and removing models.

Models are Argos packages, found and installed with ``argostranslate.package`` in the folders
``argospm`` uses, so a model installed either way is seen by both. argostranslate is imported on
first use only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.engine.archive import unpack, validate_archive
from webapp.errors import ModelError, NotFound, Offline

PROBE_SENTENCE = "Test 1, 2, 3. 测试一下。"
PROBE_TIMEOUT = 300  # seconds to load a model and translate one sentence in a child process
_PROBE = "import sys; from webapp.engine.packages import probe_package; probe_package(sys.argv[1])"
_probed: set[str] = set()  # archives (by SHA-256) that passed the probe in this process

INSTALL_HINT = (
    "Download the .argosmodel file on a machine that is online (for instance from "
    "https://www.argosopentech.com/argospm/index/) and install it with "
    "“enface models install --file PATH.argosmodel” or upload it on the Models page."
)


def use_folders(environment: dict[str, str]) -> None:
    """Point argostranslate at its folders before it is imported (it reads them at import and
    creates them then); too late once it is imported, so the first configuration wins."""
    if "argostranslate.settings" not in sys.modules:
        for key, value in environment.items():
            os.environ.setdefault(key, value)


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos translation package."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    package_version: str
    path: Path
    size_bytes: int

    @property
    def model_id(self) -> str:
        """Stable id recorded with every machine translation, e.g. ``argos:zh-en@1.9``."""
        return f"argos:{self.from_code}-{self.to_code}@{self.package_version}"


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _info(pkg: Any) -> ModelInfo:
    path = Path(pkg.package_path)
    return ModelInfo(
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        from_name=pkg.from_name or pkg.from_code,
        to_name=pkg.to_name or pkg.to_code,
        package_version=pkg.package_version or "0",
        path=path,
        size_bytes=_tree_size(path),
    )


def _packages() -> list[Any]:
    from argostranslate import package, settings

    try:
        return package.get_installed_packages()
    except (FileNotFoundError, ValueError):
        # A stray folder without (valid) metadata.json makes Argos give up; skip it instead.
        found = []
        for directory in settings.package_dirs:
            for path in sorted(directory.iterdir()):
                try:
                    found.append(package.Package(path))
                except (FileNotFoundError, NotADirectoryError, ValueError):
                    continue
        return found


def installed_models() -> list[ModelInfo]:
    """Translation packages installed where argospm installs them, sorted by pair."""
    models = [
        _info(pkg)
        for pkg in _packages()
        if pkg.type == "translate" and pkg.from_code and pkg.to_code
    ]
    return sorted(models, key=lambda m: (m.from_code, m.to_code, _version_key(m)))


def installed_stamp() -> tuple:
    """What changes whenever a package is installed, replaced or removed: each folder packages
    live in, its modification time and the names and inode numbers of what it holds (an
    install or a removal renames a folder in it; a replaced package is a new folder, so a new
    inode, even where two changes fall in one tick of the file system's clock). A stat and a
    listing per folder: cheap enough for every request."""
    from argostranslate import settings

    stamps = []
    for directory in settings.package_dirs:
        try:
            with os.scandir(directory) as entries:
                held = tuple(sorted((entry.name, entry.inode()) for entry in entries))
            stamps.append((str(directory), os.stat(directory).st_mtime_ns, held))
        except OSError:
            stamps.append((str(directory), None, ()))
    return tuple(stamps)


def _version_key(model: ModelInfo) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(model.package_version))
    except InvalidVersion:
        return (0, model.package_version)


def find_model(from_code: str, to_code: str) -> ModelInfo | None:
    """The newest installed model for a pair; Traditional Chinese ('zt') falls back to 'zh'."""
    models = installed_models()
    for code in [from_code, "zh"] if from_code == "zt" else [from_code]:
        matches = [m for m in models if m.from_code == code and m.to_code == to_code]
        if matches:
            return max(matches, key=_version_key)
    return None


MAX_INDEX_BYTES = 16 * 1024 * 1024


def _offline(what: str, exc: BaseException) -> ModelError:
    from webapp.outbound import AddressRefused

    if isinstance(exc, AddressRefused):
        return ModelError(f"{what}: {exc.reason}.")
    reason = getattr(exc, "reason", None) or exc
    return Offline(f"{what} could not be reached ({reason}). {INSTALL_HINT}")


def _answered(opened) -> None:
    from webapp.outbound import FetchFailed

    if opened.response.status >= 400:
        raise FetchFailed(f"the server answered {opened.response.status}")


def available_models(*, timeout: float = 10, allow_private: bool = False) -> list[dict]:
    """Packages in the Argos index, each with whether (and which version) is installed here.

    Fetched by the outbound rule (``webapp.outbound``): public addresses only unless
    ``allow_private``."""
    from argostranslate import package, settings

    from webapp.outbound import FetchFailed, open_url  # (its HTTP client: only when fetching)

    url = settings.remote_package_index
    try:  # argos's own update_package_index has no timeout and hides failures
        with open_url(url, timeout=timeout, allow_private=allow_private) as opened:
            _answered(opened)
            data = opened.response.read(MAX_INDEX_BYTES + 1)
        if len(data) > MAX_INDEX_BYTES:
            raise FetchFailed(f"the index is over {MAX_INDEX_BYTES} bytes")
    except FetchFailed as exc:
        raise _offline(f"The Argos package index ({url})", exc) from exc
    with package.package_lock:
        Path(settings.local_package_index).write_bytes(data)
    try:
        index = package.get_available_packages()
    except ValueError as exc:
        raise ModelError(f"The Argos package index is not valid JSON: {exc}") from exc
    installed = {(m.from_code, m.to_code): m for m in installed_models()}
    return [
        {
            "from_code": p.from_code,
            "to_code": p.to_code,
            "from_name": p.from_name,
            "to_name": p.to_name,
            "package_version": p.package_version,
            "links": list(p.links),
            "installed_version": getattr(
                installed.get((p.from_code, p.to_code)), "package_version", None
            ),
        }
        for p in index
        if p.type == "translate" and p.from_code and p.to_code
    ]


def _download(links: list[str], dest: Path, progress, timeout: float,
              allow_private: bool) -> None:
    from webapp.outbound import FetchFailed, open_url

    errors: list[BaseException] = []
    for link in links:
        try:
            with open_url(link, timeout=timeout, allow_private=allow_private) as opened:
                _answered(opened)
                length = opened.response.headers.get("Content-Length") or ""
                total = int(length) if length.isascii() and length.isdigit() else 0
                done = 0
                with dest.open("wb") as out:
                    while chunk := opened.response.read(1 << 20):
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
            return
        except FetchFailed as exc:
            errors.append(exc)
    raise _offline("The model download",
                   errors[-1] if errors else FetchFailed("the index lists no download link"))


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 30,
    allow_private: bool = False,
) -> ModelInfo:
    """Download a pair's package from the Argos index and install it; Offline when unreachable
    (public addresses only unless ``allow_private``)."""
    from argostranslate import settings

    matches = [
        p
        for p in available_models(timeout=timeout, allow_private=allow_private)
        if p["from_code"] == from_code and p["to_code"] == to_code
    ]
    if not matches:
        raise NotFound(f"The Argos index has no model for {from_code} → {to_code}.")
    folder = Path(tempfile.mkdtemp(prefix="enface-download-", dir=settings.downloads_dir))
    try:
        archive = folder / f"translate-{from_code}_{to_code}.argosmodel"
        _download(matches[0]["links"], archive, progress, timeout, allow_private)
        return install_file(archive, expect=(from_code, to_code))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def install_file(path: Path, *, expect: tuple[str, str] | None = None) -> ModelInfo:
    """Check an .argosmodel, unpack it aside, prove it translates (in a child process), then
    swap it in, replacing the pair's old model; on any failure nothing changes."""
    from argostranslate import package, settings

    path = Path(path)
    meta = validate_archive(path)
    pair = (meta["from_code"], meta["to_code"])
    if expect is not None and pair != tuple(expect):
        raise ModelError(
            f"{path.name} translates {pair[0]} → {pair[1]}, not {expect[0]} → {expect[1]}. "
            "Nothing was installed."
        )
    packages_dir = Path(settings.package_data_dir)
    target = packages_dir / meta["folder"]
    _check_target(target, pair, path.name)
    packages_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".enface-install-", dir=packages_dir.parent))
    try:
        unpacked = unpack(path, staging / "new")
        digest = _sha256(path)
        if digest not in _probed:
            _probe(unpacked, path.name)
            _probed.add(digest)
        with package.package_lock:
            _swap(unpacked, target, staging / "previous")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for model in installed_models():
        if (model.from_code, model.to_code) == pair and model.path != target \
                and model.path.parent == target.parent:
            _uninstall(model)
    for model in installed_models():
        if model.path == target:
            return model
    raise ModelError(f"{path.name} was unpacked but Argos does not see it as a model.")


def _check_target(target: Path, pair: tuple[str, str], name: str) -> None:
    """Refuse to install into a folder that holds another package (or anything else)."""
    from argostranslate import package

    if not target.exists():
        return
    try:
        there = package.Package(target)
    except (OSError, ValueError):
        raise ModelError(f"{name} would be unpacked into {target}, which holds something that "
                         "is not an Argos package. Nothing was installed.") from None
    if (there.type, there.from_code, there.to_code) != ("translate", *pair):
        raise ModelError(f"{name} would be unpacked into the folder of the installed "
                         f"{there.from_code} → {there.to_code} package ({target.name}). "
                         "Nothing was installed.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _probe(folder: Path, name: str) -> None:
    """Load the unpacked package in a child process and translate one sentence; ModelError
    with the reason when it cannot (a crash in the model's native code ends only the child)."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", _PROBE, str(folder)], capture_output=True, text=True,
            timeout=PROBE_TIMEOUT, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        reason = f"loading it and translating one sentence took over {PROBE_TIMEOUT} s"
    else:
        if done.returncode == 0:
            return
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1].strip()[:300] if lines else f"the test ended with {done.returncode}"
    raise ModelError(f"{name} is not a usable Argos model: it could not translate a test "
                     f"sentence ({reason}). Nothing was installed.")


def probe_package(folder: str) -> None:
    """In a child process: load the package in ``folder`` and translate one sentence; exit 1
    with the reason on stderr when that fails."""
    from argostranslate import package

    from webapp.engine.inference import translate_sentences

    try:
        model = _info(package.Package(Path(folder)))
        result = translate_sentences([PROBE_SENTENCE], model)
        if len(result) != 1 or not isinstance(result[0], str):
            raise ModelError("the model gave no translation")
    except Exception as exc:  # noqa: BLE001 - any failure means the model is unusable
        print(f"{type(exc).__name__}: {exc}".replace("\n", " "), file=sys.stderr)
        sys.exit(1)


def _swap(new: Path, target: Path, previous: Path) -> None:
    """Put the unpacked package at ``target`` by renames, the old one kept until the new one
    is in place (and put back if the swap fails)."""
    from webapp.engine.inference import forget

    forget(target)
    if target.exists():
        target.rename(previous)
    try:
        new.rename(target)
    except OSError as exc:
        if previous.exists():
            previous.rename(target)
        raise ModelError(f"{target.name} could not be installed: {exc}. Nothing changed.") \
            from exc


def _uninstall(model: ModelInfo) -> None:
    from argostranslate import package

    from webapp.engine.inference import forget

    forget(model.path)
    package.uninstall(package.Package(model.path))


def remove_model(from_code: str, to_code: str) -> None:
    """Uninstall every installed model for the pair; NotFound if there is none."""
    matches = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not matches:
        raise NotFound(f"No model for {from_code} → {to_code} is installed.")
    for model in matches:
        _uninstall(model)
