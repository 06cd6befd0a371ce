"""Helpers for the chat-client integration tests: a chat server written here from issue 12's protocol
text (loopback, unix or abstract sockets), in the flat form or the textbook implementation's nested
`data` form, that records every line it receives. Also raw protocol clients for the other side."""
import json
import os
import socket
import threading
import time


class ChatServer:
    """join → welcome {id} (user_joined to the others; error 409 for a taken name), message → to everyone
    {from, text} (or only sender and recipient with `to`), list → user_list, ping → pong, anything else →
    error 400. `nested`: every field except `type` inside `data`. Thread per client, loopback only."""

    def __init__(self, nested=False, address=("127.0.0.1", 0), family=socket.AF_INET, close_after_welcome=0,
                 greeting=None, tls=None):
        self.nested = nested
        self.family = family
        self.close_after_welcome = close_after_welcome  # drop the first N clients right after welcome
        self.greeting = greeting  # raw lines sent right after welcome (tests of odd input)
        self.tls = None
        if tls:  # (cert, key): every connection speaks TLS
            import ssl
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(*tls)
        self.lock = threading.Lock()
        self.clients = {}  # conn -> name
        self.received = []  # (name or None, decoded object or raw line)
        self.joins = []
        self.next_id = 100
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if family != socket.AF_UNIX:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(address)
        self.sock.listen(64)
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def target(self):
        name = self.sock.getsockname()
        if self.family == socket.AF_UNIX:
            return "@" + name[1:].decode() if isinstance(name, bytes) else f"unix:{name}"
        return f"{name[0]}:{name[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.sock.close()
        with self.lock:
            for conn in list(self.clients):
                _close(conn)

    def encode(self, obj):
        if self.nested:
            fields = {k: v for k, v in obj.items() if k != "type"}
            obj = {"type": obj["type"], "data": fields} if fields else {"type": obj["type"]}
        return (json.dumps(obj) + "\n").encode()

    def send(self, conn, obj):
        try:
            conn.sendall(self.encode(obj))
        except OSError:
            pass

    def broadcast(self, obj, skip=None):
        with self.lock:
            targets = [c for c, n in self.clients.items() if n is not None and c is not skip]
        for conn in targets:
            self.send(conn, obj)

    def messages(self):
        with self.lock:
            return [(n, o) for n, o in self.received if isinstance(o, dict) and o.get("type") == "message"]

    def wait_joined(self, count=1, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.joins) >= count:
                    return list(self.joins)
            time.sleep(0.02)
        raise TimeoutError(f"{count} joins not seen within {timeout}s: {self.joins}")

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.clients[conn] = None
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            if self.tls:
                plain = conn
                conn = self.tls.wrap_socket(plain, server_side=True)
                with self.lock:
                    self.clients[conn] = self.clients.pop(plain)
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if not self._handle(conn, line):
                        return
        except OSError:
            pass
        finally:
            self._leave(conn)

    def _handle(self, conn, line):
        try:
            obj = json.loads(line)
            kind = obj["type"]
        except (ValueError, KeyError, TypeError):
            self.send(conn, {"type": "error", "code": 400, "message": "bad line"})
            return True
        fields = obj.get("data", obj) if isinstance(obj.get("data"), dict) else obj
        with self.lock:
            name = self.clients.get(conn)
            self.received.append((name, {"type": kind, **{k: v for k, v in fields.items() if k != "type"}}))
        if kind == "join":
            return self._join(conn, fields.get("name"))
        if kind == "message" and name:
            out = {"type": "message", "from": name, "text": fields.get("text")}
            if fields.get("to"):
                out["to"] = fields["to"]
                with self.lock:
                    targets = [c for c, n in self.clients.items() if n in (fields["to"], name)]
                for c in targets:
                    self.send(c, out)
            else:
                self.broadcast(out)
        elif kind == "list" and name:
            with self.lock:
                users = sorted(n for n in self.clients.values() if n)
            self.send(conn, {"type": "user_list", "users": users})
        elif kind == "ping":
            self.send(conn, {"type": "pong"})
        elif kind == "pong":
            pass
        else:
            self.send(conn, {"type": "error", "code": 401 if not name else 400, "message": f"cannot {kind}"})
        return True

    def _join(self, conn, name):
        with self.lock:
            taken = name in self.clients.values()
            if not taken:
                self.clients[conn] = name
                self.joins.append(name)
                self.next_id += 1
                ident = self.next_id
        if taken:
            self.send(conn, {"type": "error", "code": 409, "message": "name taken"})
            return True
        self.send(conn, {"type": "welcome", "id": ident})
        self.broadcast({"type": "user_joined", "name": name, "id": ident}, skip=conn)
        for raw in self.greeting or []:
            conn.sendall(raw)
        if self.close_after_welcome > 0:
            self.close_after_welcome -= 1
            return False
        return True

    def _leave(self, conn):
        with self.lock:
            name = self.clients.pop(conn, None)
        _close(conn)
        if name:
            self.broadcast({"type": "user_left", "name": name, "id": 0})


def _close(conn):
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    conn.close()


class RawClient:
    """A protocol client written here: joins, sends lines, reads lines."""

    def __init__(self, target, name):
        host, _, port = target.rpartition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.buf = b""
        self.send({"type": "join", "name": name})
        self.expect("welcome")

    def send(self, obj):
        self.sock.sendall((json.dumps(obj) + "\n").encode())

    def read(self, timeout=10):
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("server closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def expect(self, kind, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            obj = self.read(max(0.1, deadline - time.monotonic()))
            if obj.get("type") == kind:
                return obj

    def close(self):
        _close(self.sock)


def abstract_name():
    return f"nt-chat-{os.getpid()}-{time.monotonic_ns()}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
