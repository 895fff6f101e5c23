"""Opens a report page in headless Chromium and checks it as a reader's browser shows it.

    python3 Tests/Browser/check_report.py REPORT.html --screenshots DIR [--expect-explorer]

At each width (1280 px, a laptop; 390 px, a phone) the page is loaded from file:// and checked:
no console error or warning from the page, every <img> decoded (naturalWidth > 0; an image the
page replaced by its "Missing from the report folder" note counts as broken), no element
wider than the page (the document does not scroll sideways; a table may scroll inside its own
box), every picture described (alt text, aria-label), and no element the report does not write (a
name that became markup); with --expect-text, each text appears in the page as text. A full-page
screenshot of each width goes to DIR/report-WIDTH.png.

The explorer ("Explore the samples", where the page has one; --expect-explorer requires it), at
1280 px: every sprite decodes at the size its layout says, choosing each layer and each input
through the page's <select>s changes the shown sample cells (their sprite, their position in it),
the arrow keys step through them, and each view's screenshot goes to DIR/explorer-layer-I.png and
DIR/explorer-input-I.png (DIR/explorer-390.png at the phone's width). The heat-map table: pointing
at or focusing each score puts its title in the read-out line under the table.

Then the page is loaded again with JavaScript off (DIR/report-nojs-WIDTH.png): the same headings,
tables and figures are there and decode, the explorer's note says where its pictures are, and
nothing passes the page's edge.

Prints one JSON object:
{"widths": {WIDTH: {"console": [...], "broken_images": [...], "overflow": [...], "text_not_shown": [...], "markup": [...],
                    "unlabelled": [...]}},
 "explorer": {"problems": [...], "views": [...], "layers": [...], "titles": [...]},
 "heat": {"problems": [...], "lines": [...]}, "no_javascript": {"problems": [...]}, "ok": bool}
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

# Pictures a screen reader cannot describe: an <img> without alt text, or a role="img" box
# (the explorer's sprite cells) without an aria-label.
UNLABELLED_SCRIPT = """
return Array.from(document.querySelectorAll('img:not([alt]), img[alt=""], [role="img"]:not([aria-label])'))
  .map(e => e.getAttribute('src') || e.className);
"""

# The notes the page puts where an image did not load (HTMLRenderer.script).
MISSING_SCRIPT = """
return Array.from(document.querySelectorAll('p.missing')).map(p => p.textContent);
"""


# Every element report.html is made of (HTMLRenderer, ExplorerScript); any other tag in the body
# came from a name that was let through as markup.
PAGE_TAGS = {"h1", "h2", "h3", "h4", "p", "div", "span", "table", "thead", "tbody", "tr", "th", "td", "figure", "img",
             "figcaption", "ul", "li", "script", "label", "select", "option"}

MARKUP_SCRIPT = """
const allowed = new Set(arguments[0]);
return Array.from(document.body.querySelectorAll('*')).map(e => e.tagName.toLowerCase()).filter(t => !allowed.has(t));
"""

# The page's structure as a reader without the explorer sees it: headings, tables and figures
# outside the explorer (which the script builds).
STATIC_SCRIPT = """
const outside = e => !e.closest('#explorer');
const shown = e => e.getClientRects().length > 0;
return {
  headings: Array.from(document.querySelectorAll('h1, h2, h3')).filter(outside).map(h => h.textContent),
  tables: Array.from(document.querySelectorAll('table')).filter(outside).filter(shown).length,
  figures: Array.from(document.querySelectorAll('figure')).filter(outside).filter(shown).length,
  fallback: Array.from(document.querySelectorAll('.explorer-fallback')).filter(shown).map(p => p.textContent),
  controls: document.querySelectorAll('#explorer select').length,
};
"""

# Loads every sprite the explorer's data names and reports each one's size (0 × 0: it did not
# decode) beside the size its layout says it has.
SPRITES_SCRIPT = """
const done = arguments[arguments.length - 1];
const data = JSON.parse(document.getElementById('explorer-data').textContent);
const rows = data.inputs.length;
const wanted = [[data.inputSprite, 2 * data.cellWidth, rows * data.cellHeight]].concat(
  data.layers.map(l => [l.sprite, (l.pool + 2) * data.cellWidth, rows * data.cellHeight]));
