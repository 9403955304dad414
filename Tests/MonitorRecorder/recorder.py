#!/usr/bin/env python3
"""A loopback HTTP server that records every request as one JSON line and stops itself.

Usage: recorder.py PORT_FILE LOG_FILE LIFETIME_SECONDS

Answers 200 "OK" to everything except paths starting with /never, which it reads and then never
answers (until it stops), and /fail, which gets 500 — the monitors' slow and broken servers.
"""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
lock = threading.Lock()


class Recorder(BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with lock, open(log_file, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "body": body,
                                  "content_type": self.headers.get("Content-Type"),
                                  "authorization": self.headers.get("Authorization")}) + "\n")
        if self.path.startswith("/never"):
            time.sleep(lifetime)
            return
        status = 500 if self.path.startswith("/fail") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    do_GET = do_POST = do_HEAD = do_PUT = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
threading.Timer(lifetime, server.shutdown).start()
server.serve_forever()
