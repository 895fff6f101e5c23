import Foundation
import XCTest
@testable import Datasets

final class FashionMNISTTests: XCTestCase {
    func testFixtureLoads() throws {
        let train = Fixture.train, test = Fixture.test
        XCTAssertEqual(train.count, 512)
        XCTAssertEqual(test.count, 256)
        XCTAssertEqual(train.images.count, 512 * 784)
        // The first train labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, ...
        XCTAssertEqual(Array(train.labels.prefix(10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        XCTAssertEqual(Array(test.labels.prefix(5)), [9, 2, 1, 1, 6])
        XCTAssertEqual(train.image(3).count, 784)
        XCTAssertGreaterThan(train.image(0).max() ?? 0, 200, "garments have full-ink pixels")
    }

    func testMissingDatasetNamesPackageAndFlag() throws {
        let dir = try Fixture.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try FashionMNIST(split: .train, dataDir: "\(dir)/nowhere", environment: [:])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("apt-get install dataset-fashion-mnist"), message)
            XCTAssertTrue(message.contains("--data-dir"), message)
            XCTAssertTrue(message.contains("FASHION_MNIST_DIR"), message)
            XCTAssertTrue(message.contains("train-images-idx3-ubyte.gz"), message)
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, message)
        }
    }

    func testDirectoryResolutionOrder() {
        let env = ["FASHION_MNIST_DIR": "/from/env"]
        XCTAssertEqual(FashionMNIST.resolveDirectory(dataDir: "/flag", environment: env).directory, "/flag")
        XCTAssertEqual(FashionMNIST.resolveDirectory(dataDir: nil, environment: env).directory, "/from/env")
        XCTAssertEqual(FashionMNIST.resolveDirectory(dataDir: nil, environment: [:]).directory, FashionMNIST.defaultDirectory)
        // The environment variable really is used to load.
        XCTAssertNoThrow(try FashionMNIST(split: .test, environment: ["FASHION_MNIST_DIR": Fixture.directory]))
    }

    func testCountMismatchBetweenImagesAndLabels() throws {
        let dir = try Fixture.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = Fixture.idx(rank: 3, dims: [3, 28, 28], data: [UInt8](repeating: 9, count: 3 * 784))
        let labels = Fixture.idx(rank: 1, dims: [2], data: [1, 2])
        try Fixture.write(try Gzip.compress(images), to: "\(dir)/t10k-images-idx3-ubyte.gz")
        try Fixture.write(try Gzip.compress(labels), to: "\(dir)/t10k-labels-idx1-ubyte.gz")
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { error in
            guard case let DatasetError.countMismatch(_, imageCount, _, labelCount) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(imageCount, 3)
            XCTAssertEqual(labelCount, 2)
            XCTAssertTrue("\(error)".contains("t10k-labels-idx1-ubyte.gz"), "\(error)")
        }
    }

    func testCorruptFilesNameTheFile() throws {
        let dir = try Fixture.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(Fixture.directory)/t10k-images-idx3-ubyte.gz"))
        try FileManager.default.copyItem(atPath: "\(Fixture.directory)/t10k-labels-idx1-ubyte.gz", toPath: "\(dir)/t10k-labels-idx1-ubyte.gz")
        let imagesPath = "\(dir)/t10k-images-idx3-ubyte.gz"

        try Fixture.write(Array(good.prefix(good.count / 2)), to: imagesPath)  // truncated gzip
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { error in
            XCTAssertTrue("\(error)".contains(imagesPath) && "\(error)".contains("truncated"), "\(error)")
        }
        try Fixture.write(Array("hello".utf8), to: imagesPath)  // not gzip at all
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { error in
            XCTAssertTrue("\(error)".contains(imagesPath) && "\(error)".contains("gzip"), "\(error)")
        }
        // Valid gzip of an IDX with bad magic.
        try Fixture.write(try Gzip.compress([1, 2, 3, 4, 5, 6, 7, 8]), to: imagesPath)
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("bad magic number"), "\(error)")
        }
        // Labels out of range.
        let images = Fixture.idx(rank: 3, dims: [1, 28, 28], data: [UInt8](repeating: 0, count: 784))
        try Fixture.write(try Gzip.compress(images), to: imagesPath)
        try Fixture.write(try Gzip.compress(Fixture.idx(rank: 1, dims: [1], data: [12])), to: "\(dir)/t10k-labels-idx1-ubyte.gz")
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { XCTAssertTrue("\($0)".contains("outside 0...9"), "\($0)") }
        // Wrong image side.
        let small = Fixture.idx(rank: 3, dims: [1, 27, 29], data: [UInt8](repeating: 0, count: 27 * 29))
        try Fixture.write(try Gzip.compress(small), to: imagesPath)
        XCTAssertThrowsError(try FashionMNIST(split: .test, directory: dir)) { XCTAssertTrue("\($0)".contains("expected 28x28"), "\($0)") }
    }

    func testUncompressedFilesAreAcceptedToo() throws {
        let dir = try Fixture.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            let gz = try Data(contentsOf: URL(fileURLWithPath: "\(Fixture.directory)/\(name).gz"))
            try Fixture.write(try Gzip.decompress(Array(gz), path: name), to: "\(dir)/\(name)")
        }
        let plain = try FashionMNIST(split: .test, directory: dir)
        XCTAssertEqual(plain.images, Fixture.test.images)
        XCTAssertEqual(plain.labels, Fixture.test.labels)
    }
}
