import XCTest
import Foundation
import Datasets
import FileSupport
import Imaging
@testable import Experts
@testable import Tensors

/// A segmenter's own output as the object regions of images without label maps: the probe's
/// declaration is checked where it is read, and the masks are its most likely classes.
final class SegmentationOutputTests: XCTestCase {
    /// An expert whose one layer returns fixed class scores [N, C, h, w].
    final class FixedScores: Expert {
        let scores: Tensor
        init(_ scores: Tensor) { self.scores = scores }
        var name: String { "fixed" }
        var identity: Digest { Digest.of(["fixed"]) }
        var weightsFile: URL? { nil }
        var layers: [(name: String, shape: [Int])] { [("out", Array(scores.shape.dropFirst()))] }
        func features(_ input: ExpertInput, layers: [String]) -> [String: Tensor] {
            let n = input.images.shape[0], per = scores.shape.dropFirst().reduce(1, *)
            return ["out": Tensor(shape: [n] + Array(scores.shape.dropFirst()), scalars: Array(scores.scalars.prefix(n * per)))]
        }
    }

    func testMasksAreTheMostLikelyClassResizedByNearestNeighbour() throws {
        // One image, 3 classes on a 2×2 map: class 0 (background) top left, 1 top right, 2 bottom
        // left, 0 again bottom right; at 4×4 each cell becomes a 2×2 block.
        let c0: [Float] = [5, 0, 0, 3], c1: [Float] = [1, 4, 0, 1], c2: [Float] = [0, 1, 2, 2]
        let expert = FixedScores(Tensor(shape: [1, 3, 2, 2], scalars: c0 + c1 + c2))
        let input = ExpertInput(images: Tensor(shape: [1, 3, 4, 4], scalars: Array(repeating: 0.5, count: 48)))
        let masks = try SegmentationOutput(layer: "out", background: [0]).objectMasks(expert, input, height: 4, width: 4)
        XCTAssertEqual(masks, [0, 0, 1, 1,
                               0, 0, 1, 1,
                               1, 1, 0, 0,
                               1, 1, 0, 0])
        // Two background classes: only class 1's cell is object.
        let two = try SegmentationOutput(layer: "out", background: [0, 2]).objectMasks(expert, input, height: 2, width: 2)
        XCTAssertEqual(two, [0, 1, 0, 0])
    }

    /// The shipped segmenter's masks on test scenes agree with their label maps (object IoU), in
    /// batches that split the scenes unevenly.
    func testTheShippedSegmentersMasksMatchTheLabelMaps() throws {
        let (expert, probe) = try ExpertCatalog.open("deeplab")
        let segmentation = try XCTUnwrap(probe.segmentation)
        XCTAssertEqual(segmentation, SegmentationOutput(layer: "output", background: [10]))
        let input = try SceneSource(split: .test, seed: 0, dataDir: fixtureData).input(0..<120)
        let masks = try segmentation.objectMasks(expert, input, height: 32, width: 32, batch: 50)
        let truth = input.labelMaps.map { $0 == 10 ? UInt8(0) : 1 }
        let both = zip(masks, truth).filter { $0 == 1 && $1 == 1 }.count
        let either = zip(masks, truth).filter { $0 == 1 || $1 == 1 }.count
        let iou = Double(both) / Double(either)
        print(String(format: "deeplab's object masks against the label maps: IoU %.3f on %d scenes", iou, 120))
        XCTAssertGreaterThan(iou, 0.85, "object IoU \(iou)")
        XCTAssertLessThan(iou, 1.0, "masks equal to the label maps would mean they were read, not predicted")
        // Read at 64×64 (a 64×64 autoencoder's images): the same masks, each pixel doubled.
        let large = try segmentation.objectMasks(expert, input.slice(0..<3), height: 64, width: 64)
        for i in 0..<3 { for y in 0..<64 { for x in 0..<64 {
            XCTAssertEqual(large[i * 4096 + y * 64 + x], masks[i * 1024 + (y / 2) * 32 + x / 2])
        } } }
    }

