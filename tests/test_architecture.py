"""The layering the README's Architecture section promises, checked on the code itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "webapp"
REPOSITORIES = {"documents", "units", "review", "quality", "memory", "jobs", "glossary", "accounts",
                "feeds", "search", "words", "catalog", "tags", "collections", "archives", "db",
                "transaction", "reading"}


#: Not the library: deploy/postgres.py makes databases for the tests and the cluster; an Anki
#: package is a SQLite file.
FILE_FORMATS_IN_SQLITE = {ROOT / "deploy" / "postgres.py", ROOT / "learning" / "deck.py"}


def modules(folder: str = "") -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(("." * node.level) + node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_views_call_actions_never_the_storage():
    """No view reaches a repository: not through ``lib().…``, not through a library object."""
    offences = []
    for path in modules("web"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            target = node.value
            if isinstance(target, ast.Call) and getattr(target.func, "id", None) == "lib":
                offences.append(f"{path.name}:{node.lineno} lib().{node.attr}")
            elif isinstance(target, ast.Name) and target.id in {"library", "lib"} \
                    and node.attr in REPOSITORIES:
                offences.append(f"{path.name}:{node.lineno} {target.id}.{node.attr}")
        if path.name != "db.py" and any(name.startswith("webapp.storage.Library")
                                        for name in imports(path)):
            offences.append(f"{path.name} imports the Library")
    assert offences == []


def test_only_storage_speaks_sql():
    for path in modules():
        if path.is_relative_to(ROOT / "storage") or path in FILE_FORMATS_IN_SQLITE:
            continue
        used = {name.split(".")[0] for name in imports(path)}
        assert not used & {"sqlite3", "psycopg"}, path
        assert "sqlalchemy" not in used, path


def test_domain_packages_never_import_flask():
    for path in modules():
        if path.is_relative_to(ROOT / "web") or path == ROOT / "__init__.py":
            continue  # (the package's create_app names Flask for type checkers only)
        assert "flask" not in {name.split(".")[0] for name in imports(path)}, path


def test_no_repository_imports_another_ones_private_helpers():
    for path in modules("storage"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from .{node.module}"
