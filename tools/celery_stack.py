"""Airflow on the CeleryExecutor, really run, on loopback: PostgreSQL (metadata), Redis (broker), the
api-server, scheduler, dag-processor and two Celery workers, then one kutim_daily_ingest run on the
bundled sample.

    .venv/bin/python tools/celery_stack.py --check   # `make celery-check`: one run, stop, JSON last line
    .venv/bin/python tools/celery_stack.py           # `make run-celery`: the same, left running (Ctrl-C)

Everything comes from Debian packages (postgresql, redis-server) and the venv; every server listens
on 127.0.0.1 on a free port. PostgreSQL's data lives in .airflow/pg (initdb on first use); run as root,
the postgres binaries run as the Debian package's `postgres` user (PostgreSQL refuses root). Workers:
`worker-a` serves the queues default and warehouse (the DuckDB writer), `worker-b` only default.
Every process is started here and stopped here, by its pid (its process group).
The warehouse is SIAGA_WAREHOUSE's; the sample replays at its own dates unless SIAGA_REPLAY_RELATIVE_TO
says otherwise (the make targets set `today`, as `make run` does).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAG_ID = "kutim_daily_ingest"
WORKERS = {"worker-a": "default,warehouse", "worker-b": "default"}
FINISHED = {"success", "failed"}


def worker_hostname() -> str:
    """Airflow's [core] hostname_callable in the workers this script starts: two workers on one machine
    are told apart by their Celery names (worker-a@host), which Airflow records as the task's hostname."""
    return os.environ.get("SIAGA_WORKER_NAME") or socket.getfqdn()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(message: str) -> None:
    print(message, flush=True)


