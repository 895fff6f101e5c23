// swift-tools-version:6.0
// The layer-invariance diagnosis tool. One module per responsibility; each target depends on
// exactly the modules it imports, and docs/architecture.md ("Modules") draws that graph:
// support (FileSupport, Progress, SafeTensors) and the engine (Tensors, NN) at the bottom, then
// images and data (Imaging, Datasets), models (Autoencoder, Flows, ONNXImport, Experts), what a
// run computes (FeatureCache, Metrics, Report), the run itself (Diagnosis) and the command line.
import PackageDescription

// Numeric code is written against Swift 5 language mode: the strict-concurrency checks of mode 6
// add nothing for single-owner tensors and would force Sendable annotations on every closure.
let settings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "diagnose",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "diagnose", targets: ["DiagnoseCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Reads ONNX files; the message types are generated once and committed (docs/onnx.md).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C libraries from Debian: libopenblas-dev, libdnnl-dev, libpng-dev, libturbojpeg0-dev, zlib1g-dev.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libjpeg-turbo's TurboJPEG API: whole-image JPEG decoding with errors reported as values.
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // oneDNN 2.6 (libdnnl-dev; Debian ships no pkg-config file for it): convolutions, pooling.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),

        // Digests that name caches, atomic writes, safe file names, where the tool's own files are.
        .target(name: "FileSupport", swiftSettings: settings),
        // Tensor engine: storage, seeded RNG, reverse-mode autodiff, ops with hand-written backward.
        .target(name: "Tensors", dependencies: ["COpenBLAS", "CDNNL"], swiftSettings: settings),
        // The safetensors file format, independent of the tensor engine.
        .target(name: "SafeTensors", swiftSettings: settings),
        // Layers with named parameters, state dicts, optimisers and schedules.
        .target(name: "NN", dependencies: ["Tensors", "SafeTensors"], swiftSettings: settings),
        // PNG in and out, JPEG in, drawing, bitmap font, colour maps, contact sheets.
        .target(name: "Imaging", dependencies: ["CPNG", "CTurboJPEG", "FileSupport"], swiftSettings: settings),
        // Fashion-MNIST (IDX), the FashionScenes world with known factors, users' image folders and tables.
        .target(name: "Datasets", dependencies: ["CZlib", "FileSupport", "Imaging"], swiftSettings: settings),
        // Progress bars with rate and ETA for every long loop.
        .target(name: "Progress", swiftSettings: settings),
        // Frozen experts (DeepLabLite, ResNetClassifier, oracle, imported ONNX models) and their tap points.
        .target(name: "Experts", dependencies: ["Autoencoder", "Datasets", "FileSupport", "Imaging", "NN", "ONNXImport", "SafeTensors", "Tensors"], swiftSettings: settings),
        // ONNX models run on the tensor engine: parsing, constant folding, the op set, every node a tap.
        .target(name: "ONNXImport", dependencies: ["Tensors", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Generated/README.md"], swiftSettings: settings),
        // The autoencoder whose latent code the translators target.
        .target(name: "Autoencoder", dependencies: ["Tensors", "NN"], swiftSettings: settings),
        // Trains the experts and the autoencoder on FashionScenes; test metrics.
        .target(name: "Training", dependencies: ["Tensors", "NN", "SafeTensors", "Datasets", "Experts", "Autoencoder", "Imaging", "Progress"],
                swiftSettings: settings),
        // Features and codes computed once per (weights, layer, split, seed, range) and reused.
        .target(name: "FeatureCache", dependencies: ["Autoencoder", "Experts", "FileSupport", "Progress", "SafeTensors", "Tensors"],
                swiftSettings: settings),
        // Factor read-outs, invariance scores, Fréchet distance, diversity, calibration.
        .target(name: "Metrics", dependencies: ["Tensors", "NN", "Datasets", "Imaging", "Progress"], swiftSettings: settings),
        // The invariance report: Markdown, HTML, JSON, LaTeX and the figures.
        .target(name: "Report", dependencies: ["FileSupport", "Imaging", "Metrics"], swiftSettings: settings),
        // Invertible blocks, the cINN translator, the unconditional flow and the MLP baseline.
        .target(name: "Flows", dependencies: ["Tensors", "NN"], swiftSettings: settings),
        // The diagnosis run: features → translators → samples → metrics → figures → report.
        .target(name: "Diagnosis", dependencies: ["Autoencoder", "Datasets", "Experts", "FeatureCache", "FileSupport", "Flows", "Imaging", "Metrics", "NN", "Progress", "Report", "SafeTensors", "Tensors", "Training"],
                swiftSettings: settings),
        // Speed workloads in the shape of ../shared/bench/torch_reference.py.
        .target(name: "Benchmarks", dependencies: ["Tensors", "NN", "COpenBLAS", "Experts", "Autoencoder", "Flows", "Imaging", "ONNXImport"], swiftSettings: settings),
        // The command line.
        .executableTarget(
            name: "DiagnoseCLI",
            dependencies: [
                "Benchmarks", "Datasets", "Diagnosis", "Experts", "Imaging", "Report", "SafeTensors", "Tensors", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings),

        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensors", "SafeTensors"]),
        // Fixtures/: small images written by Tests/Reference/image_reference.py (Pillow), read by path.
        .testTarget(name: "ImagingTests", dependencies: ["FileSupport", "Imaging"], exclude: ["Fixtures"]),
        // Fixtures/: images and expected values written by Tests/Reference/photometric_reference.py (numpy, Pillow).
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "FileSupport", "Imaging"], exclude: ["Fixtures"]),
        // Fixtures/: autoencoder weights and outputs written by Tests/Reference/autoencoder_reference.py (PyTorch).
        .testTarget(name: "ExpertsTests", dependencies: ["Experts", "FileSupport", "ONNXImport", "Flows", "Autoencoder", "NN", "SafeTensors", "Tensors", "FeatureCache", "Datasets", "Imaging", "Training"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Datasets", "Imaging", "Tensors"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Datasets", "Diagnosis", "Experts", "FileSupport", "Flows", "Imaging", "Report"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Imaging"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Flows", "Imaging", "NN", "Tensors"]),
        // The executable's own logic (e.g. the OpenBLAS core-type decision), via @testable import.
        .testTarget(name: "DiagnoseCLITests", dependencies: ["DiagnoseCLI", "Datasets", "FileSupport", "Imaging", "SafeTensors"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "NN", "Tensors"]),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "Tensors", "SafeTensors"]),
    ],
    swiftLanguageModes: [.v5]
)
