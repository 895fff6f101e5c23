import Imaging

extension LabelColorMap {
    /// The 11 FashionScenes labels: the ten garment classes and "background" (dark grey).
    public static let fashionScenes = LabelColorMap(
        names: FashionMNIST.classNames + ["background"], lastColor: RGB8(40, 40, 40))
}
