import Foundation
import Imaging

extension Workload {
    /// The reference's name and unit of the image workload, which needs a folder of JPEGs.
    public static let imagesDecodeResizeName = "images_decode_resize_64"
    public static let imagesDecodeResizeUnit = "images/s (256x256 JPEG -> 64x64)"

    /// `images_decode_resize_64`: every `.jpg` in `directory` (the reference's set of 256 is
    /// written by `torch_reference.py --export-images DIR`) read from disk, decoded at libjpeg's
    /// reduced size and fitted to `size` × `size` (`ImageFile.decodeFitted`, the reference's
    /// `draft` + resize), and turned into RGB floats 0…1 (channel planes, the engine's layout).
    /// One step is the whole set, as in the reference, which warms up with one pass; images/s.
    /// Every file is read once while setting up, so an unreadable one stops the workload there.
    public static func imagesDecodeResize(directory: URL, size: Int = 64) throws -> Workload {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jpg") }.sorted()
        guard !names.isEmpty else { throw BenchmarkError.noImages(directory.path) }
        let paths = names.map { directory.appendingPathComponent($0).path }
        return Workload(name: imagesDecodeResizeName, unit: imagesDecodeResizeUnit, workPerStep: Double(paths.count), warmup: 1) {
            var planes = [Float](repeating: 0, count: 3 * size * size)
            for path in paths { try loadPlanes(path, size: size, into: &planes) }
            return { for path in paths { try? loadPlanes(path, size: size, into: &planes) } }
        }
    }

    /// One image of the workload: the file fitted to `size` × `size` as RGB floats 0…1 in
    /// channel planes ([3, size, size]), written over `planes`.
    static func loadPlanes(_ path: String, size: Int, into planes: inout [Float]) throws {
        precondition(planes.count == 3 * size * size, "loadPlanes: room for 3 planes of \(size)x\(size)")
        let bitmap = try ImageFile.readFitted(path, width: size, height: size)
        let plane = size * size
        bitmap.samples.withUnsafeBufferPointer { source in
            planes.withUnsafeMutableBufferPointer { target in
                let src = source.baseAddress!, dst = target.baseAddress!
                for p in 0..<plane {
                    dst[p] = Float(src[3 * p]) / 255
                    dst[plane + p] = Float(src[3 * p + 1]) / 255
                    dst[2 * plane + p] = Float(src[3 * p + 2]) / 255
                }
            }
        }
    }
}
