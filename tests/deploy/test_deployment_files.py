"""The deployment files match the code: the roles, their commands and variables; no root."""

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from bot.cli.main import app
from bot.config import Settings

ROOT = Path(__file__).parents[2]
# Variables the files may set that are not schoolbot's settings, and whose they are.
FOREIGN = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}  # the postgres image's


def _commands() -> set[tuple[str, ...]]:
    """Every `schoolbot ...` command path the CLI offers, e.g. ("db", "upgrade")."""
    found: set[tuple[str, ...]] = set()

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)  # a group of commands
        if isinstance(subcommands, dict):
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
        else:
            found.add(path)

    walk(typer.main.get_command(app), ())
    return found


def _is_command(argv: list[str]) -> bool:
    words = [Path(argv[0]).name, *argv[1:]]
    assert words[0] == "schoolbot", argv
    return any(tuple(words[1 : 1 + len(path)]) == path for path in _commands())


def _settings_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _systemd(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(ROOT / "systemd" / name)
    return parser


def _unit_environment(name: str) -> dict[str, str]:
    """The variables a unit's Environment= line sets."""
    line = _systemd(name)["Service"].get("Environment", "")
    return dict(pair.split("=", 1) for pair in shlex.split(line))


def _command(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    assert isinstance(command, list)
    return [str(part) for part in command]


def _dockerfile_instructions(name: str) -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in text.splitlines() if line.startswith(name + " ")]


def test_every_command_the_files_run_exists() -> None:
    argvs = [
        service["command"] for service in _compose()["services"].values() if "command" in service
    ]
    argvs += [_parse_exec(line) for line in _dockerfile_instructions("CMD")]
    for unit in (ROOT / "systemd").glob("*.service"):
        service = _systemd(unit.name)["Service"]
        argvs += [
            shlex.split(service[key]) for key in ("ExecStart", "ExecStartPre") if key in service
        ]
    assert argvs and all(_is_command(argv) for argv in argvs)


def _parse_exec(line: str) -> list[str]:
    parsed = yaml.safe_load(line)  # Docker's exec form is a JSON array
    assert isinstance(parsed, list)
    return [str(part) for part in parsed]


def test_every_variable_the_files_set_is_a_setting() -> None:
    names: set[str] = set()
    for service in _compose()["services"].values():
        names |= set(service.get("environment", {}))
    for line in _dockerfile_instructions("ENV"):
        names |= set(re.findall(r"([A-Z_][A-Z0-9_]*)=", line))
    for unit in (ROOT / "systemd").glob("*.service"):
        names |= set(_unit_environment(unit.name))
    assert {"WEBHOOK_PORT", "OPS_PORT", "DATABASE_URL"} <= names
    unknown = names - _settings_names() - FOREIGN
    assert unknown == set()


def test_nothing_runs_as_root() -> None:
    users = _dockerfile_instructions("USER")
    assert users and users[-1].strip() not in ("root", "0")
    for unit in (ROOT / "systemd").glob("*.service"):
        assert _systemd(unit.name)["Service"]["User"] not in ("root", "0")


def test_the_compose_services_run_the_roles_of_the_cli() -> None:
    services = _compose()["services"]
    assert _command(services["migrate"])[1:] == ["db", "upgrade"]
    assert _command(services["web"])[1:] == ["web"]
    assert _command(services["worker"])[1:] == ["worker"]
    assert _command(services["bot"])[1:] == ["run"] and services["bot"]["profiles"] == ["single"]
    assert services["worker"]["deploy"]["replicas"] >= 2  # one leads, one stands by
    for name in ("web", "worker", "bot"):
        migrated = services[name]["depends_on"]["migrate"]["condition"]
        assert migrated == "service_completed_successfully"
    for name in ("web", "worker"):  # they refuse SQLite
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_every_role_has_a_systemd_unit() -> None:
    roles = {path[0] for path in _commands() if path[0] in ("run", "web", "worker")}
    units = {
        unit.name: shlex.split(_systemd(unit.name)["Service"]["ExecStart"])[1:]
        for unit in (ROOT / "systemd").glob("*.service")
    }
    assert roles == {"run", "web", "worker"}
    assert units == {
        "schoolbot.service": ["run"],
        "schoolbot-web.service": ["web"],
        "schoolbot-worker.service": ["worker"],
    }


def test_the_web_replica_is_reached_where_it_listens() -> None:
    web = _compose()["services"]["web"]
    port = web["environment"]["WEBHOOK_PORT"]
    assert any(str(mapping).endswith(f":{port}") for mapping in web["ports"])
    exposed = " ".join(_dockerfile_instructions("EXPOSE")).split()
    defaults = Settings(_env_file=None)
    assert {str(defaults.webhook_port), str(defaults.ops_port)} <= set(exposed)
    web_unit = _unit_environment("schoolbot-web.service")
    worker_unit = _unit_environment("schoolbot-worker.service")
    assert web_unit["OPS_PORT"] != worker_unit["OPS_PORT"]  # both may run on one machine


def test_the_image_builds_where_docker_can() -> None:
    if (
        shutil.which("docker") is None
        or subprocess.run(["docker", "info"], capture_output=True, check=False).returncode
    ):
        pytest.skip("!! no Docker daemon here: the image was NOT built (the files were checked)")
    subprocess.run(["docker", "build", "-q", "-t", "schoolbot-test", str(ROOT)], check=True)
