/// Greedy farthest-point selection: from `n` points of `dimensions` values (row-major), `count`
/// of them that lie far apart. The first is the point farthest from the points' mean; each next
/// one is the point whose squared Euclidean distance to its nearest chosen point is largest (ties:
/// the lowest index). Deterministic: the same points give the same indices.
public enum FarthestPoints {
    public static func select(_ count: Int, of points: [Float], dimensions d: Int) -> [Int] {
        let n = d > 0 ? points.count / d : 0
        precondition(d > 0 && points.count == n * d && (0...n).contains(count),
                     "FarthestPoints.select: \(count) of \(points.count) values in rows of \(d)")
        guard count > 0 else { return [] }
        let rows = (0..<n).map { i in points[(i * d)..<((i + 1) * d)].map(Double.init) }
        func squared(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for c in 0..<d { let e = a[c] - b[c]; s += e * e }
            return s
        }
        let mean = (0..<d).map { c in rows.reduce(0) { $0 + $1[c] } / Double(n) }
        var chosen = [(0..<n).max { squared(rows[$0], mean) < squared(rows[$1], mean) }!]
        var nearest = rows.map { squared($0, rows[chosen[0]]) }
        while chosen.count < count {
            var best = -1, bestDistance = -1.0
            for i in 0..<n where nearest[i] > bestDistance && !chosen.contains(i) { (best, bestDistance) = (i, nearest[i]) }
            chosen.append(best)
            for i in 0..<n { nearest[i] = min(nearest[i], squared(rows[i], rows[best])) }
        }
        return chosen
    }
}