    /// An imported segmenter (Fixtures/bright-segmenter, Tests/Reference/bright_segmenter.py: the
    /// object is every pixel of luma above 0.3) on landscape and portrait images: its class map,
    /// computed at its own 48×48 from the original files, lies on the images fitted to 32×32, so
    /// its masks are the images' own bright pixels but where the two resamplings round an edge
    /// differently.
    func testAnImportedSegmentersMasksLieOnTheImagesAtTheAutoencodersSize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("segmenter-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for i in 0..<12 {
            let (w, h) = i % 2 == 0 ? (72, 48) : (44, 66)
            var samples = [UInt8](repeating: 14, count: w * h * 3)
            let (x0, y0) = (6 + (i * 7) % (w - 30), 6 + (i * 5) % (h - 30))
            for y in y0..<(y0 + 22) { for x in x0..<(x0 + 18) { for c in 0..<3 { samples[(y * w + x) * 3 + c] = 210 } } }
            try PNG.write(try Bitmap(width: w, height: h, format: .rgb, samples: samples), to: "\(folder)/image-\(i).png")
        }
        let set = try ImageSet.open(folder, size: 32)
        let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/bright-segmenter/bright.onnx")
        let (expert, probe) = try ImportedProbe.open(model.path)
        let segmentation = try XCTUnwrap(probe.segmentation)
        let source = ImageSetSource(set, positions: Array(set.items.indices), side: "all")
        let input = source.input(Array(0..<source.count))
        let masks = try segmentation.objectMasks(expert, input, height: 32, width: 32)
        let pixels = input.images.scalars, plane = 32 * 32
        var agree = 0
        for i in 0..<source.count {
            for p in 0..<plane {
                let base = i * 3 * plane + p
                let luma = 0.299 * pixels[base] + 0.587 * pixels[base + plane] + 0.114 * pixels[base + 2 * plane]
                if (luma > 0.3 ? 1 : 0) == masks[i * plane + p] { agree += 1 }
            }
        }
        let agreement = Double(agree) / Double(masks.count), objectShare = Double(masks.filter { $0 == 1 }.count) / Double(masks.count)
        print(String(format: "bright segmenter: masks agree with the images' own bright pixels on %.4f of pixels (object %.3f)",
                     agreement, objectShare))
        XCTAssertGreaterThan(agreement, 0.97)
        XCTAssertTrue((0.05...0.6).contains(objectShare), "object share \(objectShare)")
    }

    func testADeclarationThatCannotBeUsedIsRefusedWhereTheProbeIsRead() throws {
        func probe(_ segmentation: String) -> Data {
            Data("""
            {"expert": "x", "description": "", "weights": null, "input": [3, 8, 8], "aliases": {},
             "layers": [{"name": "out", "shape": [4, 8, 8], "description": ""}, {"name": "pooled", "shape": [4], "description": ""}],
             "segmentation": \(segmentation)}
            """.utf8)
        }
        XCTAssertEqual(try Probe.decode(probe(#"{"layer": "out", "background": [0]}"#), path: "p.json").segmentation?.background, [0])
        let cases = [#"{"layer": "nope", "background": [0]}"#: "is not a listed layer",
                     #"{"layer": "pooled", "background": [0]}"#: "must be class scores [C, H, W]",
                     #"{"layer": "out", "background": []}"#: "is empty",
                     #"{"layer": "out", "background": [4]}"#: "class 4 is outside 0…3",
                     #"{"layer": "out", "background": [0, 1, 2, 3]}"#: "lists every class"]
        for (declaration, message) in cases {
            XCTAssertThrowsError(try Probe.decode(probe(declaration), path: "p.json"), declaration) { error in
                XCTAssertTrue("\(error)".contains(message) && "\(error)".contains("p.json"), "\(error)")
            }
        }
    }
}
