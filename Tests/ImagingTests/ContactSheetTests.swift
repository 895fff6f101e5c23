import XCTest
@testable import Imaging

final class ContactSheetTests: XCTestCase {
    func testLayoutHasAColumnPerImageAndHeaders() throws {
        var sheet = ContactSheet(layers: ["early", "last"], samplesPerLayer: 3, scale: 2)
        XCTAssertEqual(sheet.columnHeaders, ["input", "recon", "s1", "s2", "s3", "MLP", "s1", "s2", "s3", "MLP"])
        let side = 4
        let red = [Float](repeating: 1, count: side * side) + [Float](repeating: 0, count: 2 * side * side)
        for row in 0..<2 {
            try sheet.add(title: "x\(row)", input: red, reconstruction: red,
                          samples: [[red, red, red], [red, red, red]], mlp: [red, red], width: side, height: side)
        }
        let image = sheet.render()
        // 10 image columns of 8 px plus padding, headers and the row title column.
        XCTAssertGreaterThan(image.width, 10 * 8)
        XCTAssertGreaterThan(image.height, 2 * 8)
        let redCount = image.pixels.filter { $0 == RGB8(255, 0, 0) }.count
        XCTAssertEqual(redCount, 2 * 10 * 8 * 8, "every cell appears once, enlarged 2x")
    }

    /// With the variation shown, each layer's group ends in its heat-map column, and the colour
    /// scale sits under every such column in a last row of its own.
    func testVariationColumnsAndTheirScale() throws {
        var sheet = ContactSheet(layers: ["early", "last"], samplesPerLayer: 2, scale: 2)
        sheet.showsVariation = true
        sheet.variationLegend = Image(width: 8, height: 3, fill: .white)
        XCTAssertEqual(sheet.columnHeaders, ["input", "recon", "s1", "s2", "MLP", "dE", "s1", "s2", "MLP", "dE"])
        let img = Image(width: 4, height: 4, fill: .gray), heat = Image(width: 4, height: 4, fill: RGB8(0, 0, 255))
        try sheet.add(.init(title: "#0", input: img, reconstruction: img, samples: [[img, img], [img, img]], mlp: [img, img],
                            variation: [heat, heat]))
        XCTAssertThrowsError(try sheet.add(.init(input: img, reconstruction: img, samples: [[img, img], [img, img]], variation: [heat])))
        let grid = sheet.grid()
        XCTAssertEqual(grid.rows, 2)
        XCTAssertEqual(grid.rowHeaders, ["#0", "scale"])
        XCTAssertEqual(grid[0, 5], heat.upscaled(by: 2))
        XCTAssertEqual(grid[0, 9], heat.upscaled(by: 2))
        XCTAssertEqual(grid[1, 5], sheet.variationLegend)
        XCTAssertEqual(grid[1, 9], sheet.variationLegend)
        XCTAssertNil(grid[1, 0])
        XCTAssertEqual(grid.columnGroups.map(\.columns), [2..<6, 6..<10])
    }

    func testMismatchedRowsAreRejected() throws {
        var sheet = ContactSheet(layers: ["a"], samplesPerLayer: 2)
        let img = Image(width: 2, height: 2)
        XCTAssertThrowsError(try sheet.add(.init(input: img, reconstruction: img, samples: [[img]])))
        XCTAssertThrowsError(try sheet.add(.init(input: img, reconstruction: img, samples: [[img, img], [img, img]])))
        XCTAssertNoThrow(try sheet.add(.init(input: img, reconstruction: nil, samples: [[img, img]])))
        XCTAssertEqual(sheet.rows.count, 1)
    }

    func testGridCentresSmallerCells() {
        var grid = ImageGrid(rows: 1, columns: 2)
        grid.padding = 1
        grid[0, 0] = Image(width: 4, height: 4, fill: .white)
        grid[0, 1] = Image(width: 2, height: 2, fill: .gray)
        let out = grid.render()
        XCTAssertEqual(out.width, 1 + 4 + 1 + 2 + 1)
        XCTAssertEqual(out.height, 1 + 4 + 1)
        XCTAssertEqual(out[6, 2], .gray)
        XCTAssertEqual(out[6, 1], grid.background)
    }

