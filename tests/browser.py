"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) and a real ``litsieve screen serve``.

Nothing here downloads a browser: Selenium is pointed at the system's chromium and
chromedriver. Without them the browser tests skip, except where ``LITSIEVE_REQUIRE_BROWSER``
is set (``.ci/run`` sets it after installing them): there a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LITSIEVE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("LITSIEVE_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def require_browser() -> None:
    """Skip (or, with ``LITSIEVE_REQUIRE_BROWSER`` set, fail) when chromium is not installed."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    if missing:
        message = (f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} not found): "
                   "apt-get install chromium chromium-driver")
        if os.environ.get("LITSIEVE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def chromium(profile: Path | None = None) -> Any:
    """A headless Chromium driven by the system chromedriver, with a fresh profile."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='litsieve-chromium-')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


class Server:
    """``litsieve screen serve`` in a subprocess, as a screener starts it."""

    def __init__(self, config: Path, *args: str) -> None:
        litsieve = Path(sys.executable).with_name("litsieve")
        self.process = subprocess.Popen(
            [str(litsieve), "screen", "serve", "--config", str(config), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        self.url = ""
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
            if found:
                self.url = found.group(1)
                break
        if not self.url:
            self.kill()
            raise AssertionError("the server printed no address:\n" + "".join(lines) + self.process.stderr.read())  # type: ignore[union-attr]

    @property
    def origin(self) -> str:
        return self.url.split("/?", 1)[0]

    def kill(self) -> None:
        """``kill -9``: no chance to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> str:
        """Ctrl-C; returns what it printed on stderr."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            err = ""
        return err
