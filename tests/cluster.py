"""The production setup of deploy/ on one machine: several replicas on loopback ports, for tests.

PostgreSQL (tracker store), Redis (lock store), two action servers and two Rasa servers, each
group behind nginx; from the Debian packages script/setup installs, each server on a free port,
everything in one temporary folder, and all of it stopped and deleted again, also when a test
fails. The Rasa servers read deploy/endpoints.yml itself and nginx includes
deploy/nginx/proxy.conf, so what the check proves is what production runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis
import sqlalchemy as sa
import yaml
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore

from bot import keys, services
from bot.settings import PROJECT_ROOT
from tests.assistant import free_port

DEPLOY = PROJECT_ROOT / "deploy"
ENDPOINTS = DEPLOY / "endpoints.yml"
DB_NAME = DB_USER = "halsolotsen"
READY_SECONDS = 60
# How long a ticket for a conversation's lock lives (Rasa's default: 60 s). A replica that dies
# while it handles a message leaves its ticket behind, and the conversation's next message waits
# until it expires. Shorter here so the check does not sit idle; still far longer than any
# message takes to handle.
LOCK_LIFETIME_SECONDS = 20


@dataclass
class Cluster:
    balancer_url: str  # nginx in front of the Rasa servers: what channels use
    replica_urls: list[str]  # each Rasa server directly
    replicas: list[services.Service]
    db_url: str  # the tracker store's database (SQLAlchemy URL)
    redis_port: int
    redis_password: str
    channel_token: str

    def lock_store(self) -> RedisLockStore:
        """Rasa's own view of the conversation locks, configured as deploy/endpoints.yml says."""
        settings = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))["lock_store"]
        return RedisLockStore(
            host="127.0.0.1",
            port=self.redis_port,
            password=self.redis_password,
            db=settings["db"],
            key_prefix=settings["key_prefix"],
        )


@contextlib.contextmanager
def running(model: Path) -> Iterator[Cluster]:
    """Starts the whole cluster; stops every process and deletes every file when done."""
    folder = Path(tempfile.mkdtemp(prefix="halsolotsen-cluster-"))
    folder.chmod(0o755)  # the postgres user and nginx's workers reach their own folders in it
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        db_password, redis_password, channel_token = (secrets.token_hex(16) for _ in range(3))
        db_port = cleanup.enter_context(_postgres(folder / "postgres", db_password))
        redis_port = cleanup.enter_context(_redis(folder / "redis", redis_password))

        rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
        balancer_port, actions_balancer_port = free_port(), free_port()
        nginx_conf = _nginx_conf(folder / "nginx", balancer_port, rasa_ports, actions_balancer_port, action_ports)
        balancer_url = f"http://127.0.0.1:{balancer_port}"
        replicas = [
            services.rasa_server(model, port, ENDPOINTS, f"Rasa server {name}")
            for name, port in zip("AB", rasa_ports, strict=True)
        ]
        processes = [
            *(services.action_server(port, f"action server {n}") for n, port in enumerate(action_ports, 1)),
            *replicas,
            # Ready once it passes a request to a Rasa server.
            services.Service("nginx", ["nginx", "-p", str(nginx_conf.parent), "-c", str(nginx_conf),
                                       "-e", str(nginx_conf.parent / "error.log")], f"{balancer_url}/"),
        ]  # fmt: skip
        db_url = f"postgresql://{DB_USER}:{db_password}@127.0.0.1:{db_port}/{DB_NAME}"
        environment = {
            # deploy/endpoints.yml
            "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_balancer_port}/webhook",
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(db_port),
            "DB_NAME": DB_NAME,
            "DB_USER": DB_USER,
            "DB_PASSWORD": db_password,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
            "REDIS_PASSWORD": redis_password,
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            # Shared by every replica, as in production.
            keys.CHANNEL_TOKEN: channel_token,
            "HALSOLOTSEN_DATABASE_URL": db_url,
            "HALSOLOTSEN_VAR": str(folder / "var"),
        }
        cleanup.callback(services.stop, processes)
        services.start(processes, env=environment)
        yield Cluster(
            balancer_url=balancer_url,
            replica_urls=[f"http://127.0.0.1:{port}" for port in rasa_ports],
            replicas=replicas,
            db_url=db_url,
            redis_port=redis_port,
            redis_password=redis_password,
            channel_token=channel_token,
        )


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:5])}… failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def _postgres_program(name: str) -> str:
    """Debian keeps the server's programs out of PATH, in /usr/lib/postgresql/<version>/bin/."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    return str(found[-1]) if found else name


def _as_postgres(argv: list[str]) -> list[str]:
    """initdb refuses to run as root; tests on CI run as root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextlib.contextmanager
