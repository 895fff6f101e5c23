/// The files one figure is written as, named after its PNG (`heatmap.png` → `heatmap.svg`,
/// `heatmap.tex`, `heatmap-standalone.tex`), so report.json's figure names find all of them.
public struct FigureFiles {
    public let png: String
    public let svg: String
    /// TikZ/pgfplots source to `\input` in a document.
    public let tikz: String
    /// A document that compiles `tikz` on its own with pdflatex.
    public let standalone: String

    /// The raster figure enlarged `printFactor` times by pixel repetition (nearest neighbour, no
    /// blur): contact sheets and the overview at a size a printer does not smooth.
    public let printScale: String
    /// 4× makes a 96-pixel sheet image 384 pixels: 1.3 inches at 300 dpi.
    public static let printFactor = 4
    /// A contact sheet's pixels without its labels, at print scale: the picture `tikz` sets its
    /// labels around (`SheetFigure`).
    public let plain: String

    public init(_ png: String) {
        let base = png.hasSuffix(".png") ? String(png.dropLast(4)) : png
        self.png = png
        svg = base + ".svg"
        tikz = base + ".tex"
        standalone = base + "-standalone.tex"
        printScale = base + "-print.png"
        plain = base + "-plain.png"
    }

    public var all: [String] { [png, svg, tikz, standalone] }
    /// The files of a contact sheet, in the order `SheetFigure` writes them.
    public var allOfSheet: [String] { [png, printScale, plain, svg, tikz, standalone] }
}
