/// The methods a report rests on, as BibTeX (`references.bib`) and as the "how to cite" paragraph
/// of report.md and report.html. Titles, authors and venues are those of the published papers.
enum References {
    static let file = "references.bib"

    /// The translation method: a cINN from a frozen expert's representation to another model's.
    static let net2netKey = "rombach2020network"
    /// Its use for interpretation: what a layer keeps and what it is invariant to.
    static let invariancesKey = "rombach2020making"

    static let bibtex = """
    % The methods behind this report (written by diagnose).
    @inproceedings{\(net2netKey),
      author    = {Rombach, Robin and Esser, Patrick and Ommer, Bj{\\"o}rn},
      title     = {Network-to-Network Translation with Conditional Invertible Neural Networks},
      booktitle = {Advances in Neural Information Processing Systems (NeurIPS)},
      volume    = {33},
      year      = {2020},
      url       = {https://arxiv.org/abs/2005.13580}
    }

    @inproceedings{\(invariancesKey),
      author    = {Rombach, Robin and Esser, Patrick and Ommer, Bj{\\"o}rn},
      title     = {Making Sense of {CNNs}: Interpreting Deep Representations and Their Invariances with {INNs}},
      booktitle = {Computer Vision -- {ECCV} 2020},
      series    = {Lecture Notes in Computer Science},
      volume    = {12362},
      publisher = {Springer},
      year      = {2020},
      doi       = {10.1007/978-3-030-58520-4_38}
    }

    """

    /// One paragraph: what was measured in this run and which papers to cite for the method.
    static func citationParagraph(_ result: DiagnosisResult) -> String {
        let layers = result.layers.map(\.name).joined(separator: ", ")
        let steps = result.configuration["flow_steps"] ?? result.configuration["steps"]
        var p = "What was measured: for \(result.layers.count) layer\(result.layers.count == 1 ? "" : "s") (\(layers)) of the frozen "
            + "expert \(result.expert), a conditional invertible network translated the layer's features into the "
            + "\(result.codeDimensions)-dimensional code of an autoencoder"
        if let steps { p += " (\(steps) training steps)" }
        p += "; bits kept, invariance scores, calibration and Fréchet distances were measured on held-out test scenes with seed "
            + "\(result.seed)" + (result.seeds.map { $0 > 1 ? ", as mean ± standard deviation over \($0) training runs of the translators" : "" } ?? "")
            + ". The weights are identified by the hashes under Reproducibility. How to cite: the method is "
            + "network-to-network translation with conditional invertible neural networks (Rombach, Esser and Ommer, NeurIPS 2020) "
            + "as used to interpret what the layers of a network are invariant to (Rombach, Esser and Ommer, ECCV 2020); "
            + "references.bib beside this report holds both entries (keys \(net2netKey) and \(invariancesKey))."
        return p
    }
}
