import ArgumentParser
import Datasets
import Imaging
import Progress

extension FashionMNISTSplit: ExpressibleByArgument {}

/// `diagnose scenes`: a contact sheet of FashionScenes so a person can see the world, or with
/// `--table` the scenes as an image set (a folder of PNGs and factors.csv, `SceneFolder`) that
/// `--images` and other tools can read.
struct ScenesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenes",
        abstract: "Render FashionScenes as a contact sheet (PNG), or with --table as a folder of PNGs with factors.csv.",
        discussion: """
            Without --table, --out is the contact sheet, a .png file (default scenes.png). With --table, --out is a \
            folder: scene-000000.png … and factors.csv (a path column and one column per scene factor); an existing \
            folder must be empty, or one written by --table and replaced with --force.
            """)

    @Option(help: "Number of scenes (sheet: 1...10000; --table: 1...1000000).")
    var count = 48

    @Option(help: "Index of the first scene.")
    var start = 0

    @Option(help: "The contact sheet's .png path (default scenes.png), or with --table the folder to write (written atomically).")
    var out: String?

    @Flag(help: "Write the scenes as a folder of PNG files with factors.csv instead of a contact sheet.")
    var table = false

    @Flag(help: "With --table: replace a folder that an earlier --table run wrote.")
    var force = false

    @Option(help: "World seed: the same seed gives byte-identical scenes.")
    var seed: UInt64 = 0

    @Option(help: "Fashion-MNIST split the garments come from (train or test).")
    var split: FashionMNISTSplit = .train

    @Option(help: "Scene side in pixels (32 or 64).")
    var size = 32

    @Option(name: .customLong("data-dir"),
            help: "Directory with the Fashion-MNIST .gz files (default: $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist).")
    var dataDir: String?

    @Option(help: "Sheet only: nearest-neighbour enlargement of scenes (default: 128 px per scene).")
    var scale: Int?

    @Option(help: "Sheet only: scenes per row (default 6).")
    var columns: Int?

    /// The most scenes --table writes (six-digit file names).
    static let folderLimit = 1_000_000

    func validate() throws {
        guard size == 32 || size == 64 else { throw ValidationError("--size must be 32 or 64, got \(size).") }
        guard start >= 0 else { throw ValidationError("--start must be non-negative.") }
        if table {
            guard count > 0, count <= Self.folderLimit else { throw ValidationError("--count must be in 1...\(Self.folderLimit) with --table, got \(count).") }
            guard start <= Self.folderLimit - count else {
                throw ValidationError("--start \(start) --count \(count) goes past scene \(Self.folderLimit - 1), the last a six-digit file name holds; lower --start.")
            }
            guard let out else {
                throw ValidationError("--table writes a folder: name it with --out DIR, e.g. --out scenes.")
            }
            guard !out.lowercased().hasSuffix(".png") else {
                throw ValidationError("--table writes a folder of PNGs and \(SceneFolder.tableName), but --out \(out) names a PNG file; give a folder name, e.g. --out scenes.")
            }
            if scale != nil || columns != nil {
                throw ValidationError("--scale and --columns lay out the contact sheet; with --table there is none. Leave them out.")
            }
        } else {
            guard count > 0, count <= 10_000 else { throw ValidationError("--count must be in 1...10000, got \(count).") }
            if let out, !out.lowercased().hasSuffix(".png") {
                throw ValidationError("--out \(out) does not end in .png: the contact sheet is a PNG file (e.g. --out scenes.png). To write the scenes as a folder of PNGs with \(SceneFolder.tableName), add --table.")
            }
            guard !force else { throw ValidationError("--force only applies with --table (a sheet is simply overwritten).") }
            if let columns, columns <= 0 { throw ValidationError("--columns must be positive.") }
            if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be in 1...16, got \(scale).") }
        }
    }

    func run() throws {
        // Refused before Fashion-MNIST is read, so a wrong --out costs nothing.
        let folder = try table ? SceneFolder(out ?? "", force: force) : nil
        let mnist = try FashionMNIST(split: split, dataDir: dataDir)
        let world = try FashionScenes(mnist: mnist, size: size, seed: seed)
        if let folder {
            let bar = ProgressBar("write scenes", total: count, unit: "scenes")
            try folder.write(world, indices: start..<(start + count)) { bar.update($0) }
            bar.finish()
            print("Wrote \(folder.url.path): \(count) scenes \(size)x\(size) (split \(split), seed \(seed), scenes \(start)..<\(start + count)) as PNG files and \(SceneFolder.tableName).")
            return
        }
        let out = self.out ?? "scenes.png"
        let columns = self.columns ?? 6
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
