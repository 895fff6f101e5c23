import Dispatch
import XCTest
import Imaging
@testable import Datasets

final class FashionScenesTests: XCTestCase {
    private func world(_ seed: UInt64, size: Int = 32, split: FashionMNISTSplit = .train) throws -> FashionScenes {
        try FashionScenes(mnist: split == .train ? Fixture.train : Fixture.test, size: size, seed: seed)
    }

    /// FNV-1a over the scene's float bit patterns and labels: a fingerprint of its bytes.
    private func fingerprint(_ scene: Scene) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for v in scene.pixels { withUnsafeBytes(of: v.bitPattern.littleEndian) { $0.forEach(mix) } }
        scene.labels.forEach(mix)
        return h
    }

    func testSameSeedGivesIdenticalBytes() throws {
        let a = try world(42), b = try world(42)
        for i in [0, 1, 17, 511, 5000] {
            let sa = a.scene(i), sb = b.scene(i)
            XCTAssertEqual(sa.pixels.map(\.bitPattern), sb.pixels.map(\.bitPattern), "scene \(i)")
            XCTAssertEqual(sa.labels, sb.labels)
            XCTAssertEqual(sa.factors, sb.factors)
        }
    }

    func testDifferentSeedsAndSplitsDiffer() throws {
        let a = try world(1), b = try world(2), t = try world(1, split: .test)
        let differing = (0..<20).filter { a.scene($0).pixels != b.scene($0).pixels }.count
        XCTAssertEqual(differing, 20, "every scene should change with the seed")
        XCTAssertNotEqual(a.factors(0).hue, t.factors(0).hue, "train and test scene 0 are unrelated")
        XCTAssertNotEqual(a.scene(0).pixels, a.scene(1).pixels)
    }

    /// Pins the bytes of a few scenes, so a change of platform or code that alters the world fails
    /// here. If the world is changed on purpose, update the number (and say so in docs/scenes.md).
    func testGoldenFingerprint() throws {
        let w = try world(7)
        let combined = (0..<4).reduce(UInt64(0)) { $0 &* 31 &+ fingerprint(w.scene($1)) }
        XCTAssertEqual(combined, 7_136_428_462_043_088_903)
    }

    func testLabelsFollowAlphaAndBackgroundIsThePattern() throws {
        for size in [32, 64] {
            let w = try world(3, size: size)
            for i in 0..<24 {
                let s = w.scene(i)
                let f = s.factors
                let plane = size * size
                let g = SceneFactorRanges.garmentSide(sceneSize: size)
                var garmentPixels = 0
                for y in 0..<size {
                    for x in 0..<size {
                        let p = y * size + x
                        let a = s.alpha[p]
                        let expectedLabel: UInt8 = a > SceneFactorRanges.labelAlphaThreshold ? UInt8(f.classLabel) : Scene.backgroundLabel
                        XCTAssertEqual(s.labels[p], expectedLabel, "scene \(i) pixel \(x),\(y)")
                        let inBox = x >= f.offsetX && x < f.offsetX + g && y >= f.offsetY && y < f.offsetY + g
                        if !inBox { XCTAssertEqual(a, 0, "alpha outside the garment box") }
                        if a == 0 {
                            // Pure background: exactly the pattern's colour, computed independently here.
                            let band = size / 4
                            let second: Bool
                            switch f.backgroundKind {
                            case .solid: second = false
                            case .horizontalStripes: second = (y / band) % 2 == 1
                            case .verticalStripes: second = (x / band) % 2 == 1
                            case .checker: second = (x / band + y / band) % 2 == 1
                            }
                            let c = second ? f.backgroundColor2 : f.backgroundColor1
                            XCTAssertEqual([s.pixels[p], s.pixels[plane + p], s.pixels[2 * plane + p]], [c.r, c.g, c.b])
                        }
                        if s.labels[p] != Scene.backgroundLabel { garmentPixels += 1 }
                    }
                }
                XCTAssertGreaterThan(garmentPixels, size * size / 40, "scene \(i) should show a garment")
                XCTAssertTrue(s.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            }
        }
    }

    func testFactorRangesAndEncodings() throws {
        let w = try world(11)
        let maxOffset = SceneFactorRanges.maxOffset(sceneSize: 32)
        XCTAssertEqual(maxOffset, 10)
        var kinds = Set<BackgroundKind>(), classes = Set<Int>(), offsets = Set<Int>()
        for i in 0..<3000 {
            let f = w.factors(i)
            XCTAssertTrue((0..<Fixture.train.count).contains(f.sourceIndex))
            XCTAssertEqual(f.classLabel, Fixture.train.label(f.sourceIndex))
            XCTAssertTrue(SceneFactorRanges.hue.contains(f.hue))
            XCTAssertTrue(SceneFactorRanges.saturation.contains(f.saturation))
            XCTAssertTrue(SceneFactorRanges.value.contains(f.value))
            XCTAssertTrue((0...maxOffset).contains(f.offsetX) && (0...maxOffset).contains(f.offsetY))
            XCTAssertTrue(SceneFactorRanges.backgroundSaturation.contains(f.backgroundSaturation))
            XCTAssertTrue(SceneFactorRanges.backgroundValue.contains(f.backgroundValue))
            if f.backgroundKind == .solid { XCTAssertEqual(f.backgroundColor1, f.backgroundColor2) }
            else { XCTAssertNotEqual(f.backgroundColor1, f.backgroundColor2) }
            kinds.insert(f.backgroundKind)
            classes.insert(f.classLabel)
            offsets.insert(f.offsetX)

            let values = f.values
            XCTAssertEqual(values.count, SceneFactors.descriptors.count)
            for (d, v) in zip(SceneFactors.descriptors, values) {
                switch d.kind {
                case let .categorical(k): XCTAssertTrue(v == v.rounded() && v >= 0 && v < Float(k), "\(d.name)=\(v)")
                case let .continuous(r): XCTAssertTrue(r.contains(v), "\(d.name)=\(v) outside \(r)")
                case let .circular(period): XCTAssertTrue(v >= 0 && v < period, "\(d.name)=\(v)")
                }
            }
        }
        XCTAssertEqual(kinds.count, 4)
        XCTAssertEqual(classes.count, 10)
        XCTAssertEqual(offsets, Set(0...maxOffset))
        XCTAssertEqual(SceneFactors.names, ["class", "hue", "saturation", "value", "offset_x", "offset_y",
                                            "background_kind", "background_hue", "background_saturation", "background_value"])
        let f = w.factors(0)
        XCTAssertEqual(f.encoded["class"], Float(f.classLabel))
        XCTAssertEqual(f.encoded["offset_y"], Float(f.offsetY) / Float(maxOffset))
        XCTAssertEqual(f.encoded.count, SceneFactors.names.count)
    }

    func testBatchMatchesSingleScenes() throws {
        let w = try world(5)
        let batch = w.batch(100..<106)
        XCTAssertEqual(batch.count, 6)
        XCTAssertEqual(batch.images.count, 6 * 3 * 32 * 32)
        XCTAssertEqual(batch.factorMatrix.count, 6 * SceneFactors.descriptors.count)
        for i in 0..<6 {
            let s = w.scene(100 + i)
            XCTAssertEqual(Array(batch.images[(i * 3072)..<((i + 1) * 3072)]), s.pixels)
            XCTAssertEqual(Array(batch.labels[(i * 1024)..<((i + 1) * 1024)]), s.labels)
            XCTAssertEqual(batch.factors[i], s.factors)
            XCTAssertEqual(batch.classLabels[i], Int32(s.factors.classLabel))
        }
        let picked = w.batch(indices: [104, 100])
        XCTAssertEqual(picked.factors, [batch.factors[4], batch.factors[0]])
    }

    func testSizesAndErrors() throws {
        let big = try world(9, size: 64).scene(3)
        XCTAssertEqual(big.pixels.count, 3 * 64 * 64)
        XCTAssertEqual(big.labels.count, 64 * 64)
        XCTAssertThrowsError(try world(9, size: 30)) { XCTAssertTrue("\($0)".contains("30"), "\($0)") }
    }

    func testLabelColorMapForScenesHasElevenClasses() {
        let map = LabelColorMap.fashionScenes
        XCTAssertEqual(map.names.count, 11)
        XCTAssertEqual(map.names.last, "background")
        XCTAssertEqual(map.names[9], "Ankle boot")
        XCTAssertEqual(Set(map.colors).count, 11)
    }
}

final class FashionScenesSpeedTests: XCTestCase {
    /// 50k scenes should take a second or two in release; debug builds only check a small batch.
    func testGenerationSpeed() throws {
        let w = try FashionScenes(mnist: Fixture.train, size: 32, seed: 1)
        #if DEBUG
        let n = 500, limit = 30.0
        #else
        let n = 50_000, limit = 10.0
        #endif
        let start = DispatchTime.now().uptimeNanoseconds
        let batch = w.batch(0..<n)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("FashionScenes: \(n) scenes of 32x32 in \(seconds) s")
        XCTAssertEqual(batch.count, n)
        XCTAssertLessThan(seconds, limit)
    }
}
