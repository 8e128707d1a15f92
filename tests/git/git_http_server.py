#!/usr/bin/env python3
"""Serves the Git repositories under --root over smart HTTP(S) on a free loopback port, for
tests: each request is handed to `git http-backend` as a CGI program. With --user and
--password, requests must carry that basic authentication; with --cert and --key, the server
speaks TLS; --delay-ms slows every answer down. The chosen port is written to --port-file once the server listens."""

import argparse
import base64
import http.server
import os
import ssl
import subprocess
import time


class GitHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def reply(self, code, headers, payload):
        self.log_request(code)
        phrase = self.responses.get(code, ("",))[0]
        head = f"HTTP/1.1 {code} {phrase}\r\n"
        for name, value in headers + [("Content-Length", str(len(payload)))]:
            head += f"{name}: {value}\r\n"
        self.wfile.write(head.encode("latin-1") + b"\r\n" + payload)

    def serve(self):
        body = self.read_body()
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.auth and self.headers.get("Authorization") != self.server.auth:
            self.reply(401, [("WWW-Authenticate", 'Basic realm="git"')], b"unauthorized\n")
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_USER": self.server.user or "",
        }
        for name in ("Content-Encoding", "Git-Protocol"):
            if self.headers.get(name):
                env["HTTP_" + name.upper().replace("-", "_")] = self.headers[name]
        out = subprocess.run(["git", "http-backend"], input=body, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        ends = [i for i in (out.find(b"\r\n\r\n"), out.find(b"\n\n")) if i >= 0]
        end = min(ends) if ends else len(out)
        head = out[:end].decode("latin-1")
        payload = out[end + (4 if out[end:end + 4] == b"\r\n\r\n" else 2):] if ends else b""
        code = 200
        headers = []
        for line in head.splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                code = int(value.strip().split()[0])
            elif name:
                headers.append((name.strip(), value.strip()))
        self.reply(code, headers, payload)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GitHandler)
    server.daemon_threads = True
    server.root = os.path.abspath(args.root)
    server.user = args.user
    server.delay = args.delay_ms / 1000.0
    server.auth = None
    if args.user is not None:
        token = base64.b64encode(f"{args.user}:{args.password or ''}".encode()).decode()
        server.auth = "Basic " + token
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
