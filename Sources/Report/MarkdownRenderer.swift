import Foundation

/// Renders a report document as CommonMark/GitHub Markdown with all text escaped.
enum MarkdownRenderer {
    static func render(_ doc: ReportDocument) -> String {
        var out = "# \(escape(doc.title))\n"
        for block in doc.blocks {
            out += "\n"
            switch block {
            case let .heading(level, text):
                out += String(repeating: "#", count: min(max(level, 1), 6)) + " " + escape(text) + "\n"
            case let .paragraph(text):
                out += escape(text) + "\n"
            case let .table(table):
                out += render(table)
            case let .figure(path, caption, _):
                out += "![\(escape(caption))](\(linkPath(path)))\n"
            case let .bullets(items):
                out += items.map { "- " + escape($0) + "\n" }.joined()
            case let .explorer(explorer):
                out += escape(explorer.spriteNote) + "\n"
            }
        }
        return out
    }

    static func render(_ table: ReportTable) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.isEmpty ? " " : escape($0) }.joined(separator: " | ") + " |\n"
        }
        var out = row(table.header)
        out += "|" + table.rightAligned.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for r in table.rows { out += row(r) }
        return out
    }

    /// Backslash-escapes Markdown punctuation (CommonMark allows it before any ASCII punctuation).
    /// An underscore inside a word ("offset_x") cannot start emphasis, so it stays readable.
    static func escape(_ text: String) -> String {
        let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "&", "#", "!", "{", "}"]
        let chars = Array(text.replacingOccurrences(of: "\n", with: " "))
        var out = ""
        for (i, c) in chars.enumerated() {
            if c == "_", i > 0, i + 1 < chars.count, chars[i - 1].isLetter || chars[i - 1].isNumber,
               chars[i + 1].isLetter || chars[i + 1].isNumber {
                out.append(c)
            } else if special.contains(c) {
                out.append("\\")
                out.append(c)
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// A relative path as a link destination: characters that would end or break the link are percent-encoded.
    static func linkPath(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "()<> ")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
