import Foundation

/// Renders a report document as one self-contained HTML page: inline CSS, one small inline script
/// (`script`), no external resources; figures are the PNGs beside the page, by relative path. Wide tables scroll inside
/// their own box (keyboard-reachable), so the page fits a laptop's or a phone's width
/// (Tests/Browser/check_report.py checks it in Chromium).
enum HTMLRenderer {
    static let style = """
    body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; background: #fff;
           max-width: 1100px; margin: 2em auto; padding: 0 1.5em; line-height: 1.5; }
    h1 { font-size: 1.7em; border-bottom: 2px solid #333; padding-bottom: .3em; }
    h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
    h3 { font-size: 1.05em; margin-top: 1.2em; }
    p, li, figcaption { overflow-wrap: anywhere; }
    .table-box { overflow-x: auto; max-width: 100%; margin: 1em 0; }
    table { border-collapse: collapse; font-size: .92em; }
    thead th { border-top: 2px solid #333; border-bottom: 1px solid #333; }
    tbody tr:last-child td { border-bottom: 2px solid #333; }
    th, td { padding: .3em .7em; text-align: left; vertical-align: top; }
    th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.num { white-space: nowrap; }
    tbody tr:nth-child(even) { background: #f5f5f5; }
    figure { margin: 1.2em 0; }
    figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #ddd; }
    figcaption { font-size: .9em; color: #444; margin-top: .3em; }
    ul.warnings li { color: #8a4b00; }
    p.missing { color: #8a0000; border: 1px dashed #8a0000; padding: .5em; }
    td.heat { font-weight: 600; text-align: center; cursor: default; border: 2px solid #fff; }
    td.heat:hover, td.heat:focus { outline: 3px solid #e66100; outline-offset: -3px; }
    p.heat-readout { font-size: .9em; background: #f5f5f5; border-left: 3px solid #555; padding: .4em .7em; min-height: 3em; }
    """ + ExplorerScript.style

    /// The page's own script, inline with the explorer's (`ExplorerScript`) as its only script:
    /// the heat map's read-out line, and an image that does not load (its file moved or deleted
    /// from the report folder) is replaced by a note naming the file, so the page says what is
    /// missing. Without JavaScript the page is the same but for these and the explorer.
    static let script = """
    (function () {
      // A heat-map cell tells its read-out quality in the line under its table when pointed at or
      // focused; without the script its title says the same as a tooltip.
      function readOut(event) {
        var cell = event.target.closest && event.target.closest('td.heat');
        var box = cell && cell.closest('.table-box');
        var line = box && box.nextElementSibling;
        if (line && line.classList.contains('heat-readout')) { line.textContent = cell.title; }
      }
      Array.prototype.forEach.call(document.querySelectorAll('p.heat-readout'), function (line) { line.hidden = false; });
      document.addEventListener('mouseover', readOut);
      document.addEventListener('focusin', readOut);
    })();
    (function () {
      function note(img) {
        if (!img.parentNode) { return; }
        var p = document.createElement('p');
        p.className = 'missing';
        p.textContent = 'Missing from the report folder: ' + img.getAttribute('src');
        img.replaceWith(p);
      }
      function scan() {
        Array.prototype.forEach.call(document.images, function (img) {
          if (img.complete && img.naturalWidth === 0) { note(img); }
        });
      }
      Array.prototype.forEach.call(document.images, function (img) {
        img.addEventListener('error', function () { note(img); });
      });
      scan();
      // An image can fail between the scan and its listener: look again once everything settled.
      window.addEventListener('load', scan);
    })();
    """

    static func render(_ doc: ReportDocument) -> String {
        var body = "<h1>\(escape(doc.title))</h1>\n"
        var lastHeading = ""
        for block in doc.blocks {
            switch block {
            case let .heading(level, text):
                let l = min(max(level, 1), 6)
                body += "<h\(l) id=\"\(anchor(text))\">\(escape(text))</h\(l)>\n"
                lastHeading = text
            case let .paragraph(text):
                body += "<p>\(escape(text))</p>\n"
            case let .table(table):
                body += render(table)
            case let .figure(path, caption, vector):
                body += "<figure><img src=\"\(escape(MarkdownRenderer.linkPath(vector ?? path)))\" alt=\"\(escape(caption))\">"
                    + "<figcaption>\(escape(caption))</figcaption></figure>\n"
            case let .bullets(items):
                let cls = lastHeading == "Warnings" ? " class=\"warnings\"" : ""
                body += "<ul\(cls)>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
            case let .explorer(explorer):
                body += explorer.html()
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(doc.title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)<script>
        \(script)
        \(ExplorerScript.source)
        </script>
        </body>
        </html>

        """
    }

    static func render(_ table: ReportTable) -> String {
        func cls(_ i: Int) -> String { i < table.rightAligned.count && table.rightAligned[i] ? " class=\"num\"" : "" }
        // A wide table scrolls inside its box instead of pushing the page past the screen's edge.
        var out = "<div class=\"table-box\" tabindex=\"0\" role=\"region\" aria-label=\"table\">\n<table>\n<thead><tr>"
        for (i, h) in table.header.enumerated() { out += "<th\(cls(i))>\(escape(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (r, row) in table.rows.enumerated() {
            out += "<tr>"
            for (i, c) in row.enumerated() {
                if let heat = table.heatCell(r, i) {
                    // Coloured as the heat map figure colours the score; focusable, so the keyboard reaches its read-out too.
                    let (fill, ink) = InvarianceHeatmap.colors(heat.score)
                    out += "<td class=\"num heat\" tabindex=\"0\" style=\"background-color: \(SVGCanvas.hex(fill)); color: \(SVGCanvas.hex(ink))\" "
                        + "title=\"\(escape(heat.detail))\">\(escape(c))</td>"
                } else {
                    out += "<td\(cls(i))>\(escape(c))</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n"
        if table.heat != nil {
            // Shown by the script, which fills it; without the script each cell's title tells the same.
            out += "<p class=\"heat-readout\" aria-live=\"polite\" hidden>Point at a score, or reach it with the Tab key, for its "
                + "factor's read-out quality, floor and ceiling.</p>\n"
        }
        return out
    }

    /// A heading's id, so sections can be linked ("report.html#warnings").
    static func anchor(_ text: String) -> String {
        let words = text.folding(options: [.diacriticInsensitive], locale: nil).lowercased().split { !($0.isLetter || $0.isNumber) || !$0.isASCII }
        return words.joined(separator: "-")
    }

    /// `value` as JSON for a `<script type="application/json">` element: `<`, `>` and `&` are
    /// written as \u escapes (valid JSON, read back unchanged by JSON.parse), so no name can
    /// close the element ("</script>") or open a comment; U+2028/2029 likewise, for old parsers.
    static func scriptData<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value the page embeds is strings, integers and arrays of them: encoding cannot fail.
        guard let json = try? encoder.encode(value) else { return "null" }
        var out = ""
        for c in String(decoding: json, as: UTF8.self).unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes text for element content and double- or single-quoted attributes alike.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
