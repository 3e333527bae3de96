"""A newcomer can guess where a file lives: every service has the same folders, and only a
service's composition root opens its store."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["intake", "referrals", "registries", "reporting", "portal_gateway"]
LAYERS = {
    "bootstrap.py",
    "domain",
    "application",
    "adapters",
    "entrypoints",
    "README.md",
    "__init__.py",
}
FRAMEWORKS = {"nameko", "kombu", "psycopg2", "marshmallow", "eventlet", "werkzeug", "jinja2"}


def top_level(service: str) -> set[str]:
    return {p.name for p in (ROOT / "services" / service).iterdir() if p.name != "__pycache__"}


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    return {name.split(".")[0] for name in names} | names


def python_files(*folders: str):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_every_service_has_the_same_top_level_folders():
    assert {service: top_level(service) for service in SERVICES} == {
        service: LAYERS for service in SERVICES
    }


def test_no_module_outside_a_composition_root_builds_a_store():
    builders = {"build_store", "services.common.runtime"}
    found = [
        str(p.relative_to(ROOT))
        for p in python_files("services", "deploy", "tests", "bench")
        if p.name != "bootstrap.py"
        and p.parts[-2:] != ("common", "runtime.py")
        and imported(p) & builders
    ]
    assert found == []


def test_domain_modules_import_no_framework():
    found = {
        str(p.relative_to(ROOT)): sorted(imported(p) & FRAMEWORKS)
        for service in SERVICES
        for p in (ROOT / "services" / service / "domain").rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_no_service_imports_another_services_code():
    for service in SERVICES:
        others = {f"services.{other}" for other in SERVICES if other != service}
        for path in (ROOT / "services" / service).rglob("*.py"):
            assert not {name for name in imported(path) if name.startswith(tuple(others))}, path
