#!/usr/bin/python3
"""A stand-in Odoo 18 for the tests: real HTTP JSON-RPC, real PostgreSQL rows (see README.md here).

Odoo cannot run on the test machines, so this server answers the calls cadang makes the way Odoo 18
does, failures included, on a database loaded with shared/pos/odoo18.sql.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import traceback
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psycopg2  # noqa: E402  (Debian's python3-psycopg2)
import psycopg2.errors  # noqa: E402
import psycopg2.extensions  # noqa: E402
import psycopg2.pool  # noqa: E402

from standin_errors import (AccessDenied, AttributeErrorOdoo, KeyErrorOdoo, OdooException,  # noqa: E402
                            OperationalError, TypeErrorOdoo, ValidationError, access_error)
from standin_model import TableInfo  # noqa: E402
from standin_read import search_count, search_kwargs, search_read  # noqa: E402
from standin_seed import seed_orders  # noqa: E402
from standin_sync import Sync  # noqa: E402

RIGHTS = {"pos": {"read", "pos"}, "read": {"read"}, "none": set()}


class User:
    def __init__(self, login, api_key, uid, rights):
        if rights not in RIGHTS:
            raise SystemExit(f"odoo_standin: rights must be one of {', '.join(RIGHTS)}, not {rights!r}")
        self.login, self.api_key, self.uid, self.rights = login, api_key, int(uid), RIGHTS[rights]


class Control:
    """The test knobs: a delay before every RPC answer, one-shot failures, the call counter."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.delay_seconds = 0.0
        self.delay_methods = []
        self.fail_next = []
        self.calls = {}
        self.seconds = {}

    def count(self, name):
        with self.lock:
            self.calls[name] = self.calls.get(name, 0) + 1
            delayed = not self.delay_methods or name in self.delay_methods
            return (self.delay_seconds if delayed else 0.0), (self.fail_next.pop(0) if self.fail_next else None)

    def spent(self, name, seconds):
        with self.lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def snapshot(self):
        with self.lock:
            return {"total": sum(self.calls.values()), "by_method": dict(self.calls),
                    "seconds_by_method": dict(self.seconds)}


