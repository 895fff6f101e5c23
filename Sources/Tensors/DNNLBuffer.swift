import CDNNL

/// A tensor in one of oneDNN's layouts, kept between primitive calls (a convolution's input,
/// reordered for its forward, is what its weight gradient reads too). Owns pooled memory.
final class DNNLBuffer {
    let pointer: UnsafeMutableRawPointer
    let bytes: Int
    let layout: dnnl_memory_desc_t

    init(pointer: UnsafeMutableRawPointer, bytes: Int, layout: dnnl_memory_desc_t) {
        (self.pointer, self.bytes, self.layout) = (pointer, bytes, layout)
    }

    func matches(_ other: dnnl_memory_desc_t) -> Bool {
        var a = layout, b = other
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    deinit { Memory.free(pointer, bytes: bytes) }
}
