import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging
import XCTest
@testable import Report

/// The contact sheets in every format: the SVG has each label of the layout as text over the
/// sheet's pixels, and the TikZ compiles with labels that carry LaTeX's special characters.
final class SheetFigureTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try SyntheticResult.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// An overview-like sheet: two layers, one named like an imported network's, one with XML's
    /// and LaTeX's special characters; row titles like the pipeline's and one with more of them.
    private func sheet(layers: [String] = ["/layer2/layer2.1/relu_1/Relu_output_0", "50%_block#2 & <x> \"q\""]) throws -> ImageGrid {
        var sheet = ContactSheet(layers: layers, samplesPerLayer: 2, scale: 2)
        for r in 0..<3 {
            func tile(_ k: Int) -> Image { Image(width: 12, height: 12, fill: RGB8(UInt8(40 * r), UInt8(30 * k), 200)) }
            try sheet.add(.init(title: r == 2 ? "a_b~c^d \\ e" : "#\(r + 3)", input: tile(0), reconstruction: tile(1),
                                samples: layers.indices.map { l in [tile(2 + 3 * l), tile(3 + 3 * l)] }, mlp: layers.indices.map { l in tile(4 + 3 * l) }))
        }
        return sheet.grid()
    }

    /// Reads an SVG's `<text>` elements (content and attributes) and its one `<image>`.
    private final class SVGReader: NSObject, XMLParserDelegate {
        var texts: [(text: String, attributes: [String: String])] = []
        var images: [[String: String]] = []
        private var current: [String: String]?
        private var content = ""

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if element == "text" { (current, content) = (attributes, "") }
            if element == "image" { images.append(attributes) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if current != nil { content += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            if element == "text", let attributes = current {
                texts.append((content, attributes))
                current = nil
            }
        }
    }

    func testSVGHasEveryLabelAsTextOverTheSheetsPixels() throws {
        let grid = try sheet(), layout = grid.layout()
        let outputs = try SheetFigure(grid, title: "Overview & <more>").outputs(named: "overview.png")
        XCTAssertEqual(outputs.map(\.0), FigureFiles("overview.png").allOfSheet)
        let files = Dictionary(uniqueKeysWithValues: outputs)
        // The PNG is the labelled render; the plain PNG is the render without labels at print scale.
        XCTAssertEqual(Image(bitmap: try PNG.decode(try XCTUnwrap(files["overview.png"]))).pixels, grid.render().pixels)
        XCTAssertEqual(Image(bitmap: try PNG.decode(try XCTUnwrap(files["overview-plain.png"]))).pixels,
                       grid.renderImages().upscaled(by: FigureFiles.printFactor).pixels)

        let svg = try XCTUnwrap(files["overview.svg"])
        let parser = XMLParser(data: Data(svg)), reader = SVGReader()
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), String(describing: parser.parserError))
        // One <text> per label, in order, whose parsed content is the label: the escaping was right.
        XCTAssertEqual(reader.texts.map(\.text), layout.labels.map(\.text))
        XCTAssertEqual(layout.labels.count, 2 + grid.columns + grid.rows)
        XCTAssertTrue(layout.labels.contains { $0.text == "50%_block#2 & <x> \"q\"" })
        for (text, label) in zip(reader.texts, layout.labels) {
            let x = try XCTUnwrap(Double(text.attributes["x"] ?? ""))
            switch label.kind {
            case .rowHeader:
                XCTAssertEqual(text.attributes["text-anchor"], "start")
                XCTAssertLessThan(x, Double(layout.imageArea.x), label.text)
                XCTAssertTrue(label.span.contains(Int(text.attributes["y"] ?? "") ?? -1), label.text)
            case .columnHeader, .groupTitle:
                XCTAssertEqual(text.attributes["text-anchor"], "middle")
                // Centred where the PNG centres the bitmap text: over its columns, or for a text wider
                // than them (the long layer name here), from their left edge on.
                XCTAssertEqual(x, Double(label.box.x) + Double(label.box.width) / 2, label.text)
                if label.box.width <= label.span.count {
                    XCTAssertTrue(label.span.contains(Int(x)), "\(label.text) is centred over its columns")
                } else {
                    XCTAssertEqual(label.box.x, label.span.lowerBound, label.text)
                }
                XCTAssertLessThanOrEqual(Int(text.attributes["y"] ?? "") ?? .max, layout.imageArea.y, label.text)
            }
        }
        // The one image is the sheet without labels (the plain PNG's bytes), placed on its area.
        XCTAssertEqual(reader.images.count, 1)
        let image = try XCTUnwrap(reader.images.first)
        let area = layout.imageArea
        XCTAssertEqual([image["x"], image["y"], image["width"], image["height"]], [area.x, area.y, area.width, area.height].map { String($0) })
        let href = try XCTUnwrap(image["href"] ?? image["xlink:href"])
        let prefix = "data:image/png;base64,"
        XCTAssertTrue(href.hasPrefix(prefix))
        let png = try XCTUnwrap(Data(base64Encoded: String(href.dropFirst(prefix.count))))
        XCTAssertEqual(Array(png), files["overview-plain.png"])
    }

    /// The TikZ of a sheet and of a layer's sheet (named as the pipeline names an imported layer's)
    /// compile on their own and side by side in a two-column article, without running over the
    /// line: the pixels shrink to leave the row labels room.
    func testSheetTikZCompilesWithPdflatex() throws {
        _ = try PDFLaTeX.executable()
        let layer = "sheet-_layer2_layer2.1_relu_1_Relu_output_0-0123abcd.png"
        try SheetFigure(try sheet(), title: "overview").write(to: directory, named: "overview.png")
        try SheetFigure(try sheet(layers: ["/layer2/layer2.1/relu_1/Relu_output_0"]), title: "sheet").write(to: directory, named: layer)
        let tikz = try String(contentsOf: directory.appendingPathComponent("overview.tex"), encoding: .utf8)
        XCTAssertEqual(tikz.components(separatedBy: "\\node[").count - 2, try sheet().layout().labels.count, "a node per label and the image's")
        let paper = """
        \\documentclass[twocolumn]{article}
        \(TeXStandalone.fontSetup)
        \\usepackage{tikz}
        \\begin{document}
        \\begin{figure}[h]\\centering\\input{overview}\\caption{Overview.}\\end{figure}
        \\begin{figure}[h]\\centering\\input{\(FigureFiles(layer).tikz.dropLast(4))}\\caption{A layer.}\\end{figure}
        \\begin{figure*}[h]\\centering\\input{overview}\\caption{Overview, both columns.}\\end{figure*}
        \\end{document}

        """
        try paper.write(to: directory.appendingPathComponent("sheets.tex"), atomically: true, encoding: .utf8)
        for file in ["overview-standalone.tex", FigureFiles(layer).standalone, "sheets.tex"] {
            let (status, log) = try PDFLaTeX.compile(file, in: directory)
            XCTAssertEqual(status, 0, "\(file): pdflatex failed:\n\(log)")
            let bytes = try Data(contentsOf: directory.appendingPathComponent(String(file.dropLast(4)) + ".pdf"))
            XCTAssertEqual(Array(bytes.prefix(5)), Array("%PDF-".utf8), file)
            let wholeLog = try String(contentsOf: directory.appendingPathComponent(String(file.dropLast(4)) + ".log"), encoding: .utf8)
            XCTAssertFalse(wholeLog.contains("Overfull \\hbox"), "\(file): \(log)")
        }
        if let keep = ProcessInfo.processInfo.environment["SHEET_TEX_DIR"] {
            // For looking at the pages: copy the folder out before tearDown removes it.
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: directory, to: URL(fileURLWithPath: keep))
        }
    }
}
