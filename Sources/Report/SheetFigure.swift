import Foundation
import Imaging

/// A contact sheet (the overview, a layer's sheet, the exemplar transfer: an `ImageGrid`) in
/// every format, from one layout: the PNG with its labels in the bitmap font and the same
/// enlarged for print, the pixels alone at print scale, SVG and TikZ with the labels as text,
/// and the TikZ's standalone wrapper (`FigureFiles.allOfSheet`).
public struct SheetFigure {
    public let grid: ImageGrid
    /// The SVG's `<title>`.
    public let title: String

    public init(_ grid: ImageGrid, title: String) {
        (self.grid, self.title) = (grid, title)
    }

    /// The files named after `png`, as bytes, in `FigureFiles.allOfSheet` order.
    public func outputs(named png: String) throws -> [(String, [UInt8])] {
        let files = FigureFiles(png), layout = grid.layout()
        let labelled = grid.render(), factor = FigureFiles.printFactor
        // The SVG embeds the print-scale pixels too: renderers that ignore its request for
        // pixelated scaling (librsvg, for one) then blur only 4× enlarged pixels.
        let plain = try ReportWriter.png(grid.renderImages().upscaled(by: factor), files.plain)
        return [
            (files.png, try ReportWriter.png(labelled, files.png)),
            (files.printScale, try ReportWriter.png(labelled.upscaled(by: factor), files.printScale)),
            (files.plain, plain),
            (files.svg, Array(SheetSVG.render(layout, images: plain, title: title).utf8)),
            (files.tikz, Array(SheetTikZ.render(layout, files: files).utf8)),
            (files.standalone, Array(TeXStandalone.figure(inputFile: files.tikz).utf8)),
        ]
    }

    /// Writes `outputs(named: png)` into the existing folder `directory`, each file atomically;
    /// on a failure the files this call created are removed again.
    public func write(to directory: URL, named png: String) throws {
        try ReportWriter.writeAll(try outputs(named: png), into: directory.path)
    }
}
