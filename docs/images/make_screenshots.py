"""Take the screening page screenshots in docs/screening.md, from the bundled demo review.

Usage (from the repository, with Debian's chromium and chromium-driver installed)::

    .venv/bin/python docs/images/make_screenshots.py

Copies the workflow and the demo into a temporary folder (with the tests' demo protocol:
screeners screener_a and screener_b), runs ``snakemake`` up to the screening state, makes
a few decisions on the page's own sessions so that there is progress and a disagreement,
then starts ``litsieve screen serve`` and photographs each page in headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import Server, chromium  # noqa: E402

PARTS = ("Snakefile", "workflow", "scripts", "resources", "environment.yml")


def snakemake(review: Path) -> None:
    subprocess.run([str(Path(sys.executable).with_name("snakemake")), "--cores", "1", "--directory", str(review),
                    "--snakefile", str(review / "Snakefile"), "results/screening/status.json"],
                   check=True, capture_output=True)


def shoot(driver, url: str, name: str, *, before=None) -> None:
    """The whole page (the window is made as tall as the page), once the ranker is ready."""
    driver.set_window_size(1400, 1000)
    driver.get(url)
    deadline = time.monotonic() + 60
    while "until the ranker is ready" in driver.page_source and time.monotonic() < deadline:
        time.sleep(0.5)
        driver.refresh()
    if before:
        before(driver)
    time.sleep(0.3)
    save(driver, name)


def save(driver, name: str) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    inner = driver.execute_script("return window.innerHeight")
    size = driver.get_window_size()
    driver.set_window_size(1400, size["height"] - inner + height)
    time.sleep(0.2)
    driver.save_screenshot(str(HERE / name))
    print(f"docs/images/{name}")


def main() -> int:
    from litsieve.protocol import load_protocol
    from litsieve.serve.session import ScreeningSession

    with tempfile.TemporaryDirectory(prefix="litsieve-shots-") as folder:
        review = Path(folder) / "review"
        review.mkdir()
        for part in PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, review / part, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, review / part)
        (review / "config").mkdir()
        shutil.copy2(REPO / "tests/data/protocols/demo.yaml", review / "config/config.yaml")
        config = review / "config/config.yaml"
        snakemake(review)
        protocol = load_protocol(config)
        a = ScreeningSession(review, protocol, "title_abstract", "screener_a")
        b = ScreeningSession(review, protocol, "title_abstract", "screener_b")
        keys = a.undecided()
        plan = ["include", "include", "exclude", "include", "exclude", "exclude", "include", "exclude"]
        for key, decision in zip(keys, plan):
            a.decide(key, decision, reason="not_service_users" if decision == "exclude" else "")
        for key, decision in zip(keys, plan[:6]):
            b.decide(key, "exclude" if key == keys[1] else decision,
                     reason="other" if key == keys[1] else "", note="open dialogue is not peer support" if key == keys[1] else "")
        snakemake(review)
        driver = chromium()
        try:
            server = Server(config, "--screener", "screener_a")
            try:
                shoot(driver, server.url, "screen-title-abstract.png")
                # A decision typed in the spreadsheet meanwhile, for the record on the page.
                from screening_helpers import spreadsheet_edit

                queue = review / "screening/title_abstract/screener_a.csv"
                current = driver.find_element("css selector", "#decide input[name=id]").get_attribute("value")
                spreadsheet_edit(queue, {current: {"decision": "exclude", "note": "typed in the spreadsheet"}})
                time.sleep(1.2)
                driver.find_element("css selector", "#btn-include").click()
                time.sleep(0.5)
                save(driver, "screen-conflict.png")
            finally:
                server.stop()
            # Full text: the reason is required.
            ft = ScreeningSession(review, protocol, "full_text", "screener_a")
            if ft.undecided():
                server = Server(config, "--stage", "full_text", "--screener", "screener_a")
                try:
                    def try_exclude(d) -> None:
                        d.find_element("css selector", "body").send_keys("e")
                    shoot(driver, server.url, "screen-full-text.png", before=try_exclude)
                finally:
                    server.stop()
            server = Server(config, "--conflicts")
            try:
                shoot(driver, server.url, "conflicts.png")
            finally:
                server.stop()
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
