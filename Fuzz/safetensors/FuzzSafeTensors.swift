// libFuzzer target: safetensors bytes → SafeTensorsFile.decode, then every typed read.
// Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer report, leak or input slower
// than 1 s is a finding; decode errors are expected and ignored.
import Foundation
import SafeTensors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard let file = try? SafeTensorsFile.decode(bytes, source: "fuzz") else { return 0 }

    // The same bytes as a slice whose indices do not start at 0 must decode to the same contents.
    let shifted = (Data([0]) + bytes).dropFirst()
    guard let again = try? SafeTensorsFile.decode(shifted, source: "fuzz") else {
        fatalError("decodes from index 0 but not from a slice at index 1")
    }
    guard again.tensors == file.tensors, again.metadata == file.metadata else {
        fatalError("a slice at index 1 decodes to different contents")
    }

    for name in file.names {
        guard let entry = try? file.entry(name) else { fatalError("listed name '\(name)' has no entry") }
        let elements = entry.shape.reduce(1, *)
        guard entry.elementCount == elements, entry.data.count == elements * entry.dtype.byteSize else {
            fatalError("'\(name)': shape \(entry.shape) disagrees with \(entry.data.count) bytes of \(entry.dtype)")
        }
        switch entry.dtype {
        case .f32, .f16, .bf16:
            guard let (_, floats) = try? file.floats(name), floats.count == elements,
                  let (_, doubles) = try? file.doubles(name), doubles.count == elements else {
                fatalError("'\(name)': \(entry.dtype) not readable as floats and doubles")
            }
            var buffer = [Float](repeating: 0, count: elements)
            do {
                try buffer.withUnsafeMutableBufferPointer { try file.copyFloats(name, into: $0) }
            } catch {
                fatalError("'\(name)': copyFloats failed: \(error)")
            }
            guard buffer.elementsEqual(floats, by: { $0.bitPattern == $1.bitPattern }) else {
                fatalError("'\(name)': copyFloats and floats disagree")
            }
        case .f64:
            guard let (_, doubles) = try? file.doubles(name), doubles.count == elements else {
                fatalError("'\(name)': F64 not readable as doubles")
            }
            if (try? file.floats(name)) != nil { fatalError("'\(name)': F64 read as Float without an error") }
        case .i64, .i32, .i16, .i8, .u32, .u16, .u8:
            guard let (_, ints) = try? file.int64s(name), ints.count == elements else {
                fatalError("'\(name)': \(entry.dtype) not readable as Int64")
            }
        case .u64, .bool:
            if (try? file.int64s(name)) != nil { fatalError("'\(name)': \(entry.dtype) read as Int64 without an error") }
        }
    }

    // What was read must write and read back to the same contents.
    let encoded = file.encoded()
    guard let reread = try? SafeTensorsFile.decode(encoded, source: "fuzz") else {
        fatalError("the re-encoded file does not decode")
    }
    guard reread.tensors == file.tensors, reread.metadata == file.metadata else {
        fatalError("the re-encoded file decodes to different contents")
    }
    return 0
}
