import FileSupport
import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// FashionScenes written as a folder (`diagnose scenes --table`): the table reads back as exactly
/// the scenes' factors, the PNGs hold the scenes' pixels, and existing folders are replaced only
/// when they are ours and --force is given.
final class SceneFolderTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws {
        dir = try Fixture.makeTempDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func world(size: Int = 32, seed: UInt64 = 3) throws -> FashionScenes {
        try FashionScenes(mnist: Fixture.train, size: size, seed: seed)
    }

    /// 0...255 the way a PNG viewer rounds: nearest level, written out here rather than taken from
    /// the code under test.
    private func level(_ x: Float) -> UInt8 {
        UInt8((min(max(Double(x), 0), 1) * 255).rounded(.toNearestOrAwayFromZero))
    }

    private func assertFolderFailure(_ path: String, force: Bool, _ words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try SceneFolder(path, force: force), line: line) { error in
            guard case DatasetError.outputFolder = error else { return XCTFail("unexpected \(error)", line: line) }
            for word in words { XCTAssertTrue("\(error)".contains(word), "'\(word)' missing from: \(error)", line: line) }
        }
    }

    func testTheTableReadsBackAsExactlyTheScenesFactors() throws {
        let world = try world()
        let out = "\(dir!)/scenes"
        let indices = 5..<125
        var reported: [Int] = []
        try SceneFolder(out, force: false).write(world, indices: indices) { reported.append($0) }
        XCTAssertEqual(reported.last, indices.count)

        let table = try ImageTable.read("\(out)/factors.csv")
        XCTAssertEqual(table.columns.map(\.name), SceneFactors.names)
        for (column, descriptor) in zip(table.columns, SceneFactors.descriptors) {
            switch (column.kind, descriptor.kind) {
            case let (.continuous(observed), .continuous(declared)):
                // The table states no range; the values seen must lie in the world's.
                XCTAssertTrue(declared.contains(observed.lowerBound) && declared.contains(observed.upperBound),
                              "\(column.name): \(observed) outside \(declared)")
            default:
                XCTAssertEqual(column.kind, descriptor.kind, column.name)
            }
        }
        XCTAssertEqual(table.rows.count, indices.count)
        for (row, index) in zip(table.rows, indices) {
            XCTAssertEqual(row.path, "\(out)/scene-\(String(repeating: "0", count: 6 - String(index).count))\(index).png")
            let expected = world.factors(index).values
            XCTAssertEqual(row.values.map { $0?.bitPattern }, expected.map(\.bitPattern), "scene \(index)")
        }
        // The same images in the same order when the folder is scanned instead.
        XCTAssertEqual(try ImageFolder.scan(out).rows.map(\.path), table.rows.map(\.path))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.contains(".partial-") || $0.contains(".old-") })
    }

    func testThePNGsHoldTheScenesQuantisedToEightBits() throws {
        for size in [32, 64] {
            let world = try world(size: size, seed: 11)
            let out = "\(dir!)/scenes\(size)"
            try SceneFolder(out, force: false).write(world, indices: 250..<262)
            for index in 250..<262 {
                let bitmap = try ImageFile.read("\(out)/\(SceneFolder.fileName(index: index))")
                XCTAssertEqual([bitmap.width, bitmap.height], [size, size])
                let pixels = world.scene(index).pixels
                let plane = size * size
                var expected = [UInt8](repeating: 0, count: 3 * plane)
                for p in 0..<plane { for c in 0..<3 { expected[3 * p + c] = level(pixels[c * plane + p]) } }
                XCTAssertEqual(bitmap.samples, expected, "size \(size) scene \(index)")
            }
        }
    }

    func testChunksDoNotChangeTheScenes() throws {
        // 300 scenes cross the writer's 256-scene batches: the scene after the boundary is the world's.
        let world = try world()
        let out = "\(dir!)/many"
        try SceneFolder(out, force: false).write(world, indices: 0..<300)
        let table = try ImageTable.read("\(out)/factors.csv")
        XCTAssertEqual(table.rows[256].values.map { $0! }, world.factors(256).values)
        let bitmap = try ImageFile.read("\(out)/scene-000299.png")
        XCTAssertEqual(bitmap.samples[0], level(world.scene(299).pixels[0]))
    }

    func testHeaderDeclaresEveryKind() {
        XCTAssertEqual(SceneFolder.header,
                       "path,class[categorical:10],hue[circular:1],saturation[continuous],value[continuous],offset_x[continuous],"
                       + "offset_y[continuous],background_kind[categorical:4],background_hue[circular:1],background_saturation[continuous],"
                       + "background_value[continuous]")
        XCTAssertEqual(SceneFolder.fileName(index: 42), "scene-000042.png")
        XCTAssertEqual(SceneFolder.fileName(index: 1_234_567), "scene-1234567.png")
    }

    func testAnEmptyOrMissingFolderIsUsedAndOursIsReplacedOnlyWithForce() throws {
        let out = "\(dir!)/set"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try SceneFolder(out, force: false).write(try world(seed: 1), indices: 0..<20)
        assertFolderFailure(out, force: false, ["already holds scenes (20 PNGs and factors.csv)", "--force"])

        // A run that died left its staging folder; the next run removes it.
        let abandoned = "\(dir!)/.set.partial-2147483646"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        try SceneFolder(out, force: true).write(try world(seed: 2), indices: 0..<5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(),
                       ["factors.csv"] + (0..<5).map { SceneFolder.fileName(index: $0) })
        XCTAssertEqual(try ImageTable.read("\(out)/factors.csv").rows[0].values.map { $0! }, try world(seed: 2).factors(0).values)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["set"])
    }

    func testAFolderThatIsNotOursIsNeverReplaced() throws {
        let out = "\(dir!)/mine"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try AtomicFile.write(Array("keep".utf8), to: "\(out)/notes.txt")
        assertFolderFailure(out, force: false, ["not a scene folder of ours", "no factors.csv"])
        assertFolderFailure(out, force: true, ["not a scene folder of ours", "--force only replaces"])

        // Our table beside a file of the user's: still not ours to remove.
        try SceneFolder("\(dir!)/ours", force: false).write(try world(), indices: 0..<3)
        try AtomicFile.write(Array("keep".utf8), to: "\(dir!)/ours/notes.txt")
        assertFolderFailure("\(dir!)/ours", force: true, ["it also holds 'notes.txt'"])
        XCTAssertEqual(try AtomicFile.read("\(dir!)/ours/notes.txt"), Array("keep".utf8))

        // Someone else's factors.csv.
        try FileManager.default.removeItem(atPath: "\(dir!)/ours/notes.txt")
        try AtomicFile.write(Array("path,label\nscene-000000.png,1\n".utf8), to: "\(dir!)/ours/factors.csv")
        assertFolderFailure("\(dir!)/ours", force: true, ["does not start with the header this tool writes"])

        try AtomicFile.write(Array("x".utf8), to: "\(dir!)/file")
        assertFolderFailure("\(dir!)/file", force: true, ["is a file, not a folder"])
        assertFolderFailure(FileManager.default.currentDirectoryPath, force: true, ["working or home folder"])
        assertFolderFailure("/", force: true, ["working or home folder"])
        assertFolderFailure("", force: false, ["no folder named"])
    }
}
