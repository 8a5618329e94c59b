"""Without Chromium the browser tests skip on a developer's machine but fail in CI (.ci/run sets
LITSIEVE_REQUIRE_BROWSER), so a CI run can never pass without having driven the page."""

from __future__ import annotations

import pytest

import browser


def test_a_missing_browser_fails_where_it_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("LITSIEVE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium chromium-driver"):
        browser.require_browser()
    monkeypatch.delenv("LITSIEVE_REQUIRE_BROWSER")
    with pytest.raises(pytest.skip.Exception):
        browser.require_browser()


def test_ci_requires_the_browser() -> None:
    from conftest import REPO

    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export LITSIEVE_REQUIRE_BROWSER=1" in script and "chromium-driver" in script
