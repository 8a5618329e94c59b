"""``litsieve screen serve``: start the screening page and print its address with the token.

The server is `waitress` (a pure-Python, multi-threaded WSGI server that runs the same on
Linux, macOS and Windows) bound to 127.0.0.1 only. Every decision is on disk before the
page says it is saved, so stopping the server (Ctrl-C, closing the terminal, ``kill``)
loses nothing the page acknowledged.
"""

from __future__ import annotations

import argparse
import secrets
import signal
import sys
from pathlib import Path
from typing import Any

from litsieve.config import DEFAULT_CONFIG
from litsieve.errors import ServeError
from litsieve.protocol import load_protocol
from litsieve.screening.queue import STAGES, TITLE_ABSTRACT

HOST = "127.0.0.1"


def register(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = actions.add_parser(
        "serve",
        help="open the screening page: one record at a time, over your queue file",
        description="Start a local screening page (127.0.0.1 only) over a screener's queue file, "
        "or, with --conflicts, the third person's page of a stage's disagreements. Prints the "
        "address to open, with its access token. Decisions are written into the same files the "
        "spreadsheet and the workflow use (docs/screening.md).",
    )
    serve.add_argument("--stage", choices=STAGES, default=TITLE_ABSTRACT, help="default: title_abstract")
    who = serve.add_mutually_exclusive_group()
    who.add_argument("--screener", metavar="NAME",
                     help="whose queue (a name from the protocol's screeners; needed when a stage has two)")
    who.add_argument("--conflicts", action="store_true",
                     help="the third person's page: disagreements, resolutions and agreement")
    serve.add_argument("--port", type=int, default=0, metavar="N", help="port on 127.0.0.1 (default: a free one)")
    serve.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                       help="protocol (default: config/config.yaml); the review is the folder above its folder")
    serve.set_defaults(func=run_serve)


def build_target(args: argparse.Namespace) -> Any:
    """The session the page serves, from the command line (errors name what to do)."""
    from litsieve.serve.adjudication import ConflictSession
    from litsieve.serve.session import ScreeningSession

    config = Path(args.config)
    protocol = load_protocol(config)
    root = config.resolve().parent.parent
    if args.conflicts:
        return protocol, ConflictSession(root, protocol, args.stage)
    names = protocol.screeners.of(args.stage)
    screener = args.screener
    if screener is None:
        if len(names) != 1:
            raise ServeError(f"{args.stage.replace('_', '/')} has two screeners: say whose queue to open",
                             hint=f"--screener {names[0]} or --screener {names[1]} (--conflicts for the third person)")
        screener = names[0]
    return protocol, ScreeningSession(root, protocol, args.stage, screener)


def run_serve(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise ServeError(f"port {args.port} is not a port number", hint="use 1-65535, or 0 for a free one")
    protocol, target = build_target(args)
    from waitress import create_server

    from litsieve.serve.app import create_app

    token = secrets.token_urlsafe(24)
    app: list[Any] = []  # the application needs the port, known once the socket is bound

    def application(environ: Any, start_response: Any) -> Any:
        return app[0](environ, start_response)

    try:
        server = create_server(application, host=HOST, port=args.port, threads=4, ident="litsieve")
    except OSError as exc:
        raise ServeError(f"cannot listen on {HOST}:{args.port}: {exc.strerror}",
                         hint="pick another --port, or leave it out for a free one") from None
    port = int(server.effective_port)  # type: ignore[union-attr]
    app.append(create_app(target, token=token, port=port, review=protocol.review.title))
    target.start()

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    what = "conflicts" if args.conflicts else f"queue of {target.screener}"
    print(f"litsieve: screening page ({args.stage.replace('_', '/')}, {what}) for {target.path}", flush=True)
    print(f"    http://{HOST}:{port}/?token={token}", flush=True)
    print("Open that address in your browser; Ctrl-C stops the server (every saved decision is in the file).",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        target.stop()
        server.close()
    print("litsieve: screening page stopped; every decision it saved is in the file.", file=sys.stderr)
    return 0
