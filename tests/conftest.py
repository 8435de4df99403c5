"""Fixtures several test modules share."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium, driven by Playwright: the browser readers open the HTML in.

    Playwright's own browser builds are not used (they are downloaded from outside the package index);
    Playwright drives the system's Chromium by its path. `.ci/run` installs it.
    """
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed for the HTML tests: apt-get install chromium"
    with sync_playwright() as playwright:
        # --no-sandbox: Chromium refuses to start its sandbox as root, as the tests run in CI.
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Templates compiled by the tests are kept in a folder of the test run's, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITREP_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield
