import CDNNL

/// One oneDNN primitive for one shape, created once (see `DNNLCache`), with what it takes to run
/// it on our plain row-major buffers.
///
/// Its memory formats are oneDNN's choice (`dnnl_format_tag_any`: blocked layouts such as
/// nChw16c, for which its direct AVX-512 kernels are written). An argument whose chosen format
/// differs from the plain one is reordered into a pooled buffer before the call (inputs) or out
/// of it afterwards (outputs). The scratchpad is ours (`dnnl_scratchpad_mode_user`), taken from
/// the memory pool per call: that keeps the primitive free of state, so `Parallel.jobs` may run
/// it from several threads at once.
final class DNNLPrimitive {
    /// How one execution argument travels between our buffer and the primitive.
    struct Argument {
        let index: Int32
        /// The layout of our buffer.
        let plain: dnnl_memory_desc_t
        /// The layout the primitive uses.
        let chosen: dnnl_memory_desc_t
        let isOutput: Bool
        /// plain → chosen for inputs, chosen → plain for outputs; nil when they are the same.
        let reorder: dnnl_primitive_t?
        /// Bytes of the chosen layout (blocked formats pad channels to the block size).
        let chosenBytes: Int
    }

    private let descriptor: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    let arguments: [Argument]
    private let scratchpad: dnnl_memory_desc_t
    private let scratchpadBytes: Int
    /// Bytes of the workspace (max pooling's winners) a training forward writes for its backward.
    let workspaceBytes: Int
    private let workspace: dnnl_memory_desc_t
    /// oneDNN's name for the implementation it picked (e.g. "jit:avx512_core"), for tests and notes.
    let implementation: String

