#!/usr/bin/env python3
"""Fault-injecting HTTP proxy for the S3 integration tests and the request-count benchmark. Python 3 stdlib only.

Listens on 127.0.0.1 only and forwards every request to an upstream S3 server (moto) on loopback, keeping the
Host header byte-exact so SigV4 signatures stay valid. On a configurable share of requests it injects one of:

  500     HTTP 500 InternalError (S3 XML body); the request is not forwarded
  503     HTTP 503 SlowDown with "Retry-After: <--retry-after>"; not forwarded
  reset   the request is forwarded, then the response is cut mid-body (half the body, or half the header bytes
          when the body is empty) and the connection is reset with a TCP RST
  stall   no answer for --stall-seconds, then a reset; the request is not forwarded

It counts requests per method, per S3 operation and per fault. The counts (JSON) are written to --counts-file on
SIGUSR1, on SIGTERM/SIGINT before exiting, and on a POST to the control path; GET of the control path returns them.

Control path (never forwarded, never counted; S3 bucket names cannot contain "_", so no path-style request
collides with it):
  GET  /__fault_proxy__/counts                       the counts as JSON
  POST /__fault_proxy__/counts                       write the counts file now (and return the counts)
  POST /__fault_proxy__/reset                        zero the counts
  POST /__fault_proxy__/config?fault-rate=R&faults=500,reset&fault-methods=PUT&retry-after=S&stall-seconds=S

Usage:
  s3_fault_proxy.py --upstream http://127.0.0.1:PORT [--port 0] [--port-file F] [--fault-rate 0.1]
                    [--faults 500,503,reset,stall] [--fault-methods GET,PUT,...] [--retry-after 1]
                    [--stall-seconds 30] [--seed N] [--counts-file F]
Prints "PORT n" on stdout once listening (and writes n to --port-file).
"""
import argparse
import ipaddress
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULT_KINDS = ("500", "503", "reset", "stall")
CONTROL_PREFIX = "/__fault_proxy__/"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "expect", "proxy-connection"}
CHUNK = 64 * 1024


def parse_faults(text):
    kinds = [kind.strip() for kind in text.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in FAULT_KINDS]
    if unknown or not kinds:
        raise ValueError(f"faults must be a comma list of {','.join(FAULT_KINDS)}, got '{text}'")
    return kinds


def parse_rate(text):
    rate = float(text)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"fault rate must be within 0..1, got {text}")
    return rate


def is_loopback(host):
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP))
    except (socket.gaierror, ValueError):
        return False


class Settings:
    """What the proxy injects; changed at runtime through the control path, read under the state lock."""

    def __init__(self, args):
        self.rate = parse_rate(str(args.fault_rate))
        self.faults = parse_faults(args.faults)
        self.methods = {m.strip().upper() for m in args.fault_methods.split(",") if m.strip()} or None
        self.retry_after = args.retry_after
        self.stall_seconds = args.stall_seconds


