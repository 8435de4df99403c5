"""Fixtures several test modules share."""

from __future__ import annotations

import os
import shutil
import tempfile
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


def pytest_configure(config: pytest.Config) -> None:
    """Templates compiled by the tests are kept in a folder of the test run's, not in the user's cache: set
    before collection, since some test modules render at import."""
    os.environ["SITREP_CACHE"] = tempfile.mkdtemp(prefix="sitrep-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("SITREP_CACHE", ""), ignore_errors=True)
