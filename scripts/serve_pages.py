#!/usr/bin/env python3
"""A local HTTP server for fetch checks (127.0.0.1 only), standard library only.

    serve_pages.py PAGES_DIR PORT_FILE STATS_FILE

Serves PAGES_DIR/<name> at /<name> and also at /c<N>/<name> (any N), so one
folder of pages can stand for a list of any length. Writes the port it got to
PORT_FILE, and on SIGTERM writes to STATS_FILE the requests it served, the
most it handled at once, and the least gap between two request starts.
Content-Type is text/html without a charset, as `python3 -m http.server` sends.
"""
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

pages, port_file, stats_file = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
stats = {"requests": 0, "inflight": 0, "max_inflight": 0, "starts": []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        with lock:
            stats["requests"] += 1
            stats["inflight"] += 1
            stats["max_inflight"] = max(stats["max_inflight"], stats["inflight"])
            stats["starts"].append(time.monotonic())
        try:
            name = self.path.split("?")[0].rsplit("/", 1)[-1]
            path = os.path.join(pages, name)
            if not name or not os.path.isfile(path):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with lock:
                stats["inflight"] -= 1


def stop(*_):
    starts = sorted(stats["starts"])
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    with open(stats_file, "w") as f:
        f.write(
            f"requests {stats['requests']} max_inflight {stats['max_inflight']} "
            f"min_gap_ms {min(gaps) * 1000 if gaps else 0:.1f}\n"
        )
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