Promise.all(wanted.map(([path, width, height]) => new Promise(resolve => {
  const image = new Image();
  image.onload = () => resolve({path, width, height, natural: [image.naturalWidth, image.naturalHeight]});
  image.onerror = () => resolve({path, width, height, natural: [0, 0]});
  image.src = path;
}))).then(done);
"""

# What the explorer shows now: the sample cells' sprite and place in it, the pictures above them.
VIEW_SCRIPT = """
const cells = sel => Array.from(document.querySelectorAll(sel)).map(c => {
  const style = getComputedStyle(c);
  return [style.backgroundImage, style.backgroundPosition, c.getAttribute('aria-label')];
});
return {
  samples: cells('#explorer .explorer-pool .sprite-cell'),
  pictures: cells('#explorer .explorer-row:not(.explorer-pool) .sprite-cell'),
  title: document.querySelector('#explorer .explorer-title').textContent,
  layer: document.getElementById('explorer-layer').value,
  input: document.getElementById('explorer-input').value,
};
"""


def browser(javascript=True):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None, "selenium is not installed (pip install selenium)"
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
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
    markup = driver.execute_script(MARKUP_SCRIPT, sorted(PAGE_TAGS))
    unlabelled = driver.execute_script(UNLABELLED_SCRIPT)
    full_page(driver, width, os.path.join(screenshots, f"report-{width}.png"))
    return {"console": console, "broken_images": broken, "overflow": overflow, "text_not_shown": absent, "markup": markup,
            "unlabelled": unlabelled}


def full_page(driver, width, path):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 900), 16000))
    driver.save_screenshot(path)


def explorer(driver, url, screenshots, required):
    """Drives the explorer through its controls at 1280 px; returns its problems and views."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    found = {"problems": [], "views": [], "layers": [], "titles": []}
    driver.set_window_size(1280, 1600)  # tall enough for a view's screenshot
    driver.get(url)
    if not driver.find_elements(By.ID, "explorer-data"):
        if required:
            found["problems"].append("the page has no explorer")
        return found
    if not driver.find_elements(By.ID, "explorer-layer"):
        found["problems"].append("the script did not build the explorer")
        return found
    for sprite in driver.execute_async_script(SPRITES_SCRIPT):
        if sprite["natural"] != [sprite["width"], sprite["height"]]:
            found["problems"].append(f"sprite {sprite['path']} is {sprite['natural'][0]}x{sprite['natural'][1]}, "
                                     f"its layout says {sprite['width']}x{sprite['height']}")
    box = driver.find_element(By.ID, "explorer")
    layer, image = Select(driver.find_element(By.ID, "explorer-layer")), Select(driver.find_element(By.ID, "explorer-input"))
    found["layers"] = [o.text for o in layer.options]

    def view(name):
        shown = driver.execute_script(VIEW_SCRIPT)
        found["titles"].append(shown["title"])
        if not shown["samples"] or not all(c[2] for c in shown["samples"] + shown["pictures"]):
            found["problems"].append(f"{name}: no sample cells, or a cell without its description")
        driver.execute_script("arguments[0].scrollIntoView()", box)
        box.screenshot(os.path.join(screenshots, name + ".png"))
        found["views"].append(name + ".png")
        return shown

    # Each layer (first input): the samples come from another sprite.
    image.select_by_index(0)
    by_layer = []
    for i in range(len(layer.options)):
        layer.select_by_index(i)
        by_layer.append(view(f"explorer-layer-{i}"))
    sprites = [v["samples"][0][0] if v["samples"] else None for v in by_layer]
    if len(set(sprites)) != len(sprites):
        found["problems"].append(f"choosing another layer did not change the samples' sprite: {sprites}")
    # Each input (first layer): the same sprite, another row of it, and another input picture.
    layer.select_by_index(0)
    by_input = []
    for i in range(len(image.options)):
        image.select_by_index(i)
        by_input.append(view(f"explorer-input-{i}"))
    for key in ("samples", "pictures"):
        places = [tuple(c[1] for c in v[key]) for v in by_input]
        if len(set(places)) != len(places):
            found["problems"].append(f"choosing another input did not move the {key} cells")
    # The keyboard: arrow keys on the view step the input and the layer, and on a chooser natively.
    image.select_by_index(0)
    layer.select_by_index(0)
    driver.find_element(By.CSS_SELECTOR, "#explorer .explorer-view").send_keys(Keys.ARROW_RIGHT)
    if len(image.options) > 1 and driver.execute_script(VIEW_SCRIPT)["input"] != "1":
        found["problems"].append("the right arrow key on the view did not step to the next input")
    driver.find_element(By.ID, "explorer-layer").send_keys(Keys.ARROW_DOWN)
    if len(layer.options) > 1 and driver.execute_script(VIEW_SCRIPT)["layer"] != "1":
        found["problems"].append("the down arrow key on the layer chooser did not step to the next layer")
    # At a phone's width the explorer fits (the page-wide overflow check ran with it built) and looks so.
    # (A tall window: an element's screenshot ends at the window's edge.)
    driver.set_window_size(390, 2400)
    driver.execute_script("arguments[0].scrollIntoView()", box)
    box.screenshot(os.path.join(screenshots, "explorer-390.png"))
    found["views"].append("explorer-390.png")
    return found


