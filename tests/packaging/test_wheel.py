"""The built wheel works on its own: its commands run and the demo school's data files ship."""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it alone into a fresh virtual environment."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: setuptools leaves build/ behind and reuses it
    for part in ("bot", "handlers", "models", "jobs", "migrations"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = work.glob("schoolbot-*.whl")
    target = work / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def _schoolbot(venv_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script; the libraries come from this test's environment.

    PYTHONPATH adds this environment's site-packages after the wheel's own, so `bot` and its
    data files can only come from the wheel (a .pth file there, like the editable install's,
    is not read from PYTHONPATH).
    """
    environment = {
        **os.environ,
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'wheel.db'}",
        "TELEGRAM_BOT_TOKEN": "",
    }
    return subprocess.run(
        [str(venv_dir / "bin" / "schoolbot"), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_installed_command_line_answers_help(installed: Path, tmp_path: Path) -> None:
    result = _schoolbot(installed, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "demo-data" in result.stdout


def test_the_installed_package_makes_the_demo_school(installed: Path, tmp_path: Path) -> None:
    assert _schoolbot(installed, "db", "upgrade", cwd=tmp_path).returncode == 0
    result = _schoolbot(installed, "demo-data", "--today", "2026-11-24", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "737" in result.stdout  # the demo school's students
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]},
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(installed) in where.stdout  # the wheel's copy, not the checkout