def _postgres(folder: Path, password: str) -> Iterator[int]:
    """A PostgreSQL server of its own, with a database whose owner logs in with a password over TCP."""
    folder.mkdir()
    if os.geteuid() == 0:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    port, data = free_port(), str(folder / "data")
    _run(_as_postgres([_postgres_program("initdb"), "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                       "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]))  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off"
    pg_ctl = _postgres_program("pg_ctl")
    _run(_as_postgres([pg_ctl, "-D", data, "-l", str(folder / "server.log"), "-o", options, "-w", "start"]))
    try:
        _run(_as_postgres([_postgres_program("psql"), "-h", str(folder), "-p", str(port), "-U", "postgres",
                           "-v", "ON_ERROR_STOP=1", "-c", f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{password}'",
                           "-c", f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}"]))  # fmt: skip
        yield port
    finally:
        _run(_as_postgres([pg_ctl, "-D", data, "-m", "fast", "-w", "stop"]))


@contextlib.contextmanager
def _redis(folder: Path, password: str) -> Iterator[int]:
    """A Redis server of its own that keeps nothing on disk (locks live only while a message is handled)."""
    folder.mkdir()
    port = free_port()
    with (folder / "redis.log").open("wb") as log:
        process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password,
             "--save", "", "--appendonly", "no", "--dir", str(folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        client = redis.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=2)
        deadline = time.monotonic() + READY_SECONDS
        while not _pings(client):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Redis did not start: {(folder / 'redis.log').read_text(errors='replace')}")
            time.sleep(0.2)
        client.close()
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _nginx_conf(
    folder: Path, rasa_port: int, rasa_ports: list[int], actions_port: int, action_ports: list[int]
) -> Path:
    """Round robin over the replicas of each group, with the production proxy settings."""
    folder.mkdir()
    proxy = DEPLOY / "nginx" / "proxy.conf"

    def upstream(name: str, ports: list[int]) -> str:
        return f"upstream {name} {{ {' '.join(f'server 127.0.0.1:{port};' for port in ports)} }}"

    def front(port: int, name: str) -> str:
        return f'server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://{name}; include "{proxy}"; }} }}'

    conf = folder / "nginx.conf"
    conf.write_text(
        f"""daemon off;
worker_processes 1;
pid "{folder}/nginx.pid";
error_log "{folder}/error.log" warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path "{folder}/client_body";
    proxy_temp_path "{folder}/proxy";
    fastcgi_temp_path "{folder}/fastcgi";
    uwsgi_temp_path "{folder}/uwsgi";
    scgi_temp_path "{folder}/scgi";
    {upstream("rasa", rasa_ports)}
    {upstream("actions", action_ports)}
    {front(rasa_port, "rasa")}
    {front(actions_port, "actions")}
}}
""",
        encoding="utf-8",
    )
    return conf


def user_messages(db_url: str, sender: str) -> list[str]:
    """The texts of a conversation's user messages as PostgreSQL holds them, in the order stored."""
    events = SQLTrackerStore.SQLEvent.__table__  # Rasa's own table definition
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(events.c.data)
                .where(events.c.sender_id == sender, events.c.type_name == "user")
                .order_by(events.c.id)
            ).scalars()
            return [json.loads(row)["text"] for row in rows]
    finally:
        engine.dispose()