def heat(driver, url):
    """Points at and focuses every score of the heat-map table: its title must become the read-out line."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    found = {"problems": [], "lines": []}
    driver.set_window_size(1280, 900)
    driver.get(url)
    cells = driver.find_elements(By.CSS_SELECTOR, "td.heat")
    for i, cell in enumerate(cells):
        title = cell.get_attribute("title")
        line = cell.find_element(By.XPATH, "ancestor::div[contains(@class, 'table-box')]/following-sibling::p[1]")
        if i % 2 == 0:
            ActionChains(driver).move_to_element(cell).perform()
        else:
            driver.execute_script("arguments[0].focus()", cell)
        text = line.text
        if not line.is_displayed() or text != title:
            found["problems"].append(f"score {i} ({'pointed at' if i % 2 == 0 else 'focused'}): the read-out line says {text!r}, not {title!r}")
        if cell.get_attribute("tabindex") != "0":
            found["problems"].append(f"score {i} cannot be reached with the keyboard")
        found["lines"].append(text)
    return found


def without_javascript(url, screenshots, reference):
    """The page with JavaScript off: the static content of `reference` (the page with it on) is all there."""
    driver, problem = browser(javascript=False)
    if driver is None:
        return {"problems": [problem]}
    problems = []
    try:
        for width in WIDTHS:
            driver.set_window_size(width, 900)
            driver.get(url)
            page = driver.execute_script(STATIC_SCRIPT)
            for key in ("headings", "tables", "figures"):
                if page[key] != reference[key]:
                    problems.append(f"{width}: {key} {page[key]!r}, with JavaScript {reference[key]!r}")
            if page["controls"]:
                problems.append(f"{width}: the explorer's controls are there without JavaScript")
            if reference["controls"] and not page["fallback"]:
                problems.append(f"{width}: the explorer's note for readers without JavaScript is not shown")
            broken = driver.execute_script(IMAGES_SCRIPT)
            if broken:
                problems.append(f"{width}: images that did not decode: {broken}")
            layout = driver.execute_script(OVERFLOW_SCRIPT)
            problems += [f"{width}: {w}" for w in layout["wide"]]
            full_page(driver, width, os.path.join(screenshots, f"report-nojs-{width}.png"))
    finally:
        driver.quit()
    return {"problems": problems}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--expect-text", action="append", default=[],
                        help="text the page must show as text (repeatable): a name with <, & or quotes that must not become markup")
    parser.add_argument("--expect-explorer", action="store_true", help="the page must have the sample explorer")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    driver, problem = browser()
    if driver is None:
        print(json.dumps({"ok": False, "no_browser": problem}))
        return 2
    try:
        url = "file://" + os.path.abspath(args.page)
        widths = {str(w): check(driver, url, w, args.screenshots, args.expect_text) for w in WIDTHS}
        explored = explorer(driver, url, args.screenshots, args.expect_explorer)
        scores = heat(driver, url)
        driver.set_window_size(1280, 900)
        driver.get(url)
        reference = driver.execute_script(STATIC_SCRIPT)
    finally:
        driver.quit()
    static = without_javascript(url, args.screenshots, reference)
    ok = all(not any(r.values()) for r in widths.values()) and not (explored["problems"] or scores["problems"] or static["problems"])
    print(json.dumps({"widths": widths, "explorer": explored, "heat": scores, "no_javascript": static, "ok": ok}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
