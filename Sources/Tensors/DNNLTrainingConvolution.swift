import CDNNL
import Foundation

// The training convolutions (`conv2d`, `convTranspose2d`) on oneDNN: forward, input gradient and
// weight gradient are oneDNN primitives; the tape and the backward rules stay ours.
extension Tensor {
    /// The oneDNN description of a `conv2d` (symmetric padding, one group).
    static func dnnlShape(_ geo: ConvGeometry, batch: Int, outChannels: Int, hasBias: Bool) -> DNNLConvolution {
        DNNLConvolution(batch: batch, inChannels: geo.channels, height: geo.height, width: geo.width, outChannels: outChannels,
                        outHeight: geo.outH, outWidth: geo.outW, kernel: (geo.kernelH, geo.kernelW), strides: (geo.stride, geo.stride),
                        padsBegin: (geo.padding, geo.padding), padsEnd: (geo.padding, geo.padding),
                        dilations: (geo.dilation, geo.dilation), groups: 1, hasBias: hasBias, transposed: false)
    }

    /// `conv2d` and `convTranspose2d` on oneDNN, recorded with backward rules that run its
    /// backward-data and backward-weights primitives. `shape.hasBias` says whether `bias` is given.
    static func recordedOnDNNL(_ shape: DNNLConvolution, x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        // The weight gradient reads x in the layout the forward reorders it to: keep that copy.
        let keepSource = Autograd.isRecording && weight.requiresGrad
        var keptSource: DNNLBuffer? = nil
        let out = dnnlForward(shape, x: x, weight: weight, bias: bias, keepingSource: keepSource ? { keptSource = $0 } : nil)
        let xv = x.detached, wv = weight.detached
        return Autograd.record(out, inputs: bias.map { [x, weight, $0] } ?? [x, weight]) { g, need in
            let needBias = need.count == 3 && need[2]
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            let threads = DNNL.threads
            // Both backward primitives read g, usually in the same blocked layout: reorder it once.
            var keptGradient: [Int32: DNNLBuffer] = [:]
            if need[0] {
                let result = Tensor(uninitializedShape: xv.shape)
                keptGradient = shape.backwardData(threads: threads).execute(
                    [raw(g), raw(wv), raw(result)], keeping: need[1] ? [DNNL_ARG_DIFF_DST] : [], threads: threads)
                gx = result
            }
            if need[1] {
                // The weight primitive also sums the bias gradient when asked: one pass over g.
                let withBias = DNNLConvolution(copying: shape, hasBias: needBias)
                let weights = Tensor(uninitializedShape: wv.shape)
                var buffers = [raw(xv), raw(g), raw(weights)]
                if needBias { gb = Tensor(uninitializedShape: [shape.outChannels]); buffers.append(raw(gb!)) }
                var given = keptGradient
                if let keptSource { given[DNNL_ARG_SRC] = keptSource }
                withBias.backwardWeights(threads: threads).execute(buffers, given: given, threads: threads)
                gw = weights
            } else if needBias {
                gb = g.sum(axes: [0, 2, 3])
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// A tensor's buffer for oneDNN (which only writes its outputs).
    @inline(__always) static func raw(_ t: Tensor) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(t.storage.pointer) }

    /// Runs a convolution's forward primitive on plain buffers, without recording. An empty
    /// output is returned as is; no input channels leave the bias alone.
    /// `keepingSource` receives x in the primitive's layout, if it had to be reordered.
    static func dnnlForward(_ shape: DNNLConvolution, x: Tensor, weight: Tensor, bias: Tensor?,
                            keepingSource: ((DNNLBuffer) -> Void)? = nil) -> Tensor {
        let out = Tensor(uninitializedShape: shape.destinationDims)
        guard out.count > 0 else { return out }
        if x.count == 0 || weight.count == 0 {
            let po = out.storage.pointer, plane = shape.outHeight * shape.outWidth
            for i in 0..<shape.batch * shape.outChannels {
                (po + i * plane).update(repeating: bias?.storage.pointer[i % shape.outChannels] ?? 0, count: plane)
            }
            return out
        }
        let threads = DNNL.threads
        var buffers = [raw(x), raw(weight)]
        if let bias { buffers.append(raw(bias)) }
        buffers.append(raw(out))
        let kept = shape.forward(threads: threads).execute(buffers, keeping: keepingSource == nil ? [] : [DNNL_ARG_SRC],
                                                           threads: threads)
        if let source = kept[DNNL_ARG_SRC] { keepingSource?(source) }
        return out
    }
}

extension DNNLConvolution {
    /// The same convolution with or without the bias term.
    init(copying other: DNNLConvolution, hasBias: Bool) {
        self.init(batch: other.batch, inChannels: other.inChannels, height: other.height, width: other.width,
                  outChannels: other.outChannels, outHeight: other.outHeight, outWidth: other.outWidth, kernel: other.kernel,
                  strides: other.strides, padsBegin: other.padsBegin, padsEnd: other.padsEnd, dilations: other.dilations,
                  groups: other.groups, hasBias: hasBias, transposed: other.transposed, layout: other.layout,
                  sourceLayout: other.sourceLayout)
    }
}
