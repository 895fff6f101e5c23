import XCTest
@testable import Imaging

final class ColorMapTests: XCTestCase {
    func testLabelColoursAreDistinctAndLegendHasAllNames() throws {
        let names = (0..<11).map { "class \($0)" }
        let map = LabelColorMap(names: names, lastColor: RGB8(40, 40, 40))
        XCTAssertEqual(Set(map.colors).count, 11, "11 labels need 11 distinct colours")
        XCTAssertEqual(map.color(10), RGB8(40, 40, 40))
        XCTAssertEqual(map.color(200), map.unknownColor)
        let image = try map.image(labels: [0, 10, 3, 255], width: 2, height: 2)
        XCTAssertEqual(image.pixels, [map.color(0), map.color(10), map.color(3), map.unknownColor])
        let legend = map.legend(columns: 4)
        // Every swatch colour appears in the legend.
        for c in map.colors { XCTAssertTrue(legend.pixels.contains(c), "legend lacks \(c)") }
        XCTAssertThrowsError(try map.image(labels: [0], width: 2, height: 2))
    }

    func testHeatRampHitsItsStopsAndClamps() throws {
        let ramp = HeatColorMap.viridisLike
        XCTAssertEqual(ramp.color(0), RGB8(68, 1, 84))
        XCTAssertEqual(ramp.color(0.5), RGB8(33, 145, 140))
        XCTAssertEqual(ramp.color(1), RGB8(253, 231, 37))
        XCTAssertEqual(ramp.color(-3), ramp.color(0))
        XCTAssertEqual(ramp.color(7), ramp.color(1))
        XCTAssertEqual(ramp.color(.nan), ramp.color(0))
        // Halfway between two stops is the midpoint colour.
        XCTAssertEqual(ramp.color(0.125), RGB8(64, 42, 112))
        let image = try ramp.image(values: [2, 4, 6], width: 3, height: 1)
        XCTAssertEqual(image.pixels, [ramp.color(0), ramp.color(0.5), ramp.color(1)])
        let bar = ramp.colorBar(width: 100, height: 10, range: 0...1, title: "score")
        XCTAssertEqual(bar[0, 0], ramp.color(0))
        XCTAssertEqual(bar[99, 0], ramp.color(1))
        XCTAssertGreaterThan(bar.height, 10)
    }
}
