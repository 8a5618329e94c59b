"""The screening page's web application (Flask), safe by default.

- **One address, one token.** The server listens on 127.0.0.1 only; every request must
  carry the random token printed in the terminal, in the address (first visit) or in
  the cookie set then (``HttpOnly``, ``SameSite=Strict``). A request whose ``Host`` is
  not this server's own address is refused too, so a web page cannot reach the server
  through a DNS name pointed at 127.0.0.1.
- **State changes are POST with a CSRF token**, a per-server random value in every form,
  and a request whose ``Origin`` (or ``Sec-Fetch-Site``) says it comes from another site
  is refused even with the right token.
- **Record text is data.** Templates escape everything (Jinja autoescaping); highlighted
  text is escaped piece by piece (:func:`litsieve.serve.highlight.marked`); links are
  built from identifiers (:mod:`litsieve.serve.links`); a Content-Security-Policy allows
  only this server's own script and style, so even an injected tag could not run.
- **No request path reaches the file system.** The page's script and style are read
  from the package once, at start, into memory and served by name from that mapping;
  the files written are fixed when the server starts (the screener's queue, the order
  log, the conflicts file), and a record id from a request is only a key into them.
"""

from __future__ import annotations

import hmac
import secrets
from importlib import resources
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as AnyResponse  # flask's Response, or a redirect

from litsieve.errors import ServeError
from litsieve.serve.adjudication import ConflictSession
from litsieve.serve.progress import curve_svg
from litsieve.serve.session import PAGE_DECISIONS, ScreeningSession

ASSETS = {"screen.js": "text/javascript; charset=utf-8", "screen.css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

Target = ScreeningSession | ConflictSession


def load_assets() -> dict[str, bytes]:
    """The page's script and style, from the package (no build step, no CDN)."""
    folder = resources.files("litsieve.serve") / "static"
    return {name: (folder / name).read_bytes() for name in ASSETS}


def create_app(target: Target, *, token: str, port: int, review: str = "") -> Flask:
    """The application for one session (a screener's queue or the conflicts of a stage)."""
    app = Flask("litsieve.serve", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024)
    csrf = secrets.token_urlsafe(32)
    cookie = f"litsieve_{port}"
    origins = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    hosts = {urlsplit(o).netloc for o in origins}
    assets = load_assets()

    def denied(why: str) -> Response:
        page = render_template("denied.html", why=why, review=review)
        return Response(page, status=403, mimetype="text/html")

    @app.before_request
    def guard() -> AnyResponse | None:
        if request.host not in hosts:
            return denied("This server answers only at its own address, http://127.0.0.1:%d/." % port)
        supplied = request.args.get("token") or request.cookies.get(cookie) or ""
        if not hmac.compare_digest(supplied.encode(), token.encode()):
            return denied("Open the address printed in the terminal where `litsieve screen serve` runs: "
                          "it carries the access token.")
        if request.method == "GET" and "token" in request.args:
            # Keep the token out of the address bar and history: the cookie carries it now.
            args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "token"}
            response = redirect(url_for(request.endpoint or "index", **(request.view_args or {}), **args), 303)
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
            return response
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin not in origins:
                return denied("A request from another web site was refused.")
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                return denied("A request from another web site was refused.")
            if not hmac.compare_digest(request.form.get("csrf", "").encode(), csrf.encode()):
                return denied("The form is out of date or did not come from this page: reload the page.")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    @app.get("/static/<name>")
    def asset(name: str) -> Response:
        if name not in assets:
            abort(404)
        return Response(assets[name], mimetype=ASSETS[name])

    common: dict[str, Any] = {"csrf": csrf, "review": review}
    if isinstance(target, ScreeningSession):
        _screening_routes(app, target, common)
    else:
        _conflict_routes(app, target, common)
    return app


def _form(name: str) -> str:
    return request.form.get(name, "")


def _screening_routes(app: Flask, session: ScreeningSession, common: dict[str, Any]) -> None:
    def page(key: str | None = None, error: str = "", status: int = 200) -> Response:
        session.refresh()
        if key is not None and session.snapshot.row(key) is None:
            key, error = None, error or "That record is not in your queue."
        view = session.view(key)
        counts = session.counts()
        labels = session.curve_labels()
        html = render_template(
            "screen.html", **common, session=session, view=view, counts=counts,
            curve=curve_svg(labels, counts.total), stopping=session.stopping(),
            agreement=session.agreement(), decisions=PAGE_DECISIONS[session.stage],
            ack=session.last if session.last and request.args.get("saved") == session.last.key else None,
            error=error, spreadsheet_open=session.spreadsheet_open(),
        )
        return Response(html, status=status, mimetype="text/html")

    def act(change: Callable[[], Any], key: str) -> AnyResponse:
        try:
            change()
        except ServeError as exc:
            return page(key if session.snapshot.row(key) is not None else None, error=str(exc), status=422)
        return redirect(url_for("index", saved=key), 303)

    @app.get("/")
    def index() -> AnyResponse:
        return page(request.args.get("id") or None)

    @app.post("/decide")
    def decide() -> AnyResponse:
        key = _form("id")
        seen = {c: _form(f"seen_{c}") for c in session.spec.person_columns if f"seen_{c}" in request.form}
        response = act(lambda: session.decide(key, _form("decision"), _form("reason"), _form("note"),
                                              seen=seen or None), key)
        if session.last and session.last.key == key and session.last.what == "conflict":
            return redirect(url_for("index", id=key), 303)
        return response

    @app.post("/undo")
    def undo() -> AnyResponse:
        try:
            ack = session.undo()
        except ServeError as exc:
            return page(None, error=str(exc), status=422)
        if ack is None:
            return page(None, error="Nothing to undo: no decision has been made on this page since it started.")
        return redirect(url_for("index", id=ack.key, saved=ack.key), 303)

    @app.post("/skip")
    def skip() -> AnyResponse:
        key = _form("id")
        try:
            session.skip(key)
        except ServeError as exc:
            return page(None, error=str(exc), status=422)
        return redirect(url_for("index"), 303)

    @app.post("/settle")
    def settle() -> AnyResponse:
        key = _form("id")
        try:
            session.settle(key, _form("keep"))
        except ServeError as exc:
            return page(None, error=str(exc), status=422)
        return redirect(url_for("index", id=key, saved=key), 303)


def _conflict_routes(app: Flask, session: ConflictSession, common: dict[str, Any]) -> None:
    def page(error: str = "", saved: str = "", status: int = 200) -> Response:
        items = session.disagreements()
        html = render_template("conflicts.html", **common, session=session, items=items,
                               agreement=session.agreement(), error=error or session.problem, saved=saved,
                               open_count=sum(1 for i in items if i.open))
        return Response(html, status=status, mimetype="text/html")

    @app.get("/")
    def index() -> AnyResponse:
        return page(saved=request.args.get("saved", ""))

    @app.post("/resolve")
    def resolve() -> AnyResponse:
        key = _form("id")
        try:
            session.resolve(key, _form("resolution"), _form("reason"), _form("note"))
        except ServeError as exc:
            return page(error=str(exc), status=422)
        return redirect(url_for("index", saved=key), 303)
