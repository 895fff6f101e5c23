import Tensors

// Apart from the type so that the probe fuzz target (which compiles Probe.swift and the types it
// decodes, not the tensor engine) can build it.
extension Preprocessing {
    /// Scene images [N, 3, h, w] in 0…1 → the network's input [N, C, height, width].
    public func apply(_ images: Tensor, height: Int, width: Int) -> Tensor {
        var x = images.shape[2] == height && images.shape[3] == width ? images : images.resizedBilinear(height: height, width: width)
        switch channelOrder {
        case .rgb: break
        case .bgr: x = x.gather(axis: 1, indices: [2, 1, 0])
        case .gray:  // ITU-R BT.601 luma
            let (r, g, b) = (x.slice(axis: 1, 0..<1), x.slice(axis: 1, 1..<2), x.slice(axis: 1, 2..<3))
            x = r * 0.299 + g * 0.587 + b * 0.114
        }
        let c = x.shape[1], span = valueRange[1] - valueRange[0]
        let scale = Tensor(shape: [c], scalars: std.map { span / $0 })
        let shift = Tensor(shape: [c], scalars: (0..<c).map { (valueRange[0] - mean[$0]) / std[$0] })
        return Tensor.channelAffine(x, scale: scale, shift: shift)
    }
}
