import Foundation
import XCTest
@testable import Benchmarks
import Imaging
import Tensors

/// The workloads torch_reference.py defines on the 64×64 autoencoder and on a folder of JPEGs:
/// the reference's names, units, work counts and warm-up, and steps that do the work.
final class ReferenceWorkloadTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// JPEGs from the Imaging tests' fixtures.
    private func copyJPEG(_ name: String, as target: String) throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ImagingTests/Fixtures/jpeg")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: folder.appendingPathComponent(target))
    }

    func testAutoencoder64StepIsTheReferencesWorkload() throws {
        let workload = try XCTUnwrap(WorkloadCatalog.all.first { $0.name == "autoencoder64_train_step" })
        XCTAssertEqual(workload.unit, "steps/s (batch 32, 64x64)")
        XCTAssertEqual(workload.workPerStep, 1)
        XCTAssertEqual(workload.warmup, 3)
        let names = WorkloadCatalog.all.map(\.name)
        XCTAssertEqual(names.firstIndex(of: "autoencoder64_train_step"), names.firstIndex(of: "cinn_train_step").map { $0 + 1 },
                       "in the reference's order")
        let step = try workload.setup()
        step()  // the 64×64 model, batch 32, a 128-d latent: shapes that do not fit would trap here
    }

    func testImageWorkloadReadsEveryJPEGOfTheFolder() throws {
        try copyJPEG("photo.jpg", as: "0000.jpg")
        try copyJPEG("photo-o6.jpg", as: "0001.jpg")
        try copyJPEG("rgb-420.jpg", as: "0002.jpg")
        try Data("not listed".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let workload = try Workload.imagesDecodeResize(directory: folder)
        XCTAssertEqual(workload.name, "images_decode_resize_64")
        XCTAssertEqual(workload.unit, "images/s (256x256 JPEG -> 64x64)")
        XCTAssertEqual(workload.workPerStep, 3, "images per step: the .jpg files")
        XCTAssertEqual(workload.warmup, 1, "the reference's timed(decode_all, secs, warmup=1)")
        let step = try workload.setup()
        step()
        XCTAssertEqual(try WorkloadCatalog.select(["images"], from: [workload]).map(\.name), ["images_decode_resize_64"])
    }

    /// One image: the fitted RGB bitmap as float planes, sample / 255.
    func testAnImageBecomesFloatPlanesOfTheFittedBitmap() throws {
        try copyJPEG("photo.jpg", as: "photo.jpg")
        let path = folder.appendingPathComponent("photo.jpg").path
        let size = 24
        var planes = [Float](repeating: -1, count: 3 * size * size)
        try Workload.loadPlanes(path, size: size, into: &planes)
        let bitmap = try ImageFile.readFitted(path, width: size, height: size)
        for p in 0..<(size * size) {
            for c in 0..<3 {
                XCTAssertEqual(planes[c * size * size + p], Float(bitmap.samples[3 * p + c]) / 255)
            }
        }
    }

    func testAnEmptyOrBrokenFolderStopsTheWorkloadBeforeTiming() throws {
        XCTAssertThrowsError(try Workload.imagesDecodeResize(directory: folder)) { error in
            XCTAssertEqual(error as? BenchmarkError, .noImages(folder.path))
            XCTAssertTrue("\(error)".contains("--export-images"), "says how to write the set")
        }
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 4]).write(to: folder.appendingPathComponent("cut.jpg"))
        let workload = try Workload.imagesDecodeResize(directory: folder)
        XCTAssertThrowsError(try BenchmarkRunner.run([workload], seconds: 0.01, threads: 1)) { error in
            guard case .setupFailed("images_decode_resize_64", let reason)? = error as? BenchmarkError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("cut.jpg"), reason)
        }
    }
}