class StandIn:
    def __init__(self, conninfo, database, users, early):
        self.database, self.early = database, early
        self.users = {u.login: u for u in users}
        self.by_uid = {u.uid: u for u in users}
        self.pool = psycopg2.pool.ThreadedConnectionPool(1, 16, conninfo)
        self.control = Control()
        self.sessions = {}
        with self.connection() as cur:
            self.tables = {t: TableInfo(cur, t) for t in ("pos_order", "pos_order_line", "pos_payment")}
            for user in users:
                ensure_user(cur, user)

    def connection(self):
        standin = self

        class Borrowed:
            def __enter__(self):
                self.conn = standin.pool.getconn()
                return self.conn.cursor()

            def __exit__(self, kind, value, tb):
                if kind is None:
                    self.conn.commit()
                else:
                    self.conn.rollback()
                standin.pool.putconn(self.conn)
                return False

        return Borrowed()

    # -- services -------------------------------------------------------------------------------
    def dispatch(self, service, method, args):
        if service == "common":
            if method in ("login", "authenticate"):
                db, login, key = args[0], args[1], args[2]
                self.check_database(db)
                user = self.users.get(login)
                return user.uid if user and user.api_key == key else False
            if method == "version":
                return {"server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""],
                        "server_serie": "18.0", "protocol_version": 1}
        if service == "db" and method == "list":
            return [self.database]
        if service == "object" and method in ("execute_kw", "execute"):
            if len(args) < 5:
                raise TypeErrorOdoo(f"{method}() missing required positional arguments")
            db, uid, key, model, name = args[:5]
            self.check_database(db)
            user = self.by_uid.get(uid)
            if user is None or user.api_key != key:
                raise AccessDenied()
            if method == "execute_kw":
                call_args = args[5] if len(args) > 5 else []
                kwargs = args[6] if len(args) > 6 else {}
            else:
                call_args, kwargs = list(args[5:]), {}
            return self.call(user, model, name, call_args, kwargs or {})
        raise AttributeErrorOdoo(f"The method '{service}.{method}' does not exist")

    def check_database(self, db):
        if db != self.database:
            raise OperationalError(f'connection to server failed: FATAL:  database "{db}" does not exist')

    def call(self, user, model, method, args, kwargs):
        if model != "pos.order":
            raise KeyErrorOdoo(repr(model))
        info = self.tables["pos_order"]
        kwargs = {k: v for k, v in kwargs.items() if k != "context"}
        if method in ("search_read", "search_count", "search", "read"):
            if "read" not in user.rights:
                raise access_error("read", "Point of Sale Orders", model)
            with self.connection() as cur:
                if method == "search_read":
                    params = search_kwargs(args, kwargs, ["domain", "fields", "offset", "limit", "order"])
                    return search_read(cur, info, params)
                if method == "search_count":
                    return search_count(cur, info, search_kwargs(args, kwargs, ["domain", "limit"]))
                if method == "search":
                    params = search_kwargs(args, kwargs, ["domain", "offset", "limit", "order"])
                    params["fields"] = ["id"]
                    return [r["id"] for r in search_read(cur, info, params)]
                params = search_kwargs(args, kwargs, ["ids", "fields", "load"])
                ids = params.pop("ids", [])
                params["domain"] = [["id", "in", ids if isinstance(ids, list) else [ids]]]
                return search_read(cur, info, params, params.pop("load", "_classic_read"))
        if method == "sync_from_ui":
            if "pos" not in user.rights:
                raise access_error("create", "Point of Sale Orders", model)
            params = search_kwargs(args, kwargs, ["orders"])
            try:
                with self.connection() as cur:
                    return Sync(cur, self.tables, user.uid, self.early).run(params.get("orders"))
            except psycopg2.IntegrityError as error:
                # Odoo turns a constraint violation into a ValidationError naming the constraint.
                raise ValidationError(f"The operation cannot be completed: {error.pgerror or error}") from error
        raise AttributeErrorOdoo(f"The method '{method}' does not exist on the model '{model}'")


def ensure_user(cur, user):
    """A res_users row for every configured uid: orders point at it (create_uid, user_id are FKs)."""
    cur.execute("SELECT 1 FROM res_users WHERE id = %s", (user.uid,))
    if cur.fetchone():
        return
    cur.execute("INSERT INTO res_partner (name, complete_name, type, email, active, is_company, employee, "
                "partner_share, company_id) VALUES (%s, %s, 'contact', %s, true, false, false, false, 1) RETURNING id",
                (user.login, user.login, user.login))
    partner = cur.fetchone()[0]
    cur.execute("INSERT INTO res_users (id, partner_id, company_id, login, notification_type, active, share, "
                "create_date, write_date) VALUES (%s, %s, 1, %s, 'email', true, false, now(), now())",
                (user.uid, partner, user.login))
    cur.execute("SELECT setval('res_users_id_seq', GREATEST((SELECT max(id) FROM res_users), 1))")


