import Foundation
@testable import Datasets

/// The committed Fashion-MNIST subset (Fixtures/fashion-mnist-subset), found from this file's path
/// so tests never need /usr/share/datasets.
enum Fixture {
    static let directory: String = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // DatasetsTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
            .appendingPathComponent("Fixtures/fashion-mnist-subset").path
    }()

    static let train: FashionMNIST = {
        do { return try FashionMNIST(split: .train, directory: directory) } catch { fatalError("fixture: \(error)") }
    }()

    static let test: FashionMNIST = {
        do { return try FashionMNIST(split: .test, directory: directory) } catch { fatalError("fixture: \(error)") }
    }()

    /// A fresh empty directory under the system temp directory.
    static func makeTempDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// IDX bytes with the given dimensions and data.
    static func idx(rank: Int, dims: [Int], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(rank)]
        for d in dims { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + data
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
