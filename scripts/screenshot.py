"""Take a docs screenshot: sign in, open a page, wait for what it draws, save a PNG.

Usage (the README's overview; ``--path`` and ``--wait`` take any other page, e.g. the
schedule tab for docs/sources: ``--path /projects/12/schedule --wait "#schedule-gantt svg"``):
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8123 \
        --email admin@epmo.local --password epmo-admin-demo --out docs/img/overview.png

Needs a running ``epmo serve`` (with the demo enterprise loaded) and Debian's Chromium.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHARTS = ("chart-health", "chart-department", "chart-stage", "chart-goal")
MAX_HEIGHT = 1600  # px; the tables below the charts are cropped to keep the PNG small


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of the running hub")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, required=True, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--path", default="/", help="the page to take (default: the overview)")
    parser.add_argument("--wait", action="append", default=[],
                        help="CSS selector to wait for (repeatable; default: the overview charts)")
    args = parser.parse_args()
    base = args.url.rstrip("/")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": args.width, "height": 900},
                                device_scale_factor=1)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/login")
        page.fill("#email", args.email)
        page.fill("#password", args.password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto(f"{base}{args.path}")
        # ECharts draws each overview chart into a <canvas> inside its container
        for selector in args.wait or [f"#{chart} canvas" for chart in CHARTS]:
            expect(page.locator(selector).first).to_be_visible(timeout=15_000)
        page.wait_for_timeout(1500)  # let the entry animations finish
        if errors:
            raise SystemExit(f"JavaScript errors on {args.path}: {errors}")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out), full_page=True,
                        clip={"x": 0, "y": 0, "width": args.width, "height": height})
        browser.close()
    print(f"wrote {args.out} ({args.width}x{height})")


if __name__ == "__main__":
    main()