def error_body(request_id, exc, code=200, message="Odoo Server Error"):
    name = exc.odoo_name if isinstance(exc, OdooException) else f"builtins.{type(exc).__name__}"
    text = exc.message if isinstance(exc, OdooException) else str(exc)
    return {"jsonrpc": "2.0", "id": request_id,
            "error": {"code": code, "message": message,
                      "data": {"name": name, "debug": traceback.format_exc(), "message": text,
                               "arguments": [text], "context": {}}}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Odoo's werkzeug server behind a proxy offers
    server_version = "Werkzeug/3.0.1"
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK (40 ms a call), a latency of this server, not of Odoo's.
    disable_nagle_algorithm = True
    standin: StandIn = None
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("odoo_standin: " + (fmt % args) + "\n")

    def send(self, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw or b"{}")

    def do_GET(self):
        if self.path == "/__standin/calls":
            return self.send(200, self.standin.control.snapshot())
        if self.path == "/web/webclient/version_info":
            return self.send(200, {"jsonrpc": "2.0", "id": None, "result": self.standin.dispatch("common", "version", [])})
        self.send(404, b"<h1>Not Found</h1>", "text/html")

    def do_POST(self):
        try:
            body = self.read_json()
        except (ValueError, UnicodeDecodeError):
            return self.send(400, b"<h1>Bad Request</h1>", "text/html")
        if self.path == "/__standin/control":
            return self.control(body)
        if not isinstance(body, dict):
            return self.send(400, b"<h1>Bad Request</h1>", "text/html")
        request_id, params = body.get("id"), body.get("params") or {}
        if self.path == "/jsonrpc":
            name = f"{params.get('service')}.{params.get('method')}"
            if name in ("object.execute_kw", "object.execute") and len(params.get("args") or []) >= 5:
                name = f"{params['args'][3]}.{params['args'][4]}"
            return self.answer(name, request_id,
                               lambda: self.standin.dispatch(params.get("service"), params.get("method"),
                                                             params.get("args") or []))
        if self.path == "/web/session/authenticate":
            return self.answer("web.session.authenticate", request_id, lambda: self.authenticate(params))
        if self.path.startswith("/web/dataset/call_kw"):
            name = f"{params.get('model')}.{params.get('method')}"
            return self.answer(name, request_id, lambda: self.call_kw(params))
        self.send(404, b"<h1>Not Found</h1>", "text/html")

    def answer(self, name, request_id, work):
        delay, failure = self.standin.control.count(name)
        if delay:
            time.sleep(delay)
        if failure == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if failure == "http_500":
            return self.send(500, b"<html><body><h1>Internal Server Error</h1></body></html>", "text/html")
        if failure == "garbage":
            return self.send(200, b"<html>not json</html>", "text/html")
        if isinstance(failure, dict):
            exc = OdooException(failure.get("message", "injected failure"))
            exc.odoo_name = failure.get("name", "odoo.exceptions.UserError")
            return self.send(200, error_body(request_id, exc))
        started = time.perf_counter()
        try:
            self.work(request_id, work)
        finally:
            self.standin.control.spent(name, time.perf_counter() - started)

    def work(self, request_id, work):
        """Does the call and answers it: the stand-in's own time for it (`seconds_by_method`)."""
        self.cookie = None
        try:
            result = work()
        except Exception as exc:  # every error goes back in Odoo's shape, as Odoo's dispatcher does
            if self.verbose:
                traceback.print_exc()
            return self.send(200, error_body(request_id, exc))
        headers = [("Set-Cookie", f"session_id={self.cookie}; HttpOnly; Path=/")] if self.cookie else []
        self.send(200, {"jsonrpc": "2.0", "id": request_id, "result": result}, headers=headers)

    def authenticate(self, params):
        standin = self.standin
        standin.check_database(params.get("db"))
        user = standin.users.get(params.get("login"))
        if user is None or user.api_key != params.get("password"):
            raise AccessDenied()
        self.cookie = uuidlib.uuid4().hex
        standin.sessions[self.cookie] = user
        return {"uid": user.uid, "db": standin.database, "username": user.login, "server_version": "18.0"}

    def call_kw(self, params):
        cookie = ""
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == "session_id":
                cookie = value
        user = self.standin.sessions.get(cookie)
        if user is None:
            exc = OdooException("Session expired")
            exc.odoo_name = "odoo.http.SessionExpiredException"
            raise exc
        return self.standin.call(user, params.get("model"), params.get("method"),
                                 params.get("args") or [], params.get("kwargs") or {})

    def control(self, body):
        control = self.standin.control
        with control.lock:
            if body.get("reset"):
                control.reset()
            if body.get("reset_calls"):
                control.calls = {}
            if "delay_seconds" in body:
                control.delay_seconds = float(body["delay_seconds"])
                control.delay_methods = list(body.get("delay_methods") or [])
            if "fail_next" in body:
                failures = body["fail_next"]
                control.fail_next.extend(failures if isinstance(failures, list) else [failures])
        if "sql" in body:
            with self.standin.connection() as cur:
                cur.execute(body["sql"])
                rows = cur.fetchall() if cur.description else []
            return self.send(200, {"rows": [[str(v) if v is not None else None for v in r] for r in rows]})
        self.send(200, {"ok": True})


def create_database(conninfo, name, schema, uuid_unique, early, replace):
    admin = psycopg2.connect(conninfo)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone():
            if not replace:
                raise SystemExit(f"odoo_standin: database {name!r} exists (add --replace-db to drop it first)")
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    target = psycopg2.extensions.make_dsn(conninfo, dbname=name)
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", schema]
    if uuid_unique:
        command[4:4] = ["-v", "uuid_unique=1"]
    if early:
        command[4:4] = ["-v", "odoo18_early=1"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"odoo_standin: loading {schema} failed: {done.stderr.strip()}")
    return target


def parse_users(args):
    users = []
    if args.users:
        with open(args.users) as f:
            for entry in json.load(f):
                users.append(User(entry["login"], entry["api_key"], entry["uid"], entry.get("rights", "pos")))
    for spec in args.user or []:
        parts = spec.split(":")
        if len(parts) not in (3, 4):
            raise SystemExit(f"odoo_standin: --user wants LOGIN:API_KEY:UID[:pos|read|none], not {spec!r}")
        users.append(User(parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else "pos"))
    if not users:
        users.append(User("admin", "admin-key", 2, "pos"))
    return users


def main():
    parser = argparse.ArgumentParser(description="A stand-in Odoo 18 JSON-RPC server on a real PostgreSQL.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed as 'listening on PORT')")
    parser.add_argument("--conninfo", default=os.environ.get("CADANG_TEST_POSTGRES", ""),
                        help="libpq string of the PostgreSQL server (default $CADANG_TEST_POSTGRES)")
    parser.add_argument("--database", help="an existing database loaded with odoo18.sql")
    parser.add_argument("--create-db", metavar="NAME", help="create database NAME and load --schema into it")
    parser.add_argument("--replace-db", action="store_true", help="with --create-db: drop NAME first if it exists")
    parser.add_argument("--schema", help="odoo18.sql")
    parser.add_argument("--uuid-unique", action="store_true", help="load with -v uuid_unique=1")
    parser.add_argument("--early", action="store_true",
                        help="point_of_sale 1.0.1: load with -v odoo18_early=1; sync_from_ui returns nothing for an order already paid")
    parser.add_argument("--seed-orders", type=int, default=0, metavar="N", help="insert N pos_order rows first")
    parser.add_argument("--users", metavar="FILE", help='JSON: [{"login","api_key","uid","rights":"pos|read|none"}]')
    parser.add_argument("--user", action="append", metavar="LOGIN:API_KEY:UID[:RIGHTS]")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    if bool(args.create_db) == bool(args.database):
        parser.error("give exactly one of --create-db NAME (with --schema) or --database NAME")
    if args.create_db:
        if not args.schema:
            parser.error("--create-db needs --schema PATH")
        conninfo = create_database(args.conninfo, args.create_db, args.schema, args.uuid_unique, args.early,
                                   args.replace_db)
        database = args.create_db
    else:
        database = args.database
        conninfo = psycopg2.extensions.make_dsn(args.conninfo, dbname=database)
    if args.seed_orders:
        conn = psycopg2.connect(conninfo)
        with conn, conn.cursor() as cur:
            seed_orders(cur, args.seed_orders)
        conn.close()

    Handler.standin = StandIn(conninfo, database, parse_users(args), args.early)
    Handler.verbose = args.verbose
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
