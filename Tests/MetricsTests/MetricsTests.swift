import XCTest
import Foundation
@testable import Metrics
@testable import Datasets
@testable import Tensors

final class FrechetDistanceTests: XCTestCase {
    func testEigenDecompositionReconstructsTheMatrix() {
        // [[4, 1, 0], [1, 3, 1], [0, 1, 2]]: eigenvalues 3 + √3, 3, 3 − √3 (characteristic polynomial by hand).
        let a: [Double] = [4, 1, 0, 1, 3, 1, 0, 1, 2]
        let (values, _) = SymmetricEigen.decompose(a, n: 3)
        let sorted = values.sorted()
        XCTAssertEqual(sorted[0], 3 - 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(sorted[1], 3, accuracy: 1e-9)
        XCTAssertEqual(sorted[2], 3 + 3.0.squareRoot(), accuracy: 1e-9)
    }

    func testKnownDistances() {
        var rng = Xoshiro256(seed: 1)
        let d = 4, n = 20_000
        let a = Tensor.normal([n, d], rng: &rng).scalars
        XCTAssertEqual(FrechetDistance.between(a, a, dimensions: d), 0, accuracy: 1e-6)
        // Shifted by (1, 0, 0, 0) and scaled by 2 in the last axis: ‖Δμ‖² + Σ(σa − σb)² = 1 + 1.
        var b = Tensor.normal([n, d], rng: &rng).scalars
        for r in 0..<n { b[r * d] += 1; b[r * d + 3] *= 2 }
        XCTAssertEqual(FrechetDistance.between(a, b, dimensions: d), 2, accuracy: 0.08)
    }
}

final class InvarianceScoreTests: XCTestCase {
    func testZeroWhenSamplesAgreeAndOneWhenTheyAreLikeTheData() {
        var rng = Xoshiro256(seed: 2)
        let data = (0..<4000).map { _ in rng.nextUniform() }
        let fixed = (0..<50).map { _ in [Float](repeating: rng.nextUniform(), count: 6) }
        let free = (0..<300).map { _ in (0..<6).map { _ in rng.nextUniform() } }
        for kind in [FactorKind.continuous(0...1), .circular(period: 1)] {
            XCTAssertEqual(InvarianceScore.score(kind: kind, samples: fixed, data: data), 0, accuracy: 1e-6)
            XCTAssertEqual(InvarianceScore.score(kind: kind, samples: free, data: data), 1, accuracy: 0.12)
        }
        // Categorical predictions are class probabilities, 4 per draw (one-hot here).
        func oneHot(_ c: Int) -> [Float] { (0..<4).map { $0 == c ? 1 : 0 } }
        let classes = (0..<4000).flatMap { _ in oneHot(rng.nextInt(below: 4)) }
        let freeClasses = (0..<300).map { _ in (0..<6).flatMap { _ in oneHot(rng.nextInt(below: 4)) } }
        let fixedClasses = (0..<50).map { i in (0..<6).flatMap { _ in oneHot(i % 4) } }
        XCTAssertEqual(InvarianceScore.score(kind: .categorical(classes: 4), samples: fixedClasses, data: classes), 0)
        XCTAssertEqual(InvarianceScore.score(kind: .categorical(classes: 4), samples: freeClasses, data: classes), 1, accuracy: 0.08)
    }

    /// For one-hot predictions the categorical spread is the probability that two distinct draws
    /// disagree; for soft ones, draws with the same probabilities have no spread however unsure
    /// the read-out is, and the spread grows with how far the probabilities move.
    func testCategoricalSpreadOfClassProbabilities() {
        let k = FactorKind.categorical(classes: 3)
        // Labels 0, 0, 1, 2: of the 12 ordered pairs of distinct draws, 10 disagree.
        let labels: [Float] = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        XCTAssertEqual(InvarianceScore.spread(k, labels), 10.0 / 12.0, accuracy: 1e-12)
        let unsure: [Float] = [0.4, 0.35, 0.25, 0.4, 0.35, 0.25, 0.4, 0.35, 0.25]
        XCTAssertEqual(InvarianceScore.spread(k, unsure), 0, accuracy: 1e-12)
        // Two draws [0.5, 0.5, 0] and [0.3, 0.7, 0]: per class (a − b)²/2 = 0.02, 0.02, 0.
        XCTAssertEqual(InvarianceScore.spread(k, [0.5, 0.5, 0, 0.3, 0.7, 0]), 0.04, accuracy: 1e-6)
    }

    /// The floor: real codes grouped by their true class. A read-out that is always right spreads
    /// nothing within a class (0); one whose answers have nothing to do with the class spreads as
    /// much within classes as across the data (≈ 1).
    func testFloorOfARightAndOfAnUninformedReadout() {
        var rng = Xoshiro256(seed: 4)
        let truth = (0..<3000).map { _ in Float(rng.nextInt(below: 3)) }
        func oneHot(_ c: Int) -> [Float] { (0..<3).map { $0 == c ? 1 : 0 } }
        let right = truth.flatMap { oneHot(Int($0)) }
        let uninformed = truth.flatMap { _ in oneHot(rng.nextInt(below: 3)) }
        let kind = FactorKind.categorical(classes: 3)
        XCTAssertEqual(InvarianceScore.floor(kind: kind, predictions: right, truth: truth) ?? -1, 0, accuracy: 1e-12)
        XCTAssertEqual(InvarianceScore.floor(kind: kind, predictions: uninformed, truth: truth) ?? -1, 1, accuracy: 0.03)
        XCTAssertNil(InvarianceScore.floor(kind: .continuous(0...1), predictions: truth, truth: truth))
    }