class State:
    """Counts and the fault decision, shared by the handler threads."""

    def __init__(self, settings, seed, counts_file):
        self.lock = threading.Lock()
        self.settings = settings
        self.random = random.Random(seed)
        self.counts_file = counts_file
        self.request_number = 0
        self.reset_counts()

    def reset_counts(self):
        self.methods = {}
        self.operations = {}
        self.faults = {}
        self.total = 0
        self.passed = 0

    def admit(self, method, operation):
        """Counts a request and returns (request number, fault kind or None)."""
        with self.lock:
            self.request_number += 1
            self.total += 1
            self.methods[method] = self.methods.get(method, 0) + 1
            self.operations[operation] = self.operations.get(operation, 0) + 1
            settings = self.settings
            eligible = settings.methods is None or method in settings.methods
            fault = None
            if eligible and settings.rate > 0 and self.random.random() < settings.rate:
                fault = self.random.choice(settings.faults)
                self.faults[fault] = self.faults.get(fault, 0) + 1
            else:
                self.passed += 1
            return self.request_number, fault

    def snapshot(self):
        with self.lock:
            return {"total": self.total, "passed": self.passed, "methods": dict(sorted(self.methods.items())),
                    "operations": dict(sorted(self.operations.items())), "faults": dict(sorted(self.faults.items())),
                    "fault_rate": self.settings.rate, "fault_kinds": list(self.settings.faults)}

    def write_counts(self):
        if not self.counts_file:
            return
        temporary = f"{self.counts_file}.tmp.{os.getpid()}"
        with open(temporary, "w") as out:
            json.dump(self.snapshot(), out, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(temporary, self.counts_file)


def s3_operation(method, path, query, headers):
    """The S3 API operation a request is, from method, query keys and whether the path names a key."""
    keys = set(query)
    host = (headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(host)
        path_style = True
    except ValueError:
        path_style = host in ("localhost", "") or "." not in host
    parts = path.lstrip("/").split("/", 1)
    has_key = (len(parts) == 2 and parts[1] != "") if path_style else path not in ("", "/")
    if method == "POST":
        if "uploads" in keys:
            return "CreateMultipartUpload"
        if "uploadId" in keys:
            return "CompleteMultipartUpload"
        if "delete" in keys:
            return "DeleteObjects"
        return "Post"
    if method == "PUT":
        if "uploadId" in keys:
            return "UploadPart"
        if not has_key:
            return "CreateBucket"
        return "CopyObject" if "x-amz-copy-source" in {k.lower() for k in headers.keys()} else "PutObject"
    if method == "DELETE":
        if "uploadId" in keys:
            return "AbortMultipartUpload"
        return "DeleteObject" if has_key else "DeleteBucket"
    if method == "HEAD":
        return "HeadObject" if has_key else "HeadBucket"
    if method == "GET":
        if "uploadId" in keys:
            return "ListParts"
        if "uploads" in keys:
            return "ListMultipartUploads"
        if has_key:
            return "GetObject"
        if "list-type" in keys:
            return "ListObjectsV2"
        if "location" in keys:
            return "GetBucketLocation"
        return "ListObjects"
    return method


def error_xml(code, message, number):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>"
            f"<RequestId>fault-proxy-{number}</RequestId></Error>").encode()


def make_handler(state, upstream_host, upstream_port, stop_event):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "s3-fault-proxy"
        sys_version = ""

        def log_message(self, *_):
            pass

        def do_GET(self):
            self.handle_request()

        do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

        # --- request plumbing -------------------------------------------------------------------------------------

        def read_body(self):
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                body = bytearray()
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return bytes(body)
                    body += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def send_simple(self, status, body, extra_headers=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            for name, value in extra_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def reset_connection(self):
            """Ends the connection with a TCP RST (SO_LINGER 0), not an orderly FIN."""
            try:
                self.wfile.flush()
            except OSError:
                pass
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            self.close_connection = True

        # --- control path -----------------------------------------------------------------------------------------

        def handle_control(self, path, query):
            action = path[len(CONTROL_PREFIX):]
            try:
                if action == "counts" and self.command == "GET":
                    pass
                elif action == "counts" and self.command == "POST":
                    state.write_counts()
                elif action == "reset" and self.command == "POST":
                    with state.lock:
                        state.reset_counts()
                elif action == "config" and self.command == "POST":
                    with state.lock:
                        settings = state.settings
                        if "fault-rate" in query:
                            settings.rate = parse_rate(query["fault-rate"][0])
                        if "faults" in query:
                            settings.faults = parse_faults(query["faults"][0])
                        if "fault-methods" in query:
                            methods = {m.strip().upper() for m in query["fault-methods"][0].split(",") if m.strip()}
                            settings.methods = methods or None
                        if "retry-after" in query:
                            settings.retry_after = int(query["retry-after"][0])
                        if "stall-seconds" in query:
                            settings.stall_seconds = float(query["stall-seconds"][0])
                else:
                    return self.send_json(404, {"error": f"unknown control request {self.command} {path}"})
            except ValueError as error:
                return self.send_json(400, {"error": str(error)})
            self.send_json(200, state.snapshot())

        def send_json(self, status, document):
            body = (json.dumps(document, sort_keys=True) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        # --- forwarding and faults --------------------------------------------------------------------------------

        def handle_request(self):
            body = self.read_body()
            split = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
            if split.path.startswith(CONTROL_PREFIX):
                return self.handle_control(split.path, query)
            number, fault = state.admit(self.command, s3_operation(self.command, split.path, query, self.headers))
            with state.lock:
                retry_after = state.settings.retry_after
                stall_seconds = state.settings.stall_seconds
            if fault == "500":
                return self.send_simple(500, error_xml("InternalError", "We encountered an internal error. "
                                                       "Please try again.", number))
            if fault == "503":
                return self.send_simple(503, error_xml("SlowDown", "Please reduce your request rate.", number),
                                        [("Retry-After", str(retry_after))])
            if fault == "stall":
                stop_event.wait(stall_seconds)
                return self.reset_connection()
            self.forward(body, number, cut=(fault == "reset"))

        def forward(self, body, number, cut):
            upstream = HTTPConnection(upstream_host, upstream_port, timeout=300)
            try:
                upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        upstream.putheader(name, value)
                if body or self.headers.get("Content-Length") is not None or self.command in ("PUT", "POST"):
                    upstream.putheader("Content-Length", str(len(body)))
                upstream.endheaders(body if body else None)
                response = upstream.getresponse()
            except OSError as error:
                upstream.close()
                return self.send_simple(502, error_xml("BadGateway", f"upstream unreachable: {error}", number))
            try:
                self.relay(response, cut)
            finally:
                upstream.close()

        def relay(self, response, cut):
            no_body = self.command == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200
            length_header = response.getheader("Content-Length")
            if no_body:
                payload, length = None, None
            elif length_header is not None:
                payload, length = None, int(length_header)
            else:
                payload = response.read()
                length = len(payload)
            header_lines = [f"HTTP/1.1 {response.status} {response.reason}\r\n"]
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    header_lines.append(f"{name}: {value}\r\n")
            if no_body:
                if length_header is not None:
                    header_lines.append(f"Content-Length: {length_header}\r\n")
            else:
                header_lines.append(f"Content-Length: {length}\r\n")
            header_lines.append("\r\n")
            head = "".join(header_lines).encode("latin-1")
            body_length = 0 if no_body else length
            if cut and body_length < 2:
                self.wfile.write(head[: len(head) // 2])
                return self.reset_connection()
            self.wfile.write(head)
            if no_body:
                return
            limit = body_length // 2 if cut else body_length
            if payload is not None:
                self.wfile.write(payload[:limit])
            else:
                sent = 0
                while sent < limit:
                    chunk = response.read(min(CHUNK, limit - sent))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    sent += len(chunk)
            if cut:
                self.reset_connection()

    return Handler


def main():
    parser = argparse.ArgumentParser(description="fault-injecting S3 proxy (loopback only)")
    parser.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the S3 server")
    parser.add_argument("--port", type=int, default=0, help="listen port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="write the listen port here once listening")
    parser.add_argument("--fault-rate", default="0", help="share of requests that fault, 0..1")
    parser.add_argument("--faults", default=",".join(FAULT_KINDS), help="comma list of 500,503,reset,stall")
    parser.add_argument("--fault-methods", default="", help="comma list of methods eligible for faults (all)")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of 503 SlowDown")
    parser.add_argument("--stall-seconds", type=float, default=30.0, help="how long a stall holds the connection")
    parser.add_argument("--seed", type=int, help="seed of the fault dice (reproducible runs)")
    parser.add_argument("--counts-file", help="where the counts go on SIGUSR1, exit and control POST")
    args = parser.parse_args()

    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or not upstream.hostname or not upstream.port:
        parser.error(f"--upstream must be http://HOST:PORT, got '{args.upstream}'")
    if not is_loopback(upstream.hostname):
        parser.error(f"--upstream must be a loopback address, got '{upstream.hostname}'")
    try:
        settings = Settings(args)
    except ValueError as error:
        parser.error(str(error))

    state = State(settings, args.seed, args.counts_file)
    stop_event = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", args.port),
                                 make_handler(state, upstream.hostname, upstream.port, stop_event))
    server.daemon_threads = True

    def write_counts(*_):
        state.write_counts()

    def terminate(*_):
        stop_event.set()
        state.write_counts()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGUSR1, write_counts)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)

    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as out:
            out.write(f"{port}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"PORT {port}", flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()


if __name__ == "__main__":
    main()
