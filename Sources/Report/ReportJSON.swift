import Foundation

/// `report.json`: the result as JSONEncoder writes it with snake_case keys, sorted and pretty.
enum ReportJSON {
    /// JSON has no NaN or infinity; a failed measurement is written as one of these strings rather
    /// than crashing the encoder or turning into a plausible-looking number.
    static let nan = "NaN", positiveInfinity = "Infinity", negativeInfinity = "-Infinity"

    static func encode(_ result: DiagnosisResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        var data = try encoder.encode(result)
        data.append(0x0A)
        return data
    }

    /// Reads what `encode` wrote (used by `diagnose compare`).
    static func decode(_ data: Data) throws -> DiagnosisResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        return try decoder.decode(DiagnosisResult.self, from: data)
    }
}