    func testCircularSpreadWrapsAround() {
        // 0.98 and 0.02 are close on the hue circle: small spread, unlike 0.3 and 0.7.
        let near = InvarianceScore.spread(.circular(period: 1), [0.98, 0.02, 0.99, 0.01])
        let far = InvarianceScore.spread(.circular(period: 1), [0.3, 0.7, 0.31, 0.69])
        XCTAssertLessThan(near, 0.05)
        XCTAssertGreaterThan(far, 0.8)
    }

    func testDiversityAndCalibration() {
        XCTAssertEqual(SampleStatistics.diversity([[[0, 0], [0, 0]]]), 0)
        XCTAssertEqual(SampleStatistics.diversity([[[0, 0], [3, 4]]]), (25.0 / 2).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(SampleStatistics.calibration(sampleSquaredError: 4, predictorSquaredError: 2), 1)
    }
}

final class FactorReadoutTests: XCTestCase {
    /// Codes that carry every factor linearly (plus noise) must be read back well; a factor the
    /// codes do not carry must read at chance.
    func testReadsFactorsThatCodesCarry() {
        var rng = Xoshiro256(seed: 3)
        let n = 3000, d = 16
        let descriptors = [
            FactorDescriptor(name: "class", kind: .categorical(classes: 3), summary: ""),
            FactorDescriptor(name: "size", kind: .continuous(0...1), summary: ""),
            FactorDescriptor(name: "hue", kind: .circular(period: 1), summary: ""),
            FactorDescriptor(name: "hidden", kind: .continuous(0...1), summary: ""),
        ]
        var values: [[Float]] = [], codes: [Float] = []
        for _ in 0..<n {
            let c = Float(rng.nextInt(below: 3)), s = rng.nextUniform(), h = rng.nextUniform(), hidden = rng.nextUniform()
            values.append([c, s, h, hidden])
            var row = (0..<d).map { _ in 0.05 * rng.nextNormal() }
            row[Int(c)] += 1; row[3] += s; row[4] += cos(2 * .pi * h); row[5] += sin(2 * .pi * h)
            codes.append(contentsOf: row)
        }
        let train = Tensor(shape: [n, d], scalars: codes)
        let readout = FactorReadout(codeDimensions: d, factors: descriptors, width: 64)
        readout.fit(codes: train.slice(axis: 0, 0..<2500), values: Array(values[0..<2500]), steps: 600)
        let q = readout.quality(codes: train.slice(axis: 0, 2500..<3000), values: Array(values[2500..<3000]))
        XCTAssertGreaterThan(q[0].value, 0.97, "class accuracy")
        XCTAssertGreaterThan(q[1].value, 0.9, "size R²")
        XCTAssertGreaterThan(q[2].value, 0.9, "hue mean cos error")
        XCTAssertLessThan(q[3].value, 0.1, "a factor the codes do not carry")
        // What the invariance scores see: class probabilities whose argmax is the prediction.
        let held = train.slice(axis: 0, 2500..<2600)
        let probabilities = readout.scoringValues(held)[0], labels = readout.predict(held)[0]
        XCTAssertEqual(probabilities.count, 100 * 3)
        for i in 0..<100 {
            let row = Array(probabilities[(3 * i)..<(3 * i + 3)])
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(Float(row.firstIndex(of: row.max()!)!), labels[i])
        }
        XCTAssertEqual(readout.scoringValues(held)[1], readout.predict(held)[1], "other factors as predicted")
    }

    /// Missing values (NaN, an image without that attribute) take no part in training or quality:
    /// with half of each factor missing the read-outs still learn, and the floor groups only
    /// the present values.
    func testMissingValuesAreLeftOut() {
        var rng = Xoshiro256(seed: 5)
        let n = 2000, d = 8
        let descriptors = [FactorDescriptor(name: "class", kind: .categorical(classes: 2), summary: ""),
                           FactorDescriptor(name: "size", kind: .continuous(0...1), summary: ""),
                           FactorDescriptor(name: "hue", kind: .circular(period: 1), summary: "")]
        var values: [[Float]] = [], codes: [Float] = []
        for i in 0..<n {
            let c = Float(rng.nextInt(below: 2)), s = rng.nextUniform(), h = rng.nextUniform()
            var row = (0..<d).map { _ in 0.05 * rng.nextNormal() }
            row[Int(c)] += 1; row[2] += s; row[3] += cos(2 * .pi * h); row[4] += sin(2 * .pi * h)
            codes.append(contentsOf: row)
            // Every other image lacks one factor in turn.
            values.append((0..<3).map { j in i % 2 == 1 && (i / 2) % 3 == j ? .nan : [c, s, h][j] })
        }
        let all = Tensor(shape: [n, d], scalars: codes)
        let readout = FactorReadout(codeDimensions: d, factors: descriptors, width: 64)
        readout.fit(codes: all.slice(axis: 0, 0..<1600), values: Array(values[0..<1600]), steps: 400)
        let q = readout.quality(codes: all.slice(axis: 0, 1600..<2000), values: Array(values[1600..<2000]))
        XCTAssertTrue(q.allSatisfy { $0.value.isFinite }, "\(q)")
        XCTAssertGreaterThan(q[0].value, 0.95, "class accuracy over the present values")
        XCTAssertGreaterThan(q[1].value, 0.85, "size R² over the present values")
        XCTAssertGreaterThan(q[2].value, 0.85, "hue over the present values")
        let predictions = readout.scoringValues(all.slice(axis: 0, 1600..<2000))[0]
        XCTAssertNotNil(InvarianceScore.floor(kind: descriptors[0].kind, predictions: predictions,
                                              truth: values[1600..<2000].map { $0[0] }))
    }
}
