import ArgumentParser
import Datasets
import Imaging

extension FashionMNISTSplit: ExpressibleByArgument {}

/// `diagnose scenes`: a contact sheet of FashionScenes so a person can see the world.
struct ScenesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenes",
        abstract: "Render FashionScenes beside their label maps, with factor captions, to a PNG.")

    @Option(help: "Number of scenes to show.")
    var count = 48

    @Option(help: "Index of the first scene.")
    var start = 0

    @Option(help: "Output PNG path (written atomically).")
    var out = "scenes.png"

    @Option(help: "World seed: the same seed gives byte-identical scenes.")
    var seed: UInt64 = 0

    @Option(help: "Fashion-MNIST split the garments come from (train or test).")
    var split: FashionMNISTSplit = .train

    @Option(help: "Scene side in pixels (32 or 64).")
    var size = 32

    @Option(name: .customLong("data-dir"),
            help: "Directory with the Fashion-MNIST .gz files (default: $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist).")
    var dataDir: String?

    @Option(help: "Nearest-neighbour enlargement of scenes (default: 128 px per scene).")
    var scale: Int?

    @Option(help: "Scenes per row of the sheet.")
    var columns = 6

    func validate() throws {
        guard size == 32 || size == 64 else { throw ValidationError("--size must be 32 or 64, got \(size).") }
        guard count > 0, count <= 10_000 else { throw ValidationError("--count must be in 1...10000, got \(count).") }
        guard start >= 0 else { throw ValidationError("--start must be non-negative.") }
        guard columns > 0 else { throw ValidationError("--columns must be positive.") }
        if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be in 1...16, got \(scale).") }
    }

    func run() throws {
        let mnist = try FashionMNIST(split: split, dataDir: dataDir)
        let world = try FashionScenes(mnist: mnist, size: size, seed: seed)
        let scale = self.scale ?? max(1, 128 / size)
        let palette = LabelColorMap.fashionScenes
        let background = RGB8(24, 24, 24)
        let batch = world.batch(start..<(start + count))
        let plane = size * size

        // Captions twice as large when a tile is wide enough for 21 such characters.
        let captionScale = 2 * size * scale + 2 >= 21 * 2 * BitmapFont.advance ? 2 : 1
        let rows = (count + columns - 1) / columns
        var grid = ImageGrid(rows: rows, columns: columns)
        grid.background = background
        grid.padding = 8
        for i in 0..<count {
            let pixels = batch.images[(i * 3 * plane)..<((i + 1) * 3 * plane)]
            let labels = batch.labels[(i * plane)..<((i + 1) * plane)]
            let scene = try Image(chw: pixels, width: size, height: size).upscaled(by: scale)
            let labelMap = try palette.image(labels: labels, width: size, height: size).upscaled(by: scale)
            let f = batch.factors[i]
            let caption = Image.text(
                """
                #\(start + i) \(f.className)
                h\(fmt(f.hue)) s\(fmt(f.saturation)) v\(fmt(f.value))
                \(f.backgroundKind) at \(f.offsetX),\(f.offsetY)
                """, color: RGB8(230, 230, 230), background: background, scale: captionScale)
            grid[i / columns, i % columns] = Image.vstack(
                [Image.hstack([scene, labelMap], spacing: 2, background: background), caption],
                spacing: 3, background: background)
        }
        let title = Image.text(
            "FashionScenes  split=\(split)  seed=\(seed)  size=\(size)  scenes \(start)..<\(start + count)   (each: scene | label map)",
            color: .white, background: background, scale: 2, padding: 8)
        let legend = palette.legend(columns: 6, scale: 2, background: background).padded(8, color: background)
        let sheet = Image.vstack([title, grid.render(), legend], background: background)
        try sheet.writePNG(to: out)
        print("Wrote \(out): \(count) scenes, \(sheet.width)x\(sheet.height) px.")
    }

    private func fmt(_ x: Float) -> String {
        let hundredths = Int((x * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
