import Datasets
@testable import Diagnosis
import Experts
import FileSupport
import Foundation
import Imaging
import Report
import Tensors
import XCTest

/// A network whose invariances are known by construction, diagnosed on coloured images:
/// Fixtures/grey-network/grey.onnx (Tests/Reference/grey_network.py) turns the image into its luma
/// with a fixed 1×1 convolution, then continues as a small CNN. Its probe documents that `grey`
/// and `conv1` keep class and the luma's brightness and contrast (the photometric `pixel_`
/// factors) and ignore hue and saturation (the table's, and the pixels' hue); its comments say
/// why the others are listed as determined in part. The images are
/// Fashion-MNIST garments coloured at a chosen luma: hue and saturation are the angle and radius
/// of the (Cb, Cr) chroma, which leave the luma, and so every layer from `grey` on, unchanged.
final class GreyNetworkRunTests: XCTestCase {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/grey-network/grey.onnx")

    /// RGB of luma `y` and chroma (cb, cr) by BT.601's full-range YCbCr, whose luma
    /// 0.299 R + 0.587 G + 0.114 B is `y` again.
    static func rgb(y: Double, cb: Double, cr: Double) -> [Double] {
        [y + 1.402 * cr, y - 0.344_136 * cb - 0.714_136 * cr, y + 1.772 * cb]
    }

    /// `count` garments on black, 32×32, each coloured with a seeded hue (turns), saturation
    /// (chroma radius 0.06…0.2) and brightness (luma 0.35…0.65), as PNGs with `garments.csv`.
    static func colouredGarments(_ count: Int, in folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mnist = try FashionMNIST(split: .train, dataDir: DiagnosisRunTests.fixture)
        var rng = Xoshiro256(seed: 7)
        var table = "path,class,hue[circular:1],saturation,brightness\n"
        for i in 0..<count {
            let g = i % mnist.count
            let (hue, radius, luma) = (Double(rng.nextUniform()), 0.06 + 0.14 * Double(rng.nextUniform()), 0.35 + 0.3 * Double(rng.nextUniform()))
            let colour = rgb(y: luma, cb: radius * cos(2 * .pi * hue), cr: radius * sin(2 * .pi * hue))
            var bitmap = Bitmap(width: 32, height: 32, format: .rgb)
            for y in 0..<28 {
                for x in 0..<28 {
                    let v = Double(mnist.images[g * 784 + y * 28 + x]) / 255
                    for c in 0..<3 { bitmap.samples[((y + 2) * 32 + x + 2) * 3 + c] = UInt8((v * colour[c] * 255).rounded()) }
                }
            }
            let name = String(format: "garment-%04d.png", i)
            try PNG.write(bitmap, to: folder.appendingPathComponent(name).path)
            table += "\(name),\(mnist.labels[g]),\(Float(hue)),\(Float(radius)),\(Float(luma))\n"
        }
        let path = folder.appendingPathComponent("garments.csv").path
        try AtomicFile.write(Array(table.utf8), to: path)
        return path
    }

    /// The colours keep the luma: every pixel's luma is the garment's grey value times the
    /// brightness, whatever the hue and saturation (up to 8-bit rounding).
    func testTheColoursLeaveTheLumaUnchanged() {
        for (hue, radius) in [(0.0, 0.2), (0.25, 0.06), (0.6, 0.2), (0.9, 0.13)] {
            let c = Self.rgb(y: 0.5, cb: radius * cos(2 * .pi * hue), cr: radius * sin(2 * .pi * hue))
            XCTAssertEqual(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2], 0.5, accuracy: 1e-6)
            XCTAssertTrue(c.allSatisfy { (0...1).contains($0) }, "\(c)")
        }
    }

    /// The report's check against the documented invariances agrees on every factor: the layers
    /// from the grey step on ignore hue and saturation and keep brightness and shape.
    func testTheLayersAfterTheGreyStepIgnoreHueAndSaturation() throws {
        var o = DiagnosisRunTests.options("grey", layers: ["grey", "conv1"])
        let images = try Self.colouredGarments(900, in: o.output.deletingLastPathComponent().appendingPathComponent("garments"))
        o.expert = Self.model.path
        o.images = images
        o.autoencoder = try ExpertCatalog.weightsFile("autoencoder")
        let (result, folder) = try DiagnosisPipeline.run(o)
        for layer in result.layers {
            let line = layer.invariance.keys.sorted().map { "\($0) \(layer.invariance[$0].map { String(format: "%.2f", $0) } ?? "–")" }
            print("\(layer.name): \(line.joined(separator: ", "))")
            let validity = try XCTUnwrap(layer.validity, layer.name)
            XCTAssertEqual(Set(validity.keys), ["class", "pixel_brightness", "pixel_contrast", "hue", "saturation", "pixel_hue"], layer.name)
            for (factor, agrees) in validity { XCTAssertTrue(agrees, "\(layer.name) \(factor): \(layer.invariance[factor] ?? .nan)") }
        }
        XCTAssertFalse(result.warnings.contains { $0.contains("documented to") }, "\(result.warnings)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("Check against the documented invariances"))
    }
}
