/// Errors from selecting or running workloads.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
    case unknownWorkload(String, available: [String])
    case setupFailed(workload: String, reason: String)
    case noModels(String)
    case noImages(String)
    case needsImages(filter: String)

    public var description: String {
        switch self {
        case let .unknownWorkload(name, available):
            return "no workload named or starting with '\(name)'; available: \(available.joined(separator: ", ")). Check the --only list."
        case let .setupFailed(workload, reason):
            return "workload \(workload) could not be set up: \(reason)"
        case let .noModels(path):
            return "no .onnx files in \(path); write them with /usr/bin/python3 ../shared/bench/torch_reference.py --export-onnx \(path)"
        case let .needsImages(filter):
            return "--only \(filter) selects \(Workload.imagesDecodeResizeName), which reads a folder of JPEGs: pass --images-dir DIR "
                + "(/usr/bin/python3 ../shared/bench/torch_reference.py --export-images DIR writes the reference's set)"
        case let .noImages(path):
            return "no .jpg files in \(path); write the reference's set with /usr/bin/python3 ../shared/bench/torch_reference.py --export-images \(path)"
        }
    }
}
