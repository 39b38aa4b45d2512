"""The compose file gives every process what the production settings read.

Docker does not run on the project's machines, so tests/test_cluster.py runs deploy/endpoints.yml
with its own servers; these checks cover the step it cannot: that deploy/compose.yml and
deploy/env.example supply every variable, so a missing one fails here and not at someone's first
`docker compose up`.
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot import settings
from bot.settings import PROJECT_ROOT
from tests.cluster import DEPLOY

VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")


class _UniqueKeys(yaml.SafeLoader):
    """YAML lets a later key win silently; Docker Compose refuses the file. So do we."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [key.value for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]  # before merging
        duplicates = {key for key in keys if keys.count(key) > 1}
        assert not duplicates, f"line {node.start_mark.line + 1}: {sorted(map(str, duplicates))} given twice"
        return super().construct_mapping(node, deep=deep)


def compose() -> dict:
    return yaml.load((DEPLOY / "compose.yml").read_text(encoding="utf-8"), Loader=_UniqueKeys)


def test_every_rasa_replica_gets_what_the_production_endpoints_read() -> None:
    needed = set(VARIABLE.findall((DEPLOY / "endpoints.yml").read_text(encoding="utf-8")))
    rasa = compose()["services"]["rasa"]
    assert "deploy/endpoints.yml" in rasa["command"]
    assert needed
    assert needed <= set(rasa["environment"])


def test_every_required_secret_is_in_the_example_settings() -> None:
    text = (DEPLOY / "compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert required
    assert required <= listed


def test_every_process_shares_the_secrets_and_the_database() -> None:
    shared = {"HALSOLOTSEN_CHANNEL_TOKEN", "HALSOLOTSEN_SENDER_KEY", "HALSOLOTSEN_DATABASE_URL"}
    for name, service in compose()["services"].items():
        if "build" in service:  # our image: every Hälsolotsen process
            assert shared <= set(service["environment"]), name


def test_the_web_server_and_telegram_front_end_run_on_the_current_python_image() -> None:
    """As on one machine (`.venv-web`): not on Rasa's Python 3.10 image, and with the web pins."""
    services = compose()["services"]
    dockerfile = (DEPLOY / "Dockerfile.web").read_text(encoding="utf-8")
    base = re.search(r"^FROM python:(\d+)\.(\d+)", dockerfile, re.M)
    assert base and (int(base[1]), int(base[2])) >= (3, 12)
    assert "requirements-web.txt -c constraints-web.txt" in dockerfile
    for name in ("web", "telegram"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile.web"
    for name in ("rasa", "actions"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"


def test_every_healthcheck_asks_a_readiness_endpoint() -> None:
    """Compose starts nginx only once the replicas are ready (not merely up), and marks a replica
    whose database or Rasa is gone unhealthy: each healthcheck asks the process's /ready."""
    services = compose()["services"]
    for name in ("rasa", "actions", "web", "telegram"):
        probe = " ".join(services[name]["healthcheck"]["test"])
        assert re.search(r"/ready'", probe), (name, probe)
        port = re.search(r":(\d+)/", probe).group(1)
        assert port in " ".join(services[name]["command"]), f"{name}: its healthcheck asks a port it does not open"


def test_the_systemd_unit_runs_bot_run_and_restarts_it_on_failure(tmp_path: Path) -> None:
    """deploy/halsolotsen.service runs `bot run`, restarts it when it exits non-zero, lets it stop
    its own children; pointed at this checkout, it passes `systemd-analyze verify`."""
    text = (DEPLOY / "halsolotsen.service").read_text(encoding="utf-8")
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string(text)
    service = unit["Service"]
    assert service["ExecStart"].endswith("/.venv/bin/python -m bot run")
    assert (service["Restart"], service["KillMode"]) == ("on-failure", "mixed")
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    here = tmp_path / "halsolotsen.service"
    here.write_text(text.replace("/opt/halsolotsen", str(PROJECT_ROOT)), encoding="utf-8")
    verified = subprocess.run(["systemd-analyze", "verify", str(here)], capture_output=True, text=True, check=False)
    assert verified.returncode == 0 and not verified.stderr, verified.stderr


def test_the_grafana_dashboard_asks_only_for_metrics_the_processes_have() -> None:
    """A renamed metric would leave a dashboard panel silently empty."""
    from prometheus_client import REGISTRY

    import bot.metrics  # noqa: F401 - registers the metrics

    known = {
        sample
        for family in REGISTRY.collect()
        for sample in (family.name, *(f"{family.name}{s}" for s in ("_total", "_bucket", "_count", "_sum")))
    }
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"halsolotsen_\w+", target["expr"])
    }
    assert asked and asked <= known, asked - known


def _ours(services: dict) -> dict:
    """The services that run our image: every Hälsolotsen process."""
    return {name: service for name, service in services.items() if "build" in service}


def test_every_setting_the_code_reads_is_passed_to_the_processes_that_read_it() -> None:
    """bot/settings.py is the one list; the Telegram settings are the front end's alone."""
    variables = {settings.variable(name) for name in settings.Settings.__fields__}
    telegram = {name for name in variables if name.startswith("TELEGRAM_")}
    services = _ours(compose()["services"])
    assert {"rasa", "actions", "web", "audio", "retention", "telegram"} <= set(services)
    for name, service in services.items():
        needed = variables if name == "telegram" else variables - telegram
        assert needed - set(service["environment"]) == set(), name


def test_every_variable_compose_takes_from_the_env_file_is_in_the_example() -> None:
    text = (DEPLOY / "compose.yml").read_text(encoding="utf-8")
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert set(VARIABLE.findall(text)) - listed == set()


def test_content_and_audio_are_shared_writable_volumes_and_the_images_can_convert_recordings() -> None:
    """Recordings made in the browser are written to content/<lang>/audio/ and var/audio/ by the web
    server replica that got the upload, and served by every replica: read-only mounts gave a 500."""
    parsed = compose()
    assert {"content", "audio"} <= set(parsed["volumes"])
    for name, service in _ours(parsed["services"]).items():
        assert "content:/app/content" in service["volumes"], name
        assert "audio:/app/var/audio" in service["volumes"], name
    for dockerfile in ("Dockerfile", "Dockerfile.web"):
        text = (DEPLOY / dockerfile).read_text(encoding="utf-8")
        assert re.search(r"^RUN apt-get update && apt-get install .*\bffmpeg\b", text, re.M), dockerfile
        assert "COPY content/ content/" in text, dockerfile  # fills the empty volume the first time
