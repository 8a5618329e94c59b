"""The screening page refuses what it must: no token, a wrong token, another site, a foreign Host,
a form without its CSRF token; record text is shown as text; no request path reaches the disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litsieve.cli import main
from litsieve.serve.app import create_app
from litsieve.serve.session import ScreeningSession
from protocols import write_protocol
from screening_helpers import person_cells, protocol_mapping, record, run, write_pool
from screening_helpers import protocol as build_protocol

PORT = 8765
TOKEN = "the-right-token-0123456789"
HOST = f"127.0.0.1:{PORT}"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    mapping = protocol_mapping(["ana"])
    write_protocol(tmp_path / "config" / "config.yaml", mapping)
    records = [record(1, title=f"Peer support {SCRIPT} for adults", abstract='<img src=x onerror="alert(1)"> peer support',
                      url="javascript:alert(1)", doi=""),
               *[record(i) for i in range(2, 5)]]
    write_pool(tmp_path, records)
    run(tmp_path, build_protocol(["ana"]))
    return tmp_path


@pytest.fixture
def client(review: Path):
    session = ScreeningSession(review, build_protocol(["ana"]), "title_abstract", "ana")
    app = create_app(session, token=TOKEN, port=PORT, review="A <b>review</b>")
    return app.test_client()


def signed_in(client):
    response = client.get(f"/?token={TOKEN}", base_url=f"http://{HOST}")
    assert response.status_code == 303 and "token" not in response.headers["Location"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return client


def page(client, path: str = "/"):
    return client.get(path, base_url=f"http://{HOST}")


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_no_token_and_a_wrong_token_are_refused(client) -> None:
    for path in ("/", "/?token=wrong", "/static/screen.js", f"/?token={TOKEN[:-1]}"):
        response = page(client, path)
        assert response.status_code == 403, path
        assert "address printed in the terminal" in response.get_data(as_text=True)
    response = client.post("/decide", data={"id": "pubmed:1", "decision": "include"}, base_url=f"http://{HOST}")
    assert response.status_code == 403


def test_the_token_sets_a_cookie_and_then_the_page_opens(client) -> None:
    signed_in(client)
    response = page(client)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_foreign_host_is_refused_even_with_the_token(client) -> None:
    signed_in(client)
    response = client.get("/", base_url=f"http://evil.example:{PORT}")
    assert response.status_code == 403


def test_state_changes_need_a_post_from_this_page(client, review: Path) -> None:
    signed_in(client)
    html = page(client).get_data(as_text=True)
    token = csrf(html)
    form = {"id": "pubmed:2", "decision": "include", "csrf": token}
    url = f"http://{HOST}"
    assert client.get("/decide", base_url=url).status_code == 405
    assert client.post("/decide", data={**form, "csrf": "forged"}, base_url=url).status_code == 403
    assert client.post("/decide", data={k: v for k, v in form.items() if k != "csrf"}, base_url=url).status_code == 403
    cross = client.post("/decide", data=form, base_url=url, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403 and "another web site" in cross.get_data(as_text=True)
    fetch = client.post("/decide", data=form, base_url=url, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch.status_code == 403
    assert person_cells(review / "screening/title_abstract/ana.csv") == {}
    ok = client.post("/decide", data=form, base_url=url, headers={"Origin": url})
    assert ok.status_code == 303
    assert person_cells(review / "screening/title_abstract/ana.csv") == {
        "pubmed:2": {"decision": "include", "reason": "", "note": ""}}


def test_record_text_is_text(client) -> None:
    signed_in(client)
    html = page(client, "/?id=pubmed:1").get_data(as_text=True)
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert "javascript:" not in html
    assert "<b>review</b>" not in html
    # The only scripts are the page's own file.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/screen.js" defer>']


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e%2fapp.py", "/static/__init__.py",
                                  "/static/screen.js/..", "/../../etc/passwd", "/static/..%2f..%2fpersonfile.py"])
def test_no_request_path_reaches_the_file_system(client, path: str) -> None:
    signed_in(client)
    response = page(client, path)
    assert response.status_code in (404, 405), path
    assert b"import" not in response.get_data()


def test_an_unknown_record_id_is_only_a_miss(client, review: Path) -> None:
    signed_in(client)
    html = page(client, "/?id=../../screening/title_abstract/ana.csv").get_data(as_text=True)
    assert "not in your queue" in html
    response = client.post("/decide", data={"id": "../../x", "decision": "include", "csrf": csrf(html)},
                           base_url=f"http://{HOST}")
    assert response.status_code == 422
    assert not (review.parent / "x.csv").exists()


@pytest.mark.parametrize("name", ["../../x", "ana/../../x", "nobody"])
def test_a_screener_not_in_the_protocol_is_refused(review: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["screen", "serve", "--screener", name, "--config", str(review / "config" / "config.yaml")])
    assert code == 2
    assert "is not a title/abstract screener in the protocol" in capsys.readouterr().err
    assert not (review / "screening" / "x.csv").exists() and not (review.parent / "x.csv").exists()


def test_the_screeners_page_is_blind_and_the_third_persons_page_resolves(tmp_path: Path) -> None:
    from litsieve.serve.adjudication import ConflictSession

    p = build_protocol(["ana", "ben"])
    write_pool(tmp_path, [record(i) for i in range(1, 4)])
    run(tmp_path, p)
    ana = ScreeningSession(tmp_path, p, "title_abstract", "ana")
    ben = ScreeningSession(tmp_path, p, "title_abstract", "ben")
    ana.decide("pubmed:1", "include", note="ana's own note")
    ben.decide("pubmed:1", "exclude", reason="children", note="ben's secret note")
    screener = create_app(ana, token=TOKEN, port=PORT).test_client()
    signed_in(screener)
    html = page(screener, "/?id=pubmed:1").get_data(as_text=True)
    assert "ben's secret note" not in html and "ben" not in html.split("</header>", 1)[1]
    assert screener.post("/resolve", data={}, base_url=f"http://{HOST}").status_code in (403, 404)
    third = create_app(ConflictSession(tmp_path, p, "title_abstract"), token=TOKEN, port=PORT).test_client()
    signed_in(third)
    html = page(third).get_data(as_text=True)
    assert "ben&#39;s secret note" in html and "ana&#39;s own note" in html and "1 open" in html
    response = third.post("/resolve", base_url=f"http://{HOST}", headers={"Origin": f"http://{HOST}"},
                          data={"id": "pubmed:1", "resolution": "include", "reason": "", "note": "adults too",
                                "csrf": csrf(html)})
    assert response.status_code == 303
    assert person_cells(tmp_path / "screening/conflicts/title_abstract.csv", ("resolution", "reason", "note")) == {
        "pubmed:1": {"resolution": "include", "reason": "", "note": "adults too"}}
    assert "0 open" in page(third).get_data(as_text=True)


def test_the_page_says_when_everything_is_decided(client, review: Path) -> None:
    signed_in(client)
    for _ in range(4):
        html = page(client).get_data(as_text=True)
        key = re.search(r'name="id" value="([^"]+)"', html).group(1)
        client.post("/decide", data={"id": key, "decision": "exclude", "csrf": csrf(html)}, base_url=f"http://{HOST}")
    html = page(client).get_data(as_text=True)
    assert "Every record in your queue is decided" in html and "4 decided" in html
    assert len(person_cells(review / "screening/title_abstract/ana.csv")) == 4
