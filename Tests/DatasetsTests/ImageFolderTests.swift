import FileSupport
import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// Scanning folders of images: what counts as an image, the order, torchvision's class layout,
/// and the refusals.
final class ImageFolderTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws {
        dir = try Fixture.makeTempDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func touch(_ names: [String]) throws {
        for name in names {
            let path = "\(dir!)/\(name)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write([0], to: path)
        }
    }

    func testImagesAreFoundRecursivelyInByteOrderSkippingHiddenAndOtherFiles() throws {
        try touch(["b.PNG", "a.jpeg", "Z.jpg", "deep/er/x.Jpg", "notes.txt", "anim.gif", ".hidden.png",
                   "._a.jpeg", ".ipynb_checkpoints/c.png", "deep/readme", "deep/y.png"])
        let set = try ImageFolder.scan(dir)
        XCTAssertEqual(set.rows.map { String($0.path.dropFirst(dir.count + 1)) },
                       ["Z.jpg", "a.jpeg", "b.PNG", "deep/er/x.Jpg", "deep/y.png"])
        XCTAssertEqual(set.columns, [], "images at the top level: no class layout")
        XCTAssertEqual(set.source, dir)
        XCTAssertTrue(set.rows.allSatisfy { $0.values.isEmpty && $0.line == nil })
    }

    /// torchvision's layout: a subfolder per class, classes sorted, deeper folders belong to
    /// their top-level class.
    func testClassSubfoldersGiveAClassAttributeWithTorchvisionsIndices() throws {
        try touch(["dog/1.png", "cat/2.jpg", "cat/sub/3.png", "Bird/4.jpeg", "dog/notes.txt"])
        let set = try ImageFolder.scan(dir)
        XCTAssertEqual(set.columns, [AttributeColumn(name: "class", kind: .categorical(classes: 3), categories: ["Bird", "cat", "dog"])])
        XCTAssertEqual(set.rows.map { String($0.path.dropFirst(dir.count + 1)) }, ["Bird/4.jpeg", "cat/2.jpg", "cat/sub/3.png", "dog/1.png"])
        XCTAssertEqual(set.rows.map(\.values), [[0], [1], [1], [2]])
    }

    func testOneSubfolderOrImagesBesideTheSubfoldersGiveNoClass() throws {
        try touch(["only/1.png", "only/2.png"])
        XCTAssertEqual(try ImageFolder.scan(dir).columns, [])
        try touch(["other/3.png", "top.png"])
        XCTAssertEqual(try ImageFolder.scan(dir).columns, [], "an image at the top level breaks the layout")
        try FileManager.default.removeItem(atPath: "\(dir!)/top.png")
        XCTAssertEqual(try ImageFolder.scan(dir).columns.map(\.name), ["class"])
    }

    func testEmptyFoldersFilesAndMissingPathsAreRefused() throws {
        try touch(["a.gif", "b.gif", "c.bmp", "sub/README"])
        XCTAssertThrowsError(try ImageFolder.scan(dir)) { error in
            guard case let DatasetError.imageFolder(path, problem, fix) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, dir)
            XCTAssertTrue(problem.contains("no PNG or JPEG images found") && problem.contains("2 .gif, 1 without extension, 1 .bmp"), problem)
            XCTAssertTrue(fix.contains(".png, .jpg or .jpeg"), fix)
        }
        let empty = "\(dir!)/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try ImageFolder.scan(empty)) { error in
            XCTAssertTrue("\(error)".contains("hold no files"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFolder.scan("\(dir!)/a.gif")) { error in
            XCTAssertTrue("\(error)".contains("is a file, not a folder") && "\(error)".contains(".csv or .tsv"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFolder.scan("\(dir!)/nowhere")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }

    /// A symbolic link back up the tree is followed once, not forever.
    func testASymbolicLinkLoopEnds() throws {
        try touch(["a/x.png"])
        try FileManager.default.createSymbolicLink(atPath: "\(dir!)/a/loop", withDestinationPath: dir)
        let set = try ImageFolder.scan(dir)
        XCTAssertEqual(set.rows.map { String($0.path.dropFirst(dir.count + 1)) }, ["a/x.png"])
    }
}
