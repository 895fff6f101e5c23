/// Which of a layer's samples the contact sheets and the overview show (`--sample-selection`).
/// Both draw the same pool of samples per sheet input, after every scored sample was drawn, so
/// the choice moves no number of the report.
public enum SampleSelection: String, Codable, CaseIterable, Sendable {
    /// The pool's first samples: as they come from the cINN.
    case random
    /// The samples of the pool that spread most: farthest-point selection (`FarthestPoints`) in
    /// the standardised autoencoder code the cINN samples.
    case diverse

    /// Which `shown` samples of the pool the sheets show, as the report says it.
    func sheetChoice(shown: Int) -> String {
        switch self {
        case .random: return "the first \(shown) drawn (--sample-selection random)"
        case .diverse: return "the \(shown) that spread most (--sample-selection diverse: farthest-point selection in the standardised autoencoder code)"
        }
    }
}
