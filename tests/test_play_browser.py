"""A real browser plays a workshop: the system's Chromium, driven by Playwright.

Three participants (each in a browser context of their own, one on a phone-sized screen, one in
Dutch) and a trainer, against ``thermosim play`` running for real on a free localhost port:
join through the QR address, play two rounds, reload a page mid-game, end the game and see the
debrief. Skipped only where Chromium is absent and ``THERMOSIM_REQUIRE_BROWSER`` is unset (CI
sets it, so there a missing browser fails).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_play_store import free_port, start_server

CHROMIUM = os.environ.get("THERMOSIM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRED = bool(os.environ.get("THERMOSIM_REQUIRE_BROWSER"))


def _browser_missing() -> str | None:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e .[dev])"
    return None


MISSING = _browser_missing()
if MISSING is not None and REQUIRED:
    pytest.fail(f"the browser test is required here: {MISSING}", pytrace=False)
pytestmark = [
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
    pytest.mark.slow,  # a browser and a server: about 10-20 s
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    args = ["lost-key-account", "--weeks", "30", "--set", "plant.warmup_weeks=6"]
    proc, found = start_server([*args, "--port", str(port), "--out", str(tmp_path)])
    try:
        yield f"http://127.0.0.1:{port}", found
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def test_three_participants_and_a_trainer_play_in_a_real_browser(
    server: tuple[str, dict[str, str]],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, found = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            boss = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            boss.goto(f"{base}/trainer")
            boss.fill("input[name=code]", found["trainer"])
            boss.click("button[type=submit]")
            expect(boss.locator(".game-code")).to_have_text(found["code"])

            players: dict[str, Any] = {}
            for name, lang, viewport in (
                ("Anna", "en", {"width": 390, "height": 844}),
                ("Bram", "nl", {"width": 1280, "height": 800}),
                ("Cleo", "en", {"width": 1024, "height": 768}),
            ):
                page = browser.new_context(viewport=viewport).new_page()
                page.goto(found["join"])  # the QR code's address: the code is filled in
                expect(page.locator("input[name=code]")).to_have_value(found["code"])
                page.fill("input[name=name]", name)
                page.check(f"input[name=lang][value={lang}]")
                page.click("button[type=submit]")
                players[name] = page
            expect(players["Bram"].locator("h1")).to_contain_text("Je doet mee, Bram")

            boss.reload()
            expect(boss.locator(".people li")).to_have_count(3)
            boss.click("form[action='/trainer/start'] button")
            expect(boss.locator(".headline")).to_contain_text("0 of 3 decided")

            anna = players["Anna"]
            anna.reload()
            expect(anna.locator("h1.round")).to_contain_text("Round 1 of 30")
            anna.check("input[name=fix][value=call_blitz]")
            anna.select_option("select[name=fix_call_blitz]", "50")
            anna.click("button[value=decide]")
            expect(anna.locator(".waiting")).to_contain_text("Call blitz 50%")
            bram = players["Bram"]
            bram.reload()
            bram.select_option("select[name=lasting_coaching]", "40")
            bram.click("button[value=decide]")
            expect(bram.locator(".waiting")).to_contain_text("Coaching → 40%")
            players["Cleo"].reload()
            players["Cleo"].click("button[value=hold]")

            boss.reload()
            expect(boss.locator(".headline")).to_contain_text("3 of 3 decided")
            boss.click("form[action='/trainer/next'] button")
            expect(boss.locator(".headline")).to_contain_text("Round 2 of 30 open")

            anna.reload()  # mid-game: the page comes back at her place
            expect(anna.locator("h1.round")).to_contain_text("Round 2 of 30")
            anna.click("button[value=hold]")
            bram.reload()
            expect(bram.locator(".card.team")).to_contain_text("Coaching: 40%")
            expect(bram.locator("h1.round")).to_contain_text("Ronde 2 van 30")

            boss.on("dialog", lambda dialog: dialog.accept())
            boss.click("form[action='/trainer/finish'] button")
            boss.click("a[href='/trainer/debrief']")
            table = boss.locator("table.ranking")
            for name in ("Anna", "Bram", "Cleo", "Reacting (policy)", "Doing nothing (policy)"):
                expect(table).to_contain_text(name)
            anna.reload()
            expect(anna.locator("h1")).to_contain_text("Game over")
        finally:
            browser.close()
