"""The running app as a warm search service for the CLI. While `kb app` runs, a small HTTP
server on loopback in the same process (SearchService) answers searches from the app's own warm
index (kb.ops.warmup), and a beacon in the knowledge base's .kb/ says where (process, port,
which knowledge base, a secret token; readable by its user only). `kb search` finds it, asks it
and gets the answer of the already open index and loaded models — at a million findings that
saves opening the index, seconds, on every command. When no app runs, the beacon is stale or the
app does not answer in time, `kb search` searches in its own process as always (None here).

Beside Streamlit rather than inside it: Streamlit's own ASGI mode (st.App with routes) prints
the app's URL about a second before it can serve it, which the first search then waits for."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pydantic import BaseModel, ValidationError

from kb.search.types import Mode, SearchFilters, SearchResponse
from kb.store import RecordStore

log = logging.getLogger(__name__)
BEACON = "app.json"
ENDPOINT = "/kb/search"
TOKEN_HEADER = "X-KB-Token"
ANSWER_TIMEOUT_S = 30.0  # a search waits for the app's warm-up at most this long


class SearchRequest(BaseModel):
    """One search, as `kb search` asks it."""

    query: str
    filters: SearchFilters = SearchFilters()
    k: int = 10
    mode: Mode = "hybrid"


class Beacon(BaseModel):
    """Where the app serving a knowledge base listens."""

    pid: int
    port: int
    serves: str  # store_key of the knowledge base it serves
    token: str


def store_key(store: RecordStore) -> str:
    """Which knowledge base a store is: its backend and where it lives (a database's address
    without its password)."""
    return f"{store.backend}:{Path(store.home).resolve()}:{store.location}"


def beacon_path(store: RecordStore) -> Path:
    return Path(store.cache_dir) / BEACON


def write_beacon(store: RecordStore, beacon: Beacon) -> None:
    """Write `beacon` for `store`, readable by its user only."""
    path = beacon_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(beacon.model_dump_json())
    os.replace(tmp, path)


def put_out_beacon(store: RecordStore, beacon: Beacon) -> None:
    """Remove the beacon if it is still this one (a later app may have replaced it)."""
    path = beacon_path(store)
    try:
        if Beacon.model_validate_json(path.read_text(encoding="utf-8")) == beacon:
            path.unlink()
    except (OSError, ValueError):
        return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, but not ours to ask
        return False
    return True


def running_app(store: RecordStore) -> Beacon | None:
    """The beacon of an app that serves `store` and whose process is alive."""
    try:
        beacon = Beacon.model_validate_json(beacon_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if beacon.serves != store_key(store) or not _alive(beacon.pid):
        return None
    return beacon


def search_running_app(store: RecordStore, request: SearchRequest) -> SearchResponse | None:
    """The running app's answer to `request`, or None when no app serves `store` or it did not
    answer (then search in this process)."""
    beacon = running_app(store)
    if beacon is None:
        return None
    req = urllib.request.Request(
        f"http://127.0.0.1:{beacon.port}{ENDPOINT}", data=request.model_dump_json().encode("utf-8"),
        headers={"Content-Type": "application/json", TOKEN_HEADER: beacon.token}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=ANSWER_TIMEOUT_S) as reply:
            response = SearchResponse.model_validate_json(reply.read())
    except (OSError, ValueError, ValidationError) as err:  # refused, timed out, another server
        log.info("the app on port %d did not answer (%s); searching here", beacon.port, err)
        return None
    log.info("answered by the app running on port %d (its index and models were loaded)", beacon.port)
    return response


def answer(body: bytes, token: str | None, store: RecordStore, expected: str) -> tuple[int, str]:
    """The app's side: (HTTP status, JSON body) for a request to the search endpoint carrying
    `token` (`expected`: the beacon's), searched on this process's warm index of `store`."""
    from kb.ops.warmup import shared_warmup

    if not token or not secrets.compare_digest(token, expected):
        return 403, json.dumps({"error": "not the token of this app"})
    try:
        request = SearchRequest.model_validate_json(body)
    except ValidationError as err:
        return 400, json.dumps({"error": str(err)})
    warm = shared_warmup(store)
    warm.wait(ANSWER_TIMEOUT_S)  # the whole warm-up: the multilingual space too, as `kb search` has
    if not warm.status().searchable:
        return 503, json.dumps({"error": warm.status().message})
    response = warm.live.search(request.query, filters=request.filters, k=request.k, mode=request.mode)
    return 200, response.model_dump_json()


class SearchService:
    """The loopback search endpoint of a running app and its beacon, for as long as it runs."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.beacon = Beacon(pid=os.getpid(), port=self.server.server_address[1],
                             serves=store_key(store), token=secrets.token_urlsafe(24))

    def start(self) -> SearchService:
        threading.Thread(target=self.server.serve_forever, name="kb-search-service", daemon=True).start()
        write_beacon(self.store, self.beacon)
        return self

    def stop(self) -> None:
        put_out_beacon(self.store, self.beacon)
        self.server.shutdown()
        self.server.server_close()


def _handler(service: SearchService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != ENDPOINT:
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            status, payload = answer(self.rfile.read(length), self.headers.get(TOKEN_HEADER),
                                     service.store, service.beacon.token)
            data = payload.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("search service: " + format, *args)

    return Handler
