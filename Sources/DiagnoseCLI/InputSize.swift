import ArgumentParser

/// `--input-size H,W` as two integers (range-checked where they are used).
enum InputSize {
    static func parse(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let h = parts[0], let w = parts[1] else {
            throw ValidationError("--input-size '\(text)' must be two integers H,W, e.g. 224,224")
        }
        return [h, w]
    }

    static func pair(_ text: String?) throws -> (height: Int, width: Int)? {
        guard let text else { return nil }
        let v = try parse(text)
        guard v.allSatisfy({ (8...4_096).contains($0) }) else { throw ValidationError("--input-size \(text) must be within 8…4096") }
        return (v[0], v[1])
    }
}
