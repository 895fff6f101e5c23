"""Opens a report page in headless Chromium and checks it as a reader's browser shows it.

    python3 Tests/Browser/check_report.py REPORT.html --screenshots DIR

At each width (1280 px, a laptop; 390 px, a phone) the page is loaded from file:// and checked:
no console error or warning from the page, every <img> decoded (naturalWidth > 0; an image the
page replaced by its "Missing from the report folder" note counts as broken), and no element
wider than the page (the document does not scroll sideways; a table may scroll inside its own
box); with --expect-text, each text appears in the page as text. A full-page screenshot of each width goes to DIR/report-WIDTH.png. Prints one JSON object:
{"widths": {WIDTH: {"console": [...], "broken_images": [...], "overflow": [...], "text_not_shown": [...]}},
"ok": bool}
and exits 0 when every check passed, 1 when one failed, 2 when no browser can be started (Debian:
apt-get install chromium chromium-driver; pip install selenium).
"""
import argparse
import json
import os
import sys

WIDTHS = (1280, 390)

# Elements whose right edge passes the viewport, ignoring those inside a box that scrolls
# sideways itself (overflow-x auto or scroll): that box, not the page, is what scrolls.
OVERFLOW_SCRIPT = """
const limit = document.documentElement.clientWidth;
function scrollsInside(el) {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
  }
  return false;
}
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > limit + 1 && !scrollsInside(el)) {
    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' right ' + Math.round(r.right) + ' > ' + limit);
  }
}
return {wide: wide.slice(0, 20), scrollWidth: document.documentElement.scrollWidth, clientWidth: limit};
"""

IMAGES_SCRIPT = """
return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
"""

# The notes the page puts where an image did not load (HTMLRenderer.script).
MISSING_SCRIPT = """
return Array.from(document.querySelectorAll('p.missing')).map(p => p.textContent);
"""


def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None, "selenium is not installed (pip install selenium)"
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(binary):
            options.binary_location = binary
            break
    driver_path = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
    if driver_path is None:
        return None, "chromedriver is not installed (apt-get install chromium chromium-driver)"
    try:
        return webdriver.Chrome(service=Service(driver_path), options=options), None
    except Exception as error:  # selenium raises its own types; any of them means no browser
        return None, f"Chromium did not start: {error}"


def check(driver, url, width, screenshots, expected):
    driver.set_window_size(width, 900)
    driver.get(url)
    console = [f"{e['level']}: {e['message']}" for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    broken = driver.execute_script(IMAGES_SCRIPT) + driver.execute_script(MISSING_SCRIPT)
    layout = driver.execute_script(OVERFLOW_SCRIPT)
    overflow = list(layout["wide"])
    if layout["scrollWidth"] > layout["clientWidth"] + 1:
        overflow.append(f"the page scrolls sideways: {layout['scrollWidth']} > {layout['clientWidth']}")
    shown = driver.execute_script("return document.body.innerText")
    absent = [t for t in expected if t not in shown]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 900), 16000))
    driver.save_screenshot(os.path.join(screenshots, f"report-{width}.png"))
    return {"console": console, "broken_images": broken, "overflow": overflow, "text_not_shown": absent}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--expect-text", action="append", default=[],
                        help="text the page must show as text (repeatable): a name with <, & or quotes that must not become markup")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    driver, problem = browser()
    if driver is None:
        print(json.dumps({"ok": False, "no_browser": problem}))
        return 2
    try:
        url = "file://" + os.path.abspath(args.page)
        widths = {str(w): check(driver, url, w, args.screenshots, args.expect_text) for w in WIDTHS}
    finally:
        driver.quit()
    ok = all(not any(r.values()) for r in widths.values())
    print(json.dumps({"widths": widths, "ok": ok}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