    /// Attributes shared by every primitive: user-managed scratchpad.
    static let attributes: dnnl_primitive_attr_t = {
        var attr: dnnl_primitive_attr_t?
        DNNL.check(dnnl_primitive_attr_create(&attr), "creating attributes")
        DNNL.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "setting the scratchpad mode")
        return attr!
    }()

    /// The shared attributes plus `activation` as a post-op chain.
    private static func attributes(with activation: ConvolutionActivation) -> dnnl_primitive_attr_t {
        var attr: dnnl_primitive_attr_t?
        DNNL.check(dnnl_primitive_attr_clone(&attr, attributes), "copying attributes")
        var postOps: dnnl_post_ops_t?
        DNNL.check(dnnl_post_ops_create(&postOps), "creating post-ops")
        defer { dnnl_post_ops_destroy(postOps) }
        activation.append(to: postOps!)
        DNNL.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "setting post-ops")
        return attr!
    }

    /// Creates the primitive for an operation descriptor (`dnnl_convolution_desc_t` etc.).
    /// - Parameters:
    ///   - operation: pointer to the initialised operation descriptor.
    ///   - hint: the forward primitive descriptor, for backward operations.
    ///   - plain: for each argument index, the layout of our buffer and whether it is written.
    ///   - activation: applied to the output as a post-op (forward primitives).
    ///   - what: a description for error messages.
    init(operation: UnsafeRawPointer, hint: DNNLPrimitive? = nil,
         plain: [(index: Int32, layout: dnnl_memory_desc_t, isOutput: Bool)], activation: ConvolutionActivation? = nil,
         what: String) {
        var pd: dnnl_primitive_desc_t?
        let attributes = activation.map(DNNLPrimitive.attributes(with:))
        defer { if let attributes { dnnl_primitive_attr_destroy(attributes) } }  // the descriptor keeps its own copy
        DNNL.check(dnnl_primitive_desc_create(&pd, operation, attributes ?? DNNLPrimitive.attributes, DNNL.engine, hint?.descriptor),
                   "creating the primitive descriptor of \(what)")
        descriptor = pd!
        var p: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&p, descriptor), "creating \(what)")
        primitive = p!
        arguments = plain.map { arg in
            let chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, arg.index)!.pointee
            var plainLayout = arg.layout, chosenLayout = chosen
            var reorder: dnnl_primitive_t? = nil
            if dnnl_memory_desc_equal(&plainLayout, &chosenLayout) == 0 {
                reorder = arg.isOutput ? DNNLPrimitive.reorder(from: chosen, to: arg.layout, what: what)
                                       : DNNLPrimitive.reorder(from: arg.layout, to: chosen, what: what)
            }
            return Argument(index: arg.index, plain: arg.layout, chosen: chosen, isOutput: arg.isOutput,
                            reorder: reorder, chosenBytes: dnnl_memory_desc_get_size(&chosenLayout))
        }
        scratchpad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)!.pointee
        var s = scratchpad
        scratchpadBytes = dnnl_memory_desc_get_size(&s)
        workspace = dnnl_primitive_desc_query_md(pd, dnnl_query_workspace_md, 0)!.pointee
        var w = workspace
        workspaceBytes = dnnl_memory_desc_get_size(&w)
        var info: UnsafePointer<CChar>?
        _ = dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        implementation = info.map { String(cString: $0) } ?? "?"
    }

    deinit {
        for argument in arguments { if let reorder = argument.reorder { dnnl_primitive_destroy(reorder) } }
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The chosen layout of one of this primitive's arguments (a backward pass reads the
    /// forward's workspace in it).
    func layout(of index: Int32) -> dnnl_memory_desc_t { dnnl_primitive_desc_query_md(descriptor, dnnl_query_exec_arg_md, index)!.pointee }

    /// A reorder between two layouts of the same dims. Plain ↔ blocked reorders need no
    /// scratchpad; one that did would fail here (user scratchpad mode) rather than silently
    /// share library memory between threads.
    static func reorder(from source: dnnl_memory_desc_t, to target: dnnl_memory_desc_t, what: String) -> dnnl_primitive_t {
        var src = source, dst = target
        var pd: dnnl_primitive_desc_t?
        DNNL.check(dnnl_reorder_primitive_desc_create(&pd, &src, DNNL.engine, &dst, DNNL.engine, nil), "creating a reorder for \(what)")
        defer { dnnl_primitive_desc_destroy(pd) }
        var scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)!.pointee
        precondition(dnnl_memory_desc_get_size(&scratch) == 0, "oneDNN: a reorder for \(what) wants a scratchpad")
        var p: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&p, pd), "creating a reorder for \(what)")
        return p!
    }

    /// Runs the primitive on `buffers` (our plain buffers, in the order of the `plain` list given
    /// at creation; a workspace, if any, in its chosen layout) with `threads` OpenMP threads, the
    /// count it was created for.
    /// - Parameters:
    ///   - given: inputs already in some layout (kept from another primitive's call); used as
    ///     they are when that is the layout this primitive chose, else reordered from `buffers`.
    ///   - keeping: inputs whose reordered copy the caller wants for a later call.
    /// - Returns: the reordered copies of the `keeping` inputs (none for an input this primitive
    ///   reads in its plain layout).
    @discardableResult
    func execute(_ buffers: [UnsafeMutableRawPointer], given: [Int32: DNNLBuffer] = [:], keeping: Set<Int32> = [],
                 workspace workspaceBuffer: UnsafeMutableRawPointer? = nil, threads: Int) -> [Int32: DNNLBuffer] {
        precondition(buffers.count == arguments.count, "oneDNN: \(buffers.count) buffers for \(arguments.count) arguments")
        DNNL.useThreads(threads)
        let stream = DNNL.stream
        var memories: [dnnl_memory_t] = []
        var temporaries: [(UnsafeMutableRawPointer, Int)] = []
        var kept: [Int32: DNNLBuffer] = [:]
        var execArgs: [dnnl_exec_arg_t] = []
        var outputReorders: [(dnnl_primitive_t, dnnl_memory_t, dnnl_memory_t, Int)] = []
        func memory(_ layout: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer) -> dnnl_memory_t {
            var md = layout
            var m: dnnl_memory_t?
            DNNL.check(dnnl_memory_create(&m, &md, DNNL.engine, pointer), "wrapping a buffer")
            memories.append(m!)
            return m!
        }
        func run(_ p: dnnl_primitive_t, _ args: [dnnl_exec_arg_t]) {
            DNNL.check(dnnl_primitive_execute(p, stream, Int32(args.count), args), "executing a primitive")
        }
        /// Reorders of small tensors (weights) run on one thread: waking a sleeping OpenMP
        /// thread costs more than the copy.
        func reorder(_ p: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t, bytes: Int) {
            let small = bytes < DNNLPrimitive.parallelReorderBytes
            if small { DNNL.useThreads(1) }
            run(p, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)])
            if small { DNNL.useThreads(threads) }
        }
        for (argument, buffer) in zip(arguments, buffers) {
            if let ready = given[argument.index], ready.matches(argument.chosen) {
                execArgs.append(dnnl_exec_arg_t(arg: argument.index, memory: memory(argument.chosen, ready.pointer)))
                continue
            }
            let user = memory(argument.plain, buffer)
            guard let reorderPrimitive = argument.reorder else {
                execArgs.append(dnnl_exec_arg_t(arg: argument.index, memory: user))
                continue
            }
            let bytes = max(argument.chosenBytes, 64)
            let temporary = Memory.allocate(bytes: bytes)
            if keeping.contains(argument.index) {
                kept[argument.index] = DNNLBuffer(pointer: temporary, bytes: bytes, layout: argument.chosen)
            } else {
                temporaries.append((temporary, bytes))
            }
            let inner = memory(argument.chosen, temporary)
            execArgs.append(dnnl_exec_arg_t(arg: argument.index, memory: inner))
            if argument.isOutput {
                outputReorders.append((reorderPrimitive, inner, user, bytes))
            } else {
                reorder(reorderPrimitive, from: user, to: inner, bytes: bytes)
            }
        }
        if workspaceBytes > 0 {
            precondition(workspaceBuffer != nil, "oneDNN: this primitive needs a workspace")
            execArgs.append(dnnl_exec_arg_t(arg: DNNL_ARG_WORKSPACE, memory: memory(workspace, workspaceBuffer!)))
        }
        if scratchpadBytes > 0 {
            let pad = Memory.allocate(bytes: scratchpadBytes)
            temporaries.append((pad, scratchpadBytes))
            execArgs.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: memory(scratchpad, pad)))
        }
        run(primitive, execArgs)
        for (reorderPrimitive, inner, user, bytes) in outputReorders { reorder(reorderPrimitive, from: inner, to: user, bytes: bytes) }
        for m in memories { dnnl_memory_destroy(m) }
        for (p, bytes) in temporaries { Memory.free(p, bytes: bytes) }
        return kept
    }

    /// Bytes from which a reorder is split across the threads (measured: weights of 18–74 K
    /// floats took 0.1 ms on two threads, mostly waking the second).
    static let parallelReorderBytes = 1 << 20
}
