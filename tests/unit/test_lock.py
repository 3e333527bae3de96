"""The locks say exactly what a fresh machine installs: registry pins with hashes, resolved from
pyproject.toml's dependency lists. A lock that would only install on the machine that wrote it
(a file:// wheel, a pin without a hash) or that lags behind pyproject.toml stops scripts/test
before anything is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "scripts",
    "pyproject.toml",
    "requirements.lock",
    "requirements-runtime.lock",
    "deploy/kubernetes/tools.lock",
]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files scripts/test reads first, copied so a broken lock can be tried without harm."""
    for name in FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
    return tmp_path


def scripts_test(checkout: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/test"], cwd=checkout, capture_output=True, text=True, timeout=60
    )


def replace_pin(lock: Path, name: str, new: str) -> None:
    """Swap one requirement (its line and its --hash lines) for `new`."""
    lines, out, skipping = lock.read_text().splitlines(), [], False
    for line in lines:
        if line.startswith(f"{name}=="):
            out.append(new)
            skipping = True
            continue
        if skipping and line.startswith("    --hash="):
            continue
        skipping = False
        out.append(line)
    lock.write_text("\n".join(out) + "\n")


def test_the_committed_locks_pass_the_check():
    answer = subprocess.run([str(ROOT / "scripts" / "check-lock")], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr


def test_a_lock_naming_a_local_wheel_makes_scripts_test_fail_before_installing(checkout):
    wheel = "file:///tmp/gfs/grafana_foundation_sdk-1769699998%2110.1.0-py3-none-any.whl"
    replace_pin(
        checkout / "requirements.lock",
        "grafana-foundation-sdk",
        f"grafana_foundation_sdk @ {wheel}#sha256={'d' * 64}",
    )
    answer = scripts_test(checkout)
    assert answer.returncode != 0
    assert (
        "not a registry pin" in answer.stderr
        and "grafana_foundation_sdk @ file://" in answer.stderr
    )
    assert not (checkout / ".venv").exists()


def test_a_pin_without_a_hash_makes_scripts_test_fail(checkout):
    replace_pin(checkout / "requirements-runtime.lock", "kombu", "kombu==5.7.0")
    answer = scripts_test(checkout)
    assert answer.returncode != 0 and "kombu has no --hash=sha256" in answer.stderr


def test_an_index_url_in_a_lock_makes_scripts_test_fail(checkout):
    lock = checkout / "requirements.lock"
    lock.write_text("--index-url https://example.org/simple\n" + lock.read_text())
    answer = scripts_test(checkout)
    assert answer.returncode != 0 and "--index-url" in answer.stderr


def test_a_dependency_added_to_pyproject_but_not_locked_makes_scripts_test_fail(checkout):
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            '    "PyYAML>=6.0.3,<7",\n', '    "PyYAML>=6.0.3,<7",\n    "inflect>=7",\n'
        )
    )
    answer = scripts_test(checkout)
    assert answer.returncode != 0
    assert (
        "resolved from other dependency lists" in answer.stderr
        and "inflect is declared" in answer.stderr
    )


def test_the_runtime_lock_pins_the_same_versions_as_the_full_lock():
    def pins(name: str) -> dict[str, str]:
        return dict(
            line.split(" ")[0].split("==")
            for line in (ROOT / name).read_text().splitlines()
            if "==" in line and not line.startswith((" ", "#"))
        )

    runtime, full = pins("requirements-runtime.lock"), pins("requirements.lock")
    assert runtime and all(full[name] == version for name, version in runtime.items())
    assert "pytest" not in runtime and "pytest" in full
