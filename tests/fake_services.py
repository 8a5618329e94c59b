"""Local stand-ins for the NCBI E-utilities and Europe PMC REST, on 127.0.0.1 only.

They answer in the real wire formats (ESearch XML with the NLM DOCTYPE, EFetch
``PubmedArticleSet``, Europe PMC ``core`` JSON with ``cursorMark`` paging) over a small
synthetic collection, honour ``mindate``/``maxdate``, cap ESearch like PubMed does, forget
their history (``WebEnv``) when restarted, and can be told to misbehave: answer 429 with
``Retry-After``, answer 500, stall past the client's timeout, cut the connection in the
middle of a body, trickle a body slowly, redirect elsewhere, or answer 200 with something
that is not the service's answer. Every request is recorded so tests can check what was (re)fetched and
what the client sent.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

DATA = Path(__file__).parent / "data" / "search"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
NCBI_429_BODY = b'{"error":"API rate limit exceeded","api-key":"192.0.2.1","count":"5","limit":"3"}'


@dataclass(frozen=True)
class Article:
    pmid: str
    date: str  # YYYY/MM/DD, the publication date PubMed ranges on
    raw: str = ""  # a real PubmedArticle element to serve instead of the template

    def xml(self, template: str) -> str:
        if self.raw:
            return self.raw
        year, month, day = self.date.split("/")
        return template.format(
            pmid=self.pmid, year=year, month=month, mon=MONTHS[int(month) - 1], day=day,
            volume=int(year) - 1970, surname="Lindqvist", title=escape(f"Peer support study {self.pmid}."),
        ).strip()


def articles(count: int, start_year: int = 1995, end_year: int = 2016, first_pmid: int = 20000001) -> list[Article]:
    """``count`` articles spread over the years, one per (distinct) date."""
    out = []
    span = end_year - start_year + 1
    for i in range(count):
        year = start_year + (i * span) // count
        out.append(Article(str(first_pmid + i), f"{year}/{1 + i % 12:02d}/{1 + (i * 7) % 28:02d}"))
    return out


@dataclass
class Fault:
    """Misbehave once on the next request to ``utility`` (``esearch``, ``efetch``, ``search``)."""

    utility: str
    kind: str  # "429", "500", "timeout", "cut", "trickle", "redirect", "body"
    retry_after: str = "0"
    stall: float = 0.6  # "timeout": before answering; "trickle": between the body's bytes
    location: str = ""  # "redirect": where to (answered with ``status``)
    status: int = 307
    body: bytes = b""  # "body": answer HTTP 200 with exactly this (a maintenance page, cut XML)


@dataclass
class FakeState:
    articles: list[Article] = field(default_factory=list)
    epmc_results: list[dict[str, Any]] = field(default_factory=list)
    esearch_limit: int = 9999
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    history: dict[str, list[str]] = field(default_factory=dict)
    fail_after: dict[str, int] = field(default_factory=dict)  # utility -> answer this many, then 503 forever
    # Europe PMC indexes these results after answering this many pages (the hit count changes mid-fetch).
    epmc_indexed_later: tuple[int, list[dict[str, Any]]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, utility: str) -> list[dict[str, str]]:
        return [params for name, params, _ in self.requests if name == utility]


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    if cursor == "*":
        return 0
    return int(base64.b64decode(cursor).decode().split(":")[1])


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return

    def do_GET(self) -> None:
        self._dispatch(parse_qs(urlsplit(self.path).query), "")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        self._dispatch(parse_qs(body), body)

    def _dispatch(self, query: dict[str, list[str]], body: str) -> None:
        state = self.server.state
        params = {k: v[-1] for k, v in query.items()}
        utility = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1].replace(".fcgi", "")
        with state.lock:
            state.requests.append((utility, params, self.path + "?" + body))
            fault = next((f for f in state.faults if f.utility == utility), None)
            if fault:
                state.faults.remove(fault)
            budget = state.fail_after.get(utility)
            if budget is not None:
                state.fail_after[utility] = budget - 1
        if budget is not None and budget <= 0:
            return self._send(503, b"Service Unavailable", "text/plain")
        if fault and fault.kind == "429":
            return self._send(429, NCBI_429_BODY, "application/json", {"Retry-After": fault.retry_after})
        if fault and fault.kind == "500":
            return self._send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
        if fault and fault.kind == "timeout":
            time.sleep(fault.stall)
        if fault and fault.kind == "redirect":
            return self._send(fault.status, b"", "text/plain", {"Location": fault.location})
        if fault and fault.kind == "body":
            return self._send(200, fault.body, "text/html")
        if utility == "esearch":
            payload, ctype = self._esearch(params), "text/xml; charset=UTF-8"
        elif utility == "efetch":
            payload, ctype = self._efetch(params), "text/xml; charset=UTF-8"
        elif utility == "search":
            payload, ctype = self._epmc(params), "application/json;charset=UTF-8"
        else:
            return self._send(404, b"not found", "text/plain")
        if fault and fault.kind == "trickle":
            return self._trickle(payload, ctype, fault.stall)
        if fault and fault.kind == "cut":
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(200, payload, ctype)

    def _trickle(self, payload: bytes, ctype: str, pause: float) -> None:
        """The whole answer, a few bytes at a time (each read well inside the client's timeout)."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            for start in range(0, len(payload), 64):
                self.wfile.write(payload[start:start + 64])
                self.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, payload: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            self.close_connection = True

    def _matching(self, params: dict[str, str]) -> list[Article]:
        lo, hi = params.get("mindate"), params.get("maxdate")
        found = self.server.state.articles
        if lo and hi:
            found = [a for a in found if lo <= a.date <= hi]
        return found

    def _esearch(self, params: dict[str, str]) -> bytes:
        state = self.server.state
        found = self._matching(params)
        retmax = min(int(params.get("retmax", 20)), state.esearch_limit)
        ids = [a.pmid for a in found][:retmax]
        history = ""
        if params.get("usehistory") == "y":
            webenv = f"MCID_{len(state.history) + 1:024d}"
            state.history[webenv] = [a.pmid for a in found][: state.esearch_limit]
            history = f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv>"
        id_list = "<IdList>\n" + "".join(f"<Id>{i}</Id>\n" for i in ids) + "</IdList>" if ids else "<IdList/>"
        translation = escape(params.get("term", ""))
        return (ESEARCH_HEAD + f"<eSearchResult><Count>{len(found)}</Count><RetMax>{len(ids)}</RetMax>"
                f"<RetStart>0</RetStart>{history}{id_list}<TranslationSet/>"
                f"<QueryTranslation>{translation}</QueryTranslation></eSearchResult>\n").encode()

    def _efetch(self, params: dict[str, str]) -> bytes:
        state = self.server.state
        by_pmid = {a.pmid: a for a in state.articles}
        if "id" in params:
            pmids = [p for p in params["id"].split(",") if p]
        else:
            history = state.history.get(params.get("WebEnv", ""))
            if history is None:
                return (b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
                        b"\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n")
            start = int(params.get("retstart", 0))
            pmids = history[start:start + int(params.get("retmax", 20))]
        template = self.server.pubmed_template
        body = "".join(by_pmid[p].xml(template) for p in pmids if p in by_pmid)
        return (EFETCH_HEAD + "<PubmedArticleSet>\n" + body + "</PubmedArticleSet>").encode()

    def _epmc(self, params: dict[str, str]) -> bytes:
        state = self.server.state
        if state.epmc_indexed_later and len(state.calls("search")) > state.epmc_indexed_later[0]:
            state.epmc_results = state.epmc_results + state.epmc_indexed_later[1]
            state.epmc_indexed_later = None
        results = state.epmc_results
        cursor = params.get("cursorMark", "*")
        size = int(params.get("pageSize", 25))
        offset = _offset(cursor)
        page = results[offset:offset + size]
        answer: dict[str, Any] = {
            "version": "6.9", "hitCount": len(results),
            "request": {"queryString": params.get("query", ""), "resultType": params.get("resultType", "lite"),
                        "cursorMark": cursor, "pageSize": size, "sort": "",
                        "synonym": params.get("synonym") == "true"},
            "resultList": {"result": page},
        }
        if results:
            answer["nextCursorMark"] = _cursor(offset + size) if offset + size < len(results) else cursor
        return json.dumps(answer, indent=2).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.pubmed_template = (DATA / "pubmed_article.xml").read_text(encoding="utf-8")


class FakeService:
    """A running fake on 127.0.0.1; ``url`` is the base URL to configure."""

    def __init__(self, state: FakeState | None = None) -> None:
        self.state = state or FakeState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeService":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def epmc_results(count: int, first_id: int = 30000001, start_year: int = 1995) -> list[dict[str, Any]]:
    """``count`` Europe PMC ``core`` results built from the template."""
    template = (DATA / "europepmc_result.json").read_text(encoding="utf-8")
    out = []
    for i in range(count):
        year = start_year + i % 20
        text = template.replace("{id}", str(first_id + i)).replace("{year}", str(year)).replace(
            "{volume}", str(year - 1970))
        out.append(json.loads(text))
    return out


def closed_port_url() -> str:
    """A 127.0.0.1 URL on which nothing listens (connections are refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