    /// A tile whose every pixel differs from its neighbours', so a cell drawn one pixel off shows.
    private static func tile(_ w: Int, _ h: Int, _ seed: Int) -> Image {
        var img = Image(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                img[x, y] = RGB8(UInt8((x * 37 + seed * 11) % 256), UInt8((y * 53 + seed * 7) % 256), UInt8((x * y + seed) % 256))
            }
        }
        return img
    }

    /// A layer sheet with a long layer name, a missing MLP and a smaller sample; the same at text
    /// scale 2; a grid whose group title is wider than its column and which has an empty cell.
    private static func referenceGrids() throws -> [ImageGrid] {
        var sheet = ContactSheet(layers: ["early", "/layer2/layer2.1/relu_1/Relu_output_0"], samplesPerLayer: 2, scale: 3)
        for r in 0..<3 {
            try sheet.add(.init(title: r == 1 ? nil : "#\(r * 7)", input: tile(8, 8, r), reconstruction: tile(8, 8, r + 1),
                                samples: [[tile(8, 8, r + 2), tile(6, 5, r + 3)], [tile(8, 8, r + 4), tile(8, 8, r + 5)]],
                                mlp: [tile(8, 8, r + 6), nil]))
        }
        var big = sheet
        big.textScale = 2
        var grid = ImageGrid(rows: 2, columns: 3)
        grid.columnHeaders = ["x \\ y", "a very long header", "b"]
        grid.rowHeaders = ["exemplar y", "x #0"]
        grid.columnGroups = [ImageGrid.ColumnGroup(title: "wider than its one column", columns: 2..<3)]
        for r in 0..<2 {
            for c in 0..<3 where (r, c) != (1, 1) { grid[r, c] = tile(10 + c, 9 + r, r * 3 + c) }
        }
        return [sheet.grid(), big.grid(), grid]
    }

    /// The bitmap render did not change when it began to draw from `layout()`: size and FNV-1a
    /// hash of the pixels are those of the render before the layout step (measured with that code).
    func testRenderIsTheRenderBeforeTheLayoutStep() throws {
        let expected = [(262, 115, "d6777b37cdb299bb"), (368, 134, "58fe03935b3c9768"), (227, 58, "3cb2b4477ba29409")]
        for (grid, (width, height, hash)) in zip(try Self.referenceGrids(), expected) {
            let image = grid.render()
            var h: UInt64 = 0xcbf29ce484222325
            for p in image.pixels {
                for b in [p.r, p.g, p.b] { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            }
            XCTAssertEqual(image.width, width)
            XCTAssertEqual(image.height, height)
            XCTAssertEqual(String(h, radix: 16), hash)
        }
    }

    /// Every label names what it should: a header spans its column's cells, a group title its
    /// columns, a row header its row; `renderImages()` is the labelled render's image area, and
    /// the labels lie outside that area.
    func testLayoutLabelsTheirColumnsAndRowsAndImagesAreTheRenderWithoutLabels() throws {
        for grid in try Self.referenceGrids() {
            let layout = grid.layout(), image = grid.render()
            XCTAssertEqual(layout.width, image.width)
            XCTAssertEqual(layout.height, image.height)
            let headers = layout.labels.filter { $0.kind == .columnHeader }
            let rows = layout.labels.filter { $0.kind == .rowHeader }
            let titles = layout.labels.filter { $0.kind == .groupTitle }
            XCTAssertEqual(headers.map(\.text), grid.columnHeaders)
            XCTAssertEqual(rows.map(\.text), grid.rowHeaders)
            XCTAssertEqual(titles.map(\.text), grid.columnGroups.map(\.title))
            XCTAssertEqual(layout.rules.count, titles.count)
            for cell in layout.cells {
                XCTAssertTrue(headers[cell.column].span.contains(cell.rect.x) && headers[cell.column].span.contains(cell.rect.maxX - 1))
                XCTAssertTrue(rows[cell.row].span.contains(cell.rect.y) && rows[cell.row].span.contains(cell.rect.maxY - 1))
                for (title, group) in zip(titles, grid.columnGroups) where group.columns.contains(cell.column) {
                    XCTAssertTrue(title.span.contains(cell.rect.x) && title.span.contains(cell.rect.maxX - 1), title.text)
                }
            }
            let area = layout.imageArea
            for label in layout.labels {
                let box = label.box
                XCTAssertTrue(box.maxX <= area.x || box.maxY <= area.y, "\(label.text) overlaps the images")
            }
            let images = grid.renderImages()
            XCTAssertEqual(images.width, area.width)
            XCTAssertEqual(images.height, area.height)
            var cropped = Image(width: area.width, height: area.height)
            cropped.draw(image, x: -area.x, y: -area.y)
            XCTAssertEqual(images.pixels, cropped.pixels)
            XCTAssertEqual(area.maxX, layout.width)
            XCTAssertEqual(area.maxY, layout.height)
        }
    }
}