def pg_bin(name: str) -> str:
    """The newest Debian PostgreSQL's server binary (they are not on PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SystemExit(f"celery_stack: {name} not found; install Debian's postgresql (`make setup-celery`)")
    return found[-1]


class Stack:
    """The processes of one stack; stop() ends each by its pid, newest first."""

    def __init__(self, home: Path, logs: Path):
        self.home, self.logs = home, logs
        self.procs: list[tuple[str, subprocess.Popen]] = []
        # PostgreSQL's SIGTERM waits for every client to leave; SIGINT is its fast shutdown
        self.stop_signal = {"postgres": signal.SIGINT}
        self.pg_user = None if os.geteuid() != 0 else pwd.getpwnam("postgres")

    def start(self, name: str, argv: list[str], env: dict | None = None, as_pg: bool = False) -> subprocess.Popen:
        out = open(self.logs / f"{name}.out", "ab")  # noqa: SIM115 - the child keeps it
        extra = {}
        if as_pg and self.pg_user:
            extra = {"user": self.pg_user.pw_uid, "group": self.pg_user.pw_gid, "extra_groups": []}
        proc = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True, **extra
        )
        out.close()
        self.procs.append((name, proc))
        return proc

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                tail = (self.logs / f"{name}.out").read_text(errors="replace").splitlines()[-30:]
                raise RuntimeError(f"{name} (pid {proc.pid}) exited with {proc.returncode}:\n" + "\n".join(tail))

    def stop(self) -> None:
        # A second Ctrl-C while the components shut down must not leave them running.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        if self.procs:
            say("stopping " + ", ".join(f"{name} ({proc.pid})" for name, proc in reversed(self.procs)) + " ...")
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                # The process group: an Airflow component's own children (task supervisors, gunicorn/uvicorn
                # workers) go with it; the group id is this child's pid (start_new_session).
                try:
                    os.killpg(proc.pid, self.stop_signal.get(name, signal.SIGTERM))
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 30
        for name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"  {name} (pid {proc.pid}) did not stop in time: killed")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def stop_leftover_postgres(stack: Stack, pg: Path) -> None:
    """A run killed hard (SIGKILL, a closed terminal) can leave its postmaster on `pg`; stop it first.

    The data folder is this stack's own, so a live postmaster on it is a leftover of ours.
    """
    pid_file = pg / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, IndexError, ProcessLookupError, PermissionError):
        return  # none, or a stale file that PostgreSQL itself clears
    print(f"celery_stack: stopping a PostgreSQL left running on {pg} by an earlier run (pid {pid})", flush=True)
    stopper = stack.start("pg_ctl_stop", [pg_bin("pg_ctl"), "stop", "-D", str(pg), "-m", "fast", "-w"], as_pg=True)
    stopper.wait()
    stack.procs.remove(("pg_ctl_stop", stopper))


def prepare_postgres(stack: Stack, pg: Path) -> str:
    """initdb into `pg` once (password auth, the password kept beside it, readable only by its owner)."""
    stop_leftover_postgres(stack, pg)
    secret = pg.parent / "pg.password"
    if not (pg / "PG_VERSION").exists():
        shutil.rmtree(pg, ignore_errors=True)
        pg.mkdir(parents=True, mode=0o700)
        secret.write_text(secrets.token_hex(16))
        secret.chmod(0o600)
        pwfile = pg.parent / "pg.pwfile"
        pwfile.write_text(secret.read_text())
        if stack.pg_user:
            for path in (pg, pwfile):
                os.chown(path, stack.pg_user.pw_uid, stack.pg_user.pw_gid)
        initdb = stack.start(
            "initdb",
            [
                pg_bin("initdb"),
                "-D",
                str(pg),
                "-U",
                "airflow",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            as_pg=True,
        )
        code = initdb.wait()
        stack.procs.remove(("initdb", initdb))
        pwfile.unlink()
        if code:
            raise RuntimeError(f"initdb failed ({code}); see {stack.logs / 'initdb.out'}")
    return secret.read_text().strip()


def wait_for(what: str, ready, stack: Stack, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            if ready():
                return
        except Exception:  # not up yet
            pass
        time.sleep(1)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s; logs in {stack.logs}")


def sql(dsn: str, query: str, params: tuple = (), fetch: bool = True):
    import psycopg2

    con = psycopg2.connect(dsn)
    try:
        con.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with con.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if fetch else None
    finally:
        con.close()


def run_cli(argv: list[str], env: dict, log: Path) -> str:
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True)
    log.write_text(done.stdout + done.stderr)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:4])} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


def pipeline_config(home: Path, staging: str | None) -> str | None:
    """A copy of the pipeline config with another staging folder (a test's), else None (the default)."""
    if not staging:
        return os.environ.get("SIAGA_PIPELINE_CONFIG")
    import yaml

    source = Path(os.environ.get("SIAGA_PIPELINE_CONFIG") or REPO / "config" / "pipeline.yaml")
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw["staging_dir"] = str(Path(staging).resolve())
    out = home / "celery-pipeline.yaml"
    out.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return str(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="one run, then stop everything (make celery-check)")
    parser.add_argument(
        "--chunk-posts",
        type=int,
        default=60,
        help="posts per analyse task (the sample has ~400: several chunks for two workers)",
    )
    parser.add_argument("--window-hours", type=float, default=336, help="the run's window (336: the whole sample)")
    parser.add_argument("--logical-date", help="ISO date-time of the run (default: now, to the minute)")
    parser.add_argument("--staging", help="staging folder (default: config/pipeline.yaml's)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds to wait for the run")
    args = parser.parse_args(argv)

    home = Path(os.environ.get("AIRFLOW_HOME") or REPO / ".airflow").resolve()
    logs = home / "logs" / "celery"
    logs.mkdir(parents=True, exist_ok=True)
    stack = Stack(home, logs)
    began = time.monotonic()
    interrupted = False

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    result: dict = {"state": "not_started", "tasks": []}
    try:
        # --- PostgreSQL and Redis ---
        pg = home / "pg"
        password = prepare_postgres(stack, pg)
        pg_port, redis_port, api_port = free_port(), free_port(), free_port()
        sockets = home / "pg-socket"
        sockets.mkdir(exist_ok=True)
        if stack.pg_user:
            os.chown(sockets, stack.pg_user.pw_uid, stack.pg_user.pw_gid)
        stack.start(
            "postgres",
            [
                pg_bin("postgres"),
                "-D",
                str(pg),
                "-p",
                str(pg_port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-k",
                str(sockets),
                "-c",
                "max_connections=200",
            ],
            as_pg=True,
        )
        admin_dsn = f"host=127.0.0.1 port={pg_port} user=airflow password={password} dbname=postgres"
        wait_for("PostgreSQL", lambda: sql(admin_dsn, "SELECT 1"), stack, timeout=60)
        if not sql(admin_dsn, "SELECT 1 FROM pg_database WHERE datname = 'airflow'"):
            sql(admin_dsn, "CREATE DATABASE airflow", fetch=False)
        dsn = admin_dsn.replace("dbname=postgres", "dbname=airflow")
        redis_password = secrets.token_hex(16)
        redis_conf = home / "redis.conf"  # the password in a file, not on a command line `ps` shows
        redis_conf.write_text(
            f'bind 127.0.0.1\nport {redis_port}\nrequirepass {redis_password}\nsave ""\nappendonly no\ndir {home}\n'
        )
        redis_conf.chmod(0o600)
        stack.start("redis", [shutil.which("redis-server") or "/usr/bin/redis-server", str(redis_conf)])

        def redis_up() -> bool:
            import redis

            return redis.Redis(host="127.0.0.1", port=redis_port, password=redis_password).ping()

        wait_for("Redis", redis_up, stack, timeout=30)

        # --- Airflow on them ---
        url = f"http://127.0.0.1:{api_port}"
        db_url = f"postgresql+psycopg2://airflow:{password}@127.0.0.1:{pg_port}/airflow"
        env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db_url,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://:{redis_password}@127.0.0.1:{redis_port}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://airflow:{password}@127.0.0.1:{pg_port}/airflow",
            # one task at a time per worker, and no worker takes more than it runs: the mapped analyse
            # tasks spread over both workers
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
            "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__API__BASE_URL": url,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/",
            "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        }
        if args.check:
            env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] = "True"
            env["AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE"] = "False"
        config = pipeline_config(home, args.staging)
        if config:
            env["SIAGA_PIPELINE_CONFIG"] = config
        airflow = str(BIN / "airflow")
        say(f"PostgreSQL 127.0.0.1:{pg_port} ({pg}), Redis 127.0.0.1:{redis_port}; airflow db migrate ...")
        run_cli([airflow, "db", "migrate"], env, logs / "db_migrate.log")
        run_cli(
            [airflow, "pools", "set", "siaga_warehouse", "1", "DuckDB warehouse: one writer at a time"],
            env,
            logs / "pools.log",
        )
        stack.start("api-server", [airflow, "api-server", "--port", str(api_port)], env)
        stack.start("dag-processor", [airflow, "dag-processor"], env)
        for name, queues in WORKERS.items():
            # the worker's own name reaches its task instances' hostname (siaga.worker_hostname)
            worker_env = {
                **env,
                "SIAGA_WORKER_NAME": f"{name}@{socket.gethostname()}",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "tools"), env.get("PYTHONPATH")])),
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": "celery_stack.worker_hostname",
            }
            stack.start(
                name,
                [
                    airflow,
                    "celery",
                    "worker",
                    "-H",
                    f"{name}@%h",
                    "-q",
                    queues,
                    "--concurrency",
                    "1",
                    "--skip-serve-logs",
                ],
                worker_env,
            )

        def api_up() -> bool:
            import urllib.request

            with urllib.request.urlopen(f"{url}/api/v2/monitor/health", timeout=2) as answer:
                return answer.status == 200

        wait_for("the api-server", api_up, stack)
        wait_for(
            f"the DAG {DAG_ID}",
            lambda: sql(dsn, "SELECT 1 FROM dag WHERE dag_id = %s AND is_stale IS NOT TRUE", (DAG_ID,)),
            stack,
        )
        # The check runs this one DAG run alone (the other DAGs paused, no scheduled runs), so its counts
        # are those of one run; run-celery schedules every DAG, as `make run` does.
        sql(dsn, "UPDATE dag SET is_paused = %s AND dag_id <> %s", (args.check, DAG_ID), fetch=False)
        stack.start("scheduler", [airflow, "scheduler", "--skip-serve-logs"], env)
        say(f"Airflow (CeleryExecutor) at {url}, workers: " + ", ".join(f"{n} [{q}]" for n, q in WORKERS.items()))

        # --- one run ---
        logical = args.logical_date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:00+00:00")
        conf = {"window_hours": args.window_hours, "chunk_posts": args.chunk_posts}
        run_id = f"celery_check__{logical}"
        existing = sql(dsn, "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", (DAG_ID, run_id))
        if existing:
            run_cli([airflow, "tasks", "clear", DAG_ID, "-y", "-s", logical, "-e", logical], env, logs / "clear.log")
        else:
            run_cli(
                [airflow, "dags", "trigger", DAG_ID, "-r", run_id, "-l", logical, "-c", json.dumps(conf)],
                env,
                logs / "trigger.log",
            )
        say(f"{DAG_ID} triggered: run {run_id}, conf {json.dumps(conf)}; waiting ...")
        deadline = time.monotonic() + args.timeout
        state = None
        while time.monotonic() < deadline:
            stack.check_alive()
            rows = sql(dsn, "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", (DAG_ID, run_id))
            state = rows[0][0] if rows else None
            if state in FINISHED:
                break
            time.sleep(2)
        span = sql(
            dsn,
            "SELECT EXTRACT(EPOCH FROM end_date - start_date) FROM dag_run WHERE dag_id = %s AND run_id = %s",
            (DAG_ID, run_id),
        )
        tis = sql(
            dsn,
            "SELECT task_id, map_index, hostname, state, queue, "
            "EXTRACT(EPOCH FROM end_date - start_date) FROM task_instance "
            "WHERE dag_id = %s AND run_id = %s ORDER BY start_date NULLS LAST, task_id, map_index",
            (DAG_ID, run_id),
        )
        say("task                 map  worker                          state     queue      seconds")
        for task_id, map_index, host, ti_state, queue, seconds in tis:
            say(
                f"{task_id:<20} {map_index:>3}  {host or '-':<31} {ti_state or '-':<9} {queue or '-':<10} "
                f"{float(seconds or 0):7.2f}"
            )
        counts = json.loads(run_cli([str(BIN / "siaga"), "stats"], env, logs / "stats.log")) if state else None
        result = {
            "state": state or "timeout",
            "tasks": [
                {"task_id": t, "map_index": m, "worker": h, "state": s, "queue": q, "seconds": round(float(d or 0), 3)}
                for t, m, h, s, q, d in tis
            ],
            "run_id": run_id,
            # the run itself, from its start to its end (the stack's start-up not counted)
            "run_seconds": round(float(span[0][0]), 3) if span and span[0][0] is not None else None,
            "logical_date": logical,
            "conf": conf,
            "executor": "CeleryExecutor",
            "counts": counts,
            "warehouse": os.environ.get("SIAGA_WAREHOUSE"),
        }
        if not args.check:
            say(
                f"\nAirflow and the Kutim Siaga UI keep running at {url} (UI: {url}/siaga/); log in as "
                f"'moderator' or 'humas', passwords in {home / 'simple_auth_manager_passwords.json.generated'}. "
                "Ctrl-C stops everything."
            )
            say(json.dumps(result, default=str))
            while True:
                stack.check_alive()
                time.sleep(2)
    except KeyboardInterrupt:
        interrupted = True
    except RuntimeError as exc:
        result["error"] = str(exc)[-2000:]
        result["state"] = result.get("state") if result.get("state") != "not_started" else "error"
    finally:
        stack.stop()
        say("every process of the stack stopped")
    if interrupted and not args.check:
        return 0
    result["seconds"] = round(time.monotonic() - began, 1)
    print(json.dumps(result, default=str), flush=True)
    return 0 if result["state"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
