"""The screening page in a real browser (headless Chromium) over a real ``litsieve screen serve``.

A screener works by keyboard (include, exclude with a reason and a note, maybe, undo,
skip, previous), and afterwards the queue file holds exactly those decisions and the
next ``snakemake`` run counts them. A spreadsheet saves the same file while the page is
in use, and both sets of decisions survive; the server is killed mid-session, and every
decision the page acknowledged is on disk.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from browser import Server, chromium, require_browser
from conftest import run_snakemake
from protocols import write_protocol
from screening_helpers import person_cells, protocol_mapping, record, run, spreadsheet_edit, state, write_pool
from screening_helpers import protocol as build_protocol

pytestmark = pytest.mark.browser

TARGET = "results/screening/status.json"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    require_browser()
    browser = chromium()
    yield browser
    browser.quit()


def press(driver: Any, *keys: str, reload: bool = True) -> None:
    """Keys as a screener types them, waiting for the page that follows a decision key
    (``reload=False``: the key is expected not to send anything)."""
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        before = driver.find_element("tag name", "html").id
        ActionChains(driver).send_keys(key).perform()
        if reload and (key in "iemust" or key in (ARROW_LEFT, ARROW_RIGHT)):
            wait_for(lambda before=before: driver.find_element("tag name", "html").id != before)


ARROW_LEFT, ARROW_RIGHT = "\ue012", "\ue014"


def wait_for(condition: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - the page is reloading
            pass
        time.sleep(0.05)
    raise AssertionError("the page did not change in time")


def shown(driver: Any) -> str:
    """The record id the page shows (its decision form's hidden field)."""
    return driver.find_element("css selector", "#decide input[name=id]").get_attribute("value")


def text(driver: Any, selector: str) -> str:
    return driver.find_element("css selector", selector).text


@pytest.mark.slow  # runs the whole workflow twice
def test_a_screener_decides_by_keyboard_and_the_workflow_counts_it(workflow_dir: Path, driver: Any) -> None:
    review = workflow_dir
    run_snakemake(review, TARGET)
    queue = review / "screening/title_abstract/screener_a.csv"
    server = Server(review / "config" / "config.yaml", "--screener", "screener_a")
    try:
        driver.get(server.url)
        assert "token" not in driver.current_url  # the cookie carries it from here on
        # Highlighting: the search string's terms and the criteria's evidence words are marked.
        search = {m.text.casefold() for m in driver.find_elements("css selector", "#abstract mark.search")}
        evidence = driver.find_elements("css selector", "#abstract mark.evidence, #record-title mark.evidence")
        assert search & {"peer support", "mental health"} and evidence
        legend = text(driver, "#legend")
        assert "include" in legend and "undo" in legend and "skip" in legend

        first = shown(driver)
        press(driver, "i")
        assert "Saved to your file" in text(driver, "#ack")
        second = shown(driver)
        press(driver, "e")
        third = shown(driver)
        press(driver, "m")
        press(driver, "u")  # undo the maybe: the same record comes back, undecided
        assert shown(driver) == third and "Undone" in text(driver, "#ack")
        press(driver, "n")
        driver.switch_to.active_element.send_keys("check the ages at full text")
        press(driver, "\ue00c", "r")  # Esc leaves the note; r opens the reason menu
        reason = driver.switch_to.active_element
        assert reason.get_attribute("id") == "reason"
        for _ in range(10):
            if reason.get_attribute("value") == "children":
                break
            reason.send_keys("\ue015")  # arrow down
        assert reason.get_attribute("value") == "children"
        press(driver, "\ue007", "e")  # Enter leaves the menu; e excludes
        fourth = shown(driver)
        press(driver, "s")  # skip: comes back at the end
        assert shown(driver) != fourth
        press(driver, ARROW_LEFT)  # previous: the last decision
        assert shown(driver) == third and "exclude" in text(driver, "#current")
        assert "Children and young people" in driver.find_element("css selector", "#reason option:checked").text
        assert driver.find_element("css selector", "#note").get_attribute("value") == "check the ages at full text"
        assert "3 decided" in text(driver, "#counts")
    finally:
        server.stop()

    assert person_cells(queue) == {
        first: {"decision": "include", "reason": "", "note": ""},
        second: {"decision": "exclude", "reason": "", "note": ""},
        third: {"decision": "exclude", "reason": "children", "note": "check the ages at full text"},
    }
    run_snakemake(review, TARGET)
    status = json.loads((review / TARGET).read_text(encoding="utf-8"))
    assert status["title_abstract"]["screeners"]["screener_a"]["done"] == 3
    rows = state(review / "results/screening/title_abstract.csv")
    assert {k: (r["decision_screener_a"], r["order_screener_a"]) for k, r in rows.items() if r["decision_screener_a"]} == {
        first: ("include", "1"), second: ("exclude", "2"), third: ("exclude", "3")}
    assert rows[third]["reason_screener_a"] == "Children and young people"


@pytest.fixture
def small_review(tmp_path: Path) -> Path:
    mapping = protocol_mapping(["ana"], ["ana"])
    write_protocol(tmp_path / "config" / "config.yaml", mapping)
    write_pool(tmp_path, [record(i) for i in range(1, 25)])
    run(tmp_path, build_protocol(["ana"], ["ana"]))
    return tmp_path


def test_a_spreadsheet_save_while_the_page_runs_keeps_both(small_review: Path, driver: Any) -> None:
    queue = small_review / "screening/title_abstract/ana.csv"
    opened = queue.read_bytes()  # the spreadsheet opens the file before the page is used
    server = Server(small_review / "config" / "config.yaml")
    try:
        driver.get(server.url)
        page_first = shown(driver)
        press(driver, "i")
        on_page = shown(driver)
        sheet = [r for r in person_rows(queue) if r not in (page_first, on_page)][:2]
        queue.write_bytes(opened)  # the spreadsheet saves its copy, without the page's decision
        spreadsheet_edit(queue, {sheet[0]: {"decision": "exclude"}, sheet[1]: {"decision": "include", "note": "sheet"}},
                         delimiter=";", bom=False)
        press(driver, "e")
        assert {k: v["decision"] for k, v in person_cells(queue).items()} == {
            page_first: "include", on_page: "exclude", sheet[0]: "exclude", sheet[1]: "include"}
        # The record on the page is decided in the spreadsheet meanwhile: shown, not overwritten.
        target = shown(driver)
        spreadsheet_edit(queue, {target: {"decision": "exclude", "note": "typed in the sheet"}})
        press(driver, "i")
        assert driver.find_elements("css selector", "#pending")
        assert person_cells(queue)[target] == {"decision": "exclude", "reason": "", "note": "typed in the sheet"}
        before = driver.find_element("tag name", "html").id
        driver.find_element("css selector", "#keep-page").click()
        wait_for(lambda: driver.find_element("tag name", "html").id != before)
        assert person_cells(queue)[target] == {"decision": "include", "reason": "", "note": ""}
    finally:
        server.stop()
    assert {k: v["decision"] for k, v in person_cells(queue).items()} == {
        page_first: "include", on_page: "exclude", sheet[0]: "exclude", sheet[1]: "include", target: "include"}


def person_rows(path: Path) -> list[str]:
    from screening_helpers import read_rows

    return [row["record_id"] for row in read_rows(path)[1]]


def test_killing_the_server_loses_no_acknowledged_decision(small_review: Path, driver: Any) -> None:
    queue = small_review / "screening/title_abstract/ana.csv"
    server = Server(small_review / "config" / "config.yaml")
    acknowledged: dict[str, str] = {}
    try:
        driver.get(server.url)
        for key in "iem":
            record_id = shown(driver)
            press(driver, key)
            assert "Saved to your file" in text(driver, "#ack")
            acknowledged[record_id] = {"i": "include", "e": "exclude", "m": "maybe"}[key]
        # Then a burst of decisions over HTTP, and kill -9 in the middle of it.
        http = requests.Session()
        for cookie in driver.get_cookies():
            http.cookies.set(cookie["name"], cookie["value"])
        html = http.get(server.origin + "/", timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        open_ids = [r for r in person_rows(queue) if r not in acknowledged]
        stop = threading.Event()

        def burst() -> None:
            for record_id in open_ids:
                if stop.is_set():
                    return
                try:
                    response = http.post(server.origin + "/decide", allow_redirects=False, timeout=10,
                                         data={"id": record_id, "decision": "exclude", "csrf": csrf},
                                         headers={"Origin": server.origin})
                except requests.RequestException:
                    return
                if response.status_code == 303:
                    acknowledged[record_id] = "exclude"

        thread = threading.Thread(target=burst)
        thread.start()
        wait_for(lambda: len(acknowledged) >= 8, timeout=30)
        server.kill()
        stop.set()
        thread.join(15)
    finally:
        server.kill()
    on_disk = {k: v["decision"] for k, v in person_cells(queue).items()}
    assert 8 <= len(acknowledged) < 3 + len(open_ids)  # killed in the middle of the burst
    assert {k: on_disk.get(k) for k in acknowledged} == acknowledged
    assert len(set(on_disk) - set(acknowledged)) <= 1  # at most the one in flight, written but not yet answered
    run(small_review, build_protocol(["ana"], ["ana"]))  # the workflow reads the file as the kill left it


def test_a_full_text_exclusion_needs_the_protocols_reason(small_review: Path, driver: Any) -> None:
    root = small_review
    ta = root / "screening/title_abstract/ana.csv"
    spreadsheet_edit(ta, {f"pubmed:{i}": {"decision": "include"} for i in (1, 2)})
    run(root, build_protocol(["ana"], ["ana"]))
    queue = root / "screening/full_text/ana.csv"
    server = Server(root / "config" / "config.yaml", "--stage", "full_text")
    try:
        driver.get(server.url)
        first = shown(driver)
        press(driver, "e", reload=False)  # no reason yet: the menu is focused, nothing is sent
        assert driver.switch_to.active_element.get_attribute("id") == "reason"
        assert person_cells(queue, ("retrieval", "decision", "reason", "note")) == {}
        driver.switch_to.active_element.send_keys("\ue015")  # the first reason
        chosen = driver.find_element("css selector", "#reason").get_attribute("value")
        press(driver, "\ue007", "e")
        assert "Saved to your file" in text(driver, "#ack")
        second = shown(driver)
        press(driver, "t")  # not retrieved
    finally:
        server.stop()
    assert person_cells(queue, ("retrieval", "decision", "reason", "note")) == {
        first: {"retrieval": "retrieved", "decision": "exclude", "reason": chosen, "note": ""},
        second: {"retrieval": "not retrieved", "decision": "", "reason": "", "note": ""},
    }
    run(root, build_protocol(["ana"], ["ana"]))
    rows = state(root / "results/screening/full_text.csv")
    assert (rows[first]["decision"], rows[second]["decision"]) == ("exclude", "not_retrieved")
