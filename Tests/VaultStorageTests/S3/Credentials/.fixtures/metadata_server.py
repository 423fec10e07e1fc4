#!/usr/bin/env python3
"""Stand-in for the two AWS credential endpoints that exist only inside AWS: the ECS/EKS container credential
agent and EC2 instance metadata (IMDSv2). The Swift tests start it on 127.0.0.1 (port 0, printed as "PORT n" on
stdout) because there is no other way to exercise those endpoints on this machine. Stdlib only.

  GET  /container/credentials                      container agent; requires "Authorization: <--container-token>"
  PUT  /latest/api/token                           IMDSv2 session token; requires X-aws-ec2-metadata-token-ttl-seconds
  GET  /latest/meta-data/iam/security-credentials/ role name; requires X-aws-ec2-metadata-token
  GET  /latest/meta-data/iam/security-credentials/<role>  credential JSON for --role
  GET  /__requests                                 JSON list of the requests seen so far (method, path)

Every credential document carries a new AccessKeyId (a counter), so a refresh is visible to the tests."""
import argparse
import datetime
import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--container-token", default="container-secret-token")
parser.add_argument("--role", default="pgvault-test-role")
parser.add_argument("--ttl", type=int, default=3600, help="seconds until the served credentials expire")
args = parser.parse_args()

counter = itertools.count(1)
imds_tokens = set()
requests_seen = []
lock = threading.Lock()


def credential_document(with_code):
    number = next(counter)
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.ttl)
    document = {
        "AccessKeyId": f"ASIAFIXTURE{number:09d}",
        "SecretAccessKey": f"fixture-secret-{number}-abcdefghijklmnop",
        "Token": f"fixture-session-token-{number}",
        "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if with_code:
        document.update({"Code": "Success", "Type": "AWS-HMAC", "LastUpdated": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return json.dumps(document)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        with lock:
            requests_seen.append({"method": self.command, "path": self.path})
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def imds_token_valid(self):
        with lock:
            return self.headers.get("X-aws-ec2-metadata-token") in imds_tokens

    def do_PUT(self):
        self.record()
        if self.path != "/latest/api/token":
            return self.reply(404, "not found")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(400, "missing ttl header")
        token = f"imds-session-{next(counter)}"
        with lock:
            imds_tokens.add(token)
        self.reply(200, token)

    def do_GET(self):
        if self.path == "/__requests":
            with lock:
                return self.reply(200, json.dumps(requests_seen), "application/json")
        self.record()
        if self.path == "/container/credentials":
            if self.headers.get("Authorization") != args.container_token:
                return self.reply(401, "bad authorization")
            return self.reply(200, credential_document(False), "application/json")
        prefix = "/latest/meta-data/iam/security-credentials/"
        if self.path.startswith(prefix):
            if not self.imds_token_valid():
                return self.reply(401, "")
            role = self.path[len(prefix):]
            if role == "":
                return self.reply(200, args.role + "\n")
            if role == args.role:
                return self.reply(200, credential_document(True), "application/json")
        self.reply(404, "not found")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"PORT {server.server_address[1]}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
