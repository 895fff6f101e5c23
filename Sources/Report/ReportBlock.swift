/// One piece of the report's body. The Markdown and HTML renderers walk the same list of blocks,
/// so both files always say the same thing. All text is plain; each renderer escapes it.
enum ReportBlock {
    case heading(level: Int, text: String)
    case paragraph(String)
    case table(ReportTable)
    /// An image beside the report, by a path relative to the report folder; `vector` is the same
    /// figure as SVG, which the HTML page shows instead (sharp at any zoom, text selectable).
    case figure(path: String, caption: String, vector: String? = nil)
    case bullets([String])
    /// report.html's sample explorer; Markdown, which cannot show it, says where its pictures are.
    case explorer(ReportExplorer)
}
