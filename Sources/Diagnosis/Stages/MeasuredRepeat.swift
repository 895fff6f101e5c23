/// One translator seed of a run, measured: its context (with the ceiling of its unconditional
/// flow), its translators and its layers' numbers.
struct MeasuredRepeat {
    let context: LayerEvaluation.Context
    let translators: TrainedTranslators
    let layers: [LayerEvaluation]
}
