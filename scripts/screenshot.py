"""Take the README screenshot: sign in, open the overview, wait for the charts, save a PNG.

Usage:
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
        page.goto(f"{base}/")
        for chart in CHARTS:  # ECharts draws each chart into a <canvas> inside its container
            expect(page.locator(f"#{chart} canvas")).to_have_count(1, timeout=15_000)
        page.wait_for_timeout(1500)  # let the ECharts entry animations finish
        if errors:
            raise SystemExit(f"JavaScript errors on the overview: {errors}")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out), full_page=True,
                        clip={"x": 0, "y": 0, "width": args.width, "height": height})
        browser.close()
    print(f"wrote {args.out} ({args.width}x{height})")


if __name__ == "__main__":
    main()
