"""`cse-graph serve` tried as an attacker would, over real HTTP against a real server process:
SERVICE / SERVICE SILENT / LOAD refused while a local listener sees no connection (and does see
one when an operator allows that endpoint — the control that shows the listener works); foreign
Host and Origin refused; malformed Content-Length answered 400; a trivial query answered while
two runaways hold both general workers; a memory bomb stopped with 507 and the server still
answering; Ctrl-C / SIGTERM leave no traceback and no child process."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .servers import free_port, start_cse_graph, stop

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
BOMB = "SELECT ?a ?c WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


class Listener:
    """A TCP listener on loopback that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(2)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            self.connections.append(data)
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def request(base, path="/sparql", data=None, headers=None, method=None, timeout=30):
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def query(base, q, accept="application/sparql-results+json", timeout=30, **headers):
    return request(base, data=urllib.parse.urlencode({"query": q}).encode(), timeout=timeout,
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **headers})


def children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def server(store):
    proc, base = start_cse_graph("--timeout", "20", "--workers", "2", "--max-memory", "400M")
    yield base
    stop(proc)


# --- SSRF --------------------------------------------------------------------------------------

def ssrf_queries(url):
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o {{ SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE # a comment between the keyword and the IRI\n <{url}> {{ ?s ?p ?o }} }}",
        # LATERAL is Oxigraph syntax rdflib's parser does not know: the tokenizer fallback decides
        f"SELECT * WHERE {{ ?x ?y ?z LATERAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    ]


@pytest.mark.parametrize("i", range(7))
def test_service_is_refused_and_nothing_connects(server, listener, i):
    status, _, body = query(server, ssrf_queries(listener.url)[i])
    assert status == 400 and "SERVICE" in body and "refused" in body, body
    assert listener.connections == []


@pytest.mark.parametrize("body,ctype", [
    (urllib.parse.urlencode({"query": "LOAD <URL>"}), "application/x-www-form-urlencoded"),
    (urllib.parse.urlencode({"update": "LOAD <URL>"}), "application/x-www-form-urlencoded"),
    ("LOAD SILENT <URL> INTO GRAPH <http://example.org/g>", "application/sparql-update"),
    ("LOAD <URL>", "application/sparql-query"),
])
def test_load_is_refused_and_nothing_connects(server, listener, body, ctype):
    status, _, text = request(server, data=body.replace("URL", listener.url).encode(),
                              headers={"Content-Type": ctype})
    assert status == 400 and "LOAD is refused" in text and "fetch a URL" in text, text
    assert listener.connections == []


def test_keywords_in_strings_comments_and_iris_are_not_keywords(server, listener):
    q = (f'SELECT ?s WHERE {{ ?s <http://example.org/SERVICE> "SERVICE <{listener.url}> {{ }}" }} '
         f"# SERVICE <{listener.url}> {{ ?s ?p ?o }}")
    status, _, body = query(server, q)
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    assert listener.connections == []


def test_an_allowed_service_is_called(store, listener):
    """The control: with --allow-service the worker does reach the listener, so the listener
    would have seen the refused queries above had they gone out."""
    seen = len(listener.connections)
    proc, base = start_cse_graph("--allow-service", f"http://127.0.0.1:{listener.port}/", "--timeout", "5")
    try:
        query(base, f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
        deadline = time.time() + 5
        while len(listener.connections) == seen and time.time() < deadline:
            time.sleep(0.1)
        assert len(listener.connections) > seen
        assert listener.connections[-1].startswith(b"POST /sparql")
        other = f"http://127.0.0.1:{free_port()}/sparql"    # not under the allowed prefix
        status, _, body = query(base, f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}")
        assert status == 400 and "allowed: http://127.0.0.1:" in body
    finally:
        stop(proc)
        listener.connections.clear()


# --- Host, Origin, CORS -------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:7878", "127.0.0.1.nip.io", "0.0.0.0", ""])
def test_foreign_host_is_refused(server, host):
    port = server.rsplit(":", 1)[1]
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as s:
        s.sendall(f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 421) and b"boolean" not in reply


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_names_are_answered(server, host):
    port = server.rsplit(":", 1)[1]
    status, _, body = query(server, "ASK {}", Host=f"{host}:{port}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_allow_host_adds_a_name(store):
    proc, base = start_cse_graph("--allow-host", "graph.internal")
    try:
        assert query(base, "ASK {}", Host="graph.internal")[0] == 200
        assert query(base, "ASK {}", Host="other.internal")[0] == 421
    finally:
        stop(proc)


def test_foreign_origin_cannot_post_and_no_cors_by_default(server):
    status, headers, body = query(server, "ASK {}", Origin="https://evil.example")
    assert status == 403 and "origin" in body.lower()
    status, headers, _ = query(server, "ASK {}", Origin=server)
    assert status == 200 and "access-control-allow-origin" not in {k.lower() for k in headers}


def test_cors_only_for_the_named_origin(store):
    proc, base = start_cse_graph("--cors", "https://workbench.example")
    try:
        status, headers, _ = query(base, "ASK {}", Origin="https://workbench.example")
        assert status == 200 and headers.get("access-control-allow-origin") == "https://workbench.example"
        status, _, _ = query(base, "ASK {}", Origin="https://evil.example")
        assert status == 403
    finally:
        stop(proc)


# --- HTTP parsing -------------------------------------------------------------------------------

def raw(base, data: bytes, timeout=10) -> bytes:
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return reply


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "99999999999999999999999"])
def test_bad_content_length_is_answered_400(server, length):
    body = b"query=ASK%7B%7D"
    reply = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        b"Content-Length: " + length.encode() + b"\r\nConnection: close\r\n\r\n" + body)
    assert reply.startswith(b"HTTP/1.1 400") or reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_an_unread_body_is_not_run_as_a_second_request(server):
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    reply = raw(server, b"POST /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                + str(len(smuggled)).encode() + b"\r\nConnection: close\r\n\r\n" + smuggled)
    assert reply.startswith(b"HTTP/1.1 404") and reply.count(b"HTTP/1.1 ") == 1 and b"boolean" not in reply


# --- fairness, memory ---------------------------------------------------------------------------

def test_a_trivial_query_is_answered_while_two_runaways_run(server):
    results = []
    runaways = [threading.Thread(target=lambda: results.append(query(server, RUNAWAY, timeout=60))) for _ in range(2)]
    for t in runaways:
        t.start()
    time.sleep(1.0)   # both runaways are now holding the two general workers
    t0 = time.perf_counter()
    status, _, body = query(server, "ASK { op:clover a cse:Operation }", timeout=30)
    elapsed = time.perf_counter() - t0
    assert status == 200 and json.loads(body)["boolean"] is True
    assert all(t.is_alive() for t in runaways), "the runaways were still running when the trivial query answered"
    assert elapsed < 1.0, f"the trivial query waited {elapsed:.2f} s behind two runaways"   # the bound
    for t in runaways:
        t.join()
    assert [r[0] for r in results] == [503, 503]


def test_a_memory_bomb_is_stopped_and_the_server_keeps_answering(store):
    """One worker and no fast lane: answers after the bomb can only come from a replacement."""
    proc, base = start_cse_graph("--workers", "1", "--fast-workers", "0", "--max-memory", "400M", "--timeout", "30")
    try:
        before = children(proc.pid)
        status, _, body = query(base, BOMB, timeout=60)
        assert status == 507 and "memory" in body and "--max-memory" in body
        for _ in range(3):
            status, _, body = query(base, "ASK { op:clover a cse:Operation }", timeout=30)
            assert status == 200 and json.loads(body)["boolean"] is True
        deadline = time.time() + 30   # the replacement's own stand-by starts in the background
        while len(after := children(proc.pid)) < len(before) and time.time() < deadline:
            time.sleep(0.2)
        assert before - after, "the worker that ran out of memory is gone"
        assert len(after) == len(before), "and another took its place"
    finally:
        stop(proc)


# --- shutdown -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sig,group", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_signal_stops_cleanly_without_traceback_or_orphans(store, sig, group):
    proc, base = start_cse_graph("--timeout", "30", new_session=True)
    workers = children(proc.pid)
    assert len(workers) >= 3
    busy = threading.Thread(target=query, args=(base, RUNAWAY), kwargs={"timeout": 60})
    busy.start()
    time.sleep(0.8)
    if group:
        os.killpg(proc.pid, sig)    # what Ctrl-C in a terminal does: the whole process group
    else:
        proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=20)
    except Exception:
        stop(proc)
        raise
    busy.join(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "stopped" in err
    deadline = time.time() + 5
    while any(alive(p) for p in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in workers), "a worker process outlived the server"


def test_workers_have_no_network_even_past_the_parser(listener):
    """The second layer: a worker (without --allow-service) moves into an empty network
    namespace before it opens the store, so even a SERVICE the parser missed could not connect.
    Here a process does what the worker does at start, then tries the listener directly."""
    import subprocess
    import sys

    code = ("import socket, sys\nfrom cse_graph.server.pool import _no_network\n"
            "if not _no_network(): sys.exit(3)\n"
            f"socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    if r.returncode == 3:
        pytest.fail("this kernel refuses unprivileged network namespaces: the workers rely on the parser alone here")
    assert r.returncode != 0 and ("unreachable" in r.stderr or "Errno" in r.stderr), r.stderr
    assert listener.connections == []
