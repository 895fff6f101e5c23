import CDNNL
import Foundation

/// How a rank-4 feature map is stored. The engine's tensors are channels-first ([N, C, H, W],
/// PyTorch's and ONNX's order); oneDNN's inference convolutions read and write channels-last
/// ([N, H, W, C], its `nhwc`) directly, so an imported network that keeps its maps channels-last
/// between layers pays no reorder per convolution. A channels-last tensor's `shape` is its
/// storage order, [N, H, W, C].
public enum FeatureMapLayout: Hashable, Sendable {
    case channelsFirst
    case channelsLast

    /// oneDNN's tag for the logical dims (N, C, H, W) stored in this layout.
    var tag: dnnl_format_tag_t { self == .channelsFirst ? dnnl_nchw : dnnl_nhwc }

    /// The logical [N, C, H, W] of a map stored with `shape` in this layout.
    public func logicalShape(_ shape: [Int]) -> [Int] {
        precondition(shape.count == 4, "a feature map has rank 4, shape is \(shape)")
        return self == .channelsFirst ? shape : [shape[0], shape[3], shape[1], shape[2]]
    }

    /// The storage shape of a map whose logical shape is [N, C, H, W].
    public func storageShape(_ logical: [Int]) -> [Int] {
        precondition(logical.count == 4, "a feature map has rank 4, shape is \(logical)")
        return self == .channelsFirst ? logical : [logical[0], logical[2], logical[3], logical[1]]
    }
}

extension Tensor {
    /// This [N, C, H, W] map stored channels-last: [N, H, W, C]. Records nothing on the tape (for
    /// inference); a oneDNN reorder, split across the threads for large maps.
    public func channelsLast() -> Tensor { DNNLRelayout.run(self, from: .channelsFirst) }

    /// This channels-last map [N, H, W, C] back in the engine's order [N, C, H, W].
    public func channelsFirst() -> Tensor { DNNLRelayout.run(self, from: .channelsLast) }
}

/// The reorders between the two layouts, one primitive per dims and direction, made once.
enum DNNLRelayout {
    /// Keyed by thread count too, as convolutions are: oneDNN may fix its split at creation.
    private struct Key: Hashable { let logical: [Int]; let from: FeatureMapLayout; let threads: Int }
    nonisolated(unsafe) private static var primitives: [Key: dnnl_primitive_t] = [:]
    private static let lock = NSLock()

    static func run(_ x: Tensor, from source: FeatureMapLayout) -> Tensor {
        let logical = source.logicalShape(x.shape)
        let target: FeatureMapLayout = source == .channelsFirst ? .channelsLast : .channelsFirst
        let out = Tensor(uninitializedShape: target.storageShape(logical))
        guard out.count > 0 else { return out }
        // Small maps on one thread: waking a sleeping OpenMP thread costs more than the copy.
        let threads = x.count * 4 < DNNLPrimitive.parallelReorderBytes ? 1 : DNNL.threads
        DNNL.useThreads(threads)
        var src = DNNL.memoryDescriptor(logical, source.tag), dst = DNNL.memoryDescriptor(logical, target.tag)
        let key = Key(logical: logical, from: source, threads: threads)
        let primitive = lock.withLock {
            if let known = primitives[key] { return known }
            // No scratchpad (checked there): one primitive serves every caller at once.
            let p = DNNLPrimitive.reorder(from: src, to: dst, what: "a feature map \(logical)")
            primitives[key] = p
            return p
        }
        var from: dnnl_memory_t?, to: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&from, &src, DNNL.engine, Tensor.raw(x)), "wrapping a buffer")
        DNNL.check(dnnl_memory_create(&to, &dst, DNNL.engine, Tensor.raw(out)), "wrapping a buffer")
        defer { dnnl_memory_destroy(from); dnnl_memory_destroy(to) }
        let args = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)]
        DNNL.check(dnnl_primitive_execute(primitive, DNNL.stream, 2, args), "reordering a feature map")
        return out
    }
}
