"""The production setup of deploy/ on one machine: several replicas on loopback ports, for tests.

PostgreSQL (tracker store and hand-off tables), Redis (lock store), two action servers and two
Rasa servers, each group behind nginx; from the Debian packages script/setup installs, each server
on a free port, everything in one temporary folder, and all of it stopped and deleted again, also
when a test fails. The Rasa servers read deploy/endpoints.yml itself and nginx includes
deploy/nginx/proxy.conf, so what the check proves is what production runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import subprocess
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
# Two Rasa servers load their model at the same time, on a machine that may be busy with others.
CLUSTER_READY_SECONDS = 600
# Test-only response header: which Rasa server(s) nginx passed a request to, so a test can see
# that a conversation's messages really went to different replicas.
UPSTREAM_HEADER = "X-Upstream"


@dataclass
class Postgres:
    port: int
    password: str

    @property
    def url(self) -> str:
        """The database's SQLAlchemy URL, with the driver production uses (psycopg2)."""
        return f"postgresql+psycopg2://{DB_USER}:{self.password}@127.0.0.1:{self.port}/{DB_NAME}"

    def new_database(self, name: str) -> str:
        """An empty database of its own on the same server, for a test that must start from nothing."""
        engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Cluster:
    balancer_url: str  # nginx in front of the Rasa servers: what channels use
    replicas: dict[str, services.Service]  # each Rasa server by its address as nginx names it
    database: Postgres
    redis_port: int
    redis_password: str

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
def postgres(folder: Path) -> Iterator[Postgres]:
    """A PostgreSQL server of its own, with a database whose owner logs in with a password over TCP."""
    folder.mkdir()
    if os.geteuid() == 0:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    port, password, data = free_port(), secrets.token_hex(16), str(folder / "data")
    _run(_as_postgres([_postgres_program("initdb"), "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                       "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]))  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off"
    pg_ctl = _postgres_program("pg_ctl")
    _run(_as_postgres([pg_ctl, "-D", data, "-l", str(folder / "server.log"), "-o", options, "-w", "start"]))
    try:
        # CREATEDB: tests make empty databases of their own (Postgres.new_database).
        _run(_as_postgres([_postgres_program("psql"), "-h", str(folder), "-p", str(port), "-U", "postgres",
                           "-v", "ON_ERROR_STOP=1", "-c", f"CREATE ROLE {DB_USER} LOGIN CREATEDB PASSWORD '{password}'",
                           "-c", f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}"]))  # fmt: skip
        yield Postgres(port, password)
    finally:
        _run(_as_postgres([pg_ctl, "-D", data, "-m", "fast", "-w", "stop"]))


@contextlib.contextmanager
def running(model: Path, database: Postgres, folder: Path) -> Iterator[Cluster]:
    """Starts Redis, the replicas and nginx (PostgreSQL runs already); stops them all when done."""
    with contextlib.ExitStack() as cleanup:
        redis_password = secrets.token_hex(16)
        redis_port = cleanup.enter_context(_redis(folder / "redis", redis_password))
        rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
        balancer_port, actions_balancer_port = free_port(), free_port()
        nginx_conf = _nginx_conf(folder / "nginx", balancer_port, rasa_ports, actions_balancer_port, action_ports)
        balancer_url = f"http://127.0.0.1:{balancer_port}"
        replicas = {
            f"127.0.0.1:{port}": services.rasa_server(model, port, ENDPOINTS, f"Rasa server {name}")
            for name, port in zip("AB", rasa_ports, strict=True)
        }
        processes = [
            *(services.action_server(port, f"action server {n}") for n, port in enumerate(action_ports, 1)),
            *replicas.values(),
            # Ready once it passes a request to a Rasa server.
            services.Service("nginx", ["nginx", "-p", str(nginx_conf.parent), "-c", str(nginx_conf),
                                       "-e", str(nginx_conf.parent / "error.log")], f"{balancer_url}/"),
        ]  # fmt: skip
        environment = {
            # What deploy/endpoints.yml reads.
            "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_balancer_port}/webhook",
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(database.port),
            "DB_NAME": DB_NAME,
            "DB_USER": DB_USER,
            "DB_PASSWORD": database.password,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
            "REDIS_PASSWORD": redis_password,
            # Shared by every replica, as in production.
            keys.CHANNEL_TOKEN: secrets.token_hex(16),
            keys.ACTION_TOKEN: secrets.token_hex(16),
            "HALSOLOTSEN_DATABASE_URL": database.url,
            "HALSOLOTSEN_VAR": str(folder / "var"),
        }
        cleanup.callback(services.stop, processes)
        services.start(processes, env=environment, timeout_seconds=CLUSTER_READY_SECONDS)
        yield Cluster(balancer_url, replicas, database, redis_port, redis_password)


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:5])}… failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def _postgres_program(name: str) -> str:
    """Debian keeps the server's programs out of PATH, in /usr/lib/postgresql/<version>/bin/."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    return str(found[-1]) if found else name


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; tests on CI run as root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


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
        return (
            f"server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://{name}; "
            f'include "{proxy}"; add_header {UPSTREAM_HEADER} $upstream_addr always; }} }}'
        )

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
