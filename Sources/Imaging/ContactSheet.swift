/// The contact sheet of design.md section 3.7: one row per input; columns
/// input | reconstruction | for each layer: k cINN samples, the MLP's output and, if shown, a
/// heat map of where the samples vary (`variation`), with its colour scale in a last row
/// (`variationLegend`). Layer names label their column groups. Images are added as `Image`s or float CHW arrays (0...1) and enlarged
/// with nearest neighbour.
public struct ContactSheet {
    /// One input's images.
    public struct Row {
        public var title: String?
        public var input: Image
        public var reconstruction: Image?
        /// Per layer, `samplesPerLayer` images.
        public var samples: [[Image]]
        /// Per layer, the MLP baseline's output (nil entries leave the cell empty).
        public var mlp: [Image?]
        /// Per layer, the samples' variation as a heat map (shown with `showsVariation`).
        public var variation: [Image?]

        public init(title: String? = nil, input: Image, reconstruction: Image?, samples: [[Image]], mlp: [Image?] = [],
                    variation: [Image?] = []) {
            self.title = title
            self.input = input
            self.reconstruction = reconstruction
            self.samples = samples
            self.mlp = mlp
            self.variation = variation
        }
    }

    public let layers: [String]
    public let samplesPerLayer: Int
    public var showsReconstruction: Bool
    public var showsMLP: Bool
    /// A column per layer after the MLP's, headed `variationHeader`, for `Row.variation`.
    public var showsVariation = false
    public var variationHeader = "dE"
    /// The variation's colour scale, drawn under each layer's variation column in a last row
    /// headed `variationLegendTitle` (already at the sheet's size: it is not enlarged).
    public var variationLegend: Image?
    public var variationLegendTitle = "scale"
    /// Nearest-neighbour enlargement of every image.
    public var scale: Int
    public var textScale = 1
    public private(set) var rows: [Row] = []

    public init(layers: [String], samplesPerLayer: Int, showsReconstruction: Bool = true,
                showsMLP: Bool = true, scale: Int = 2) {
        self.layers = layers
        self.samplesPerLayer = max(samplesPerLayer, 0)
        self.showsReconstruction = showsReconstruction
        self.showsMLP = showsMLP
        self.scale = max(scale, 1)
    }

    /// Adds a row; fails if the number of layers or samples does not match the sheet.
    public mutating func add(_ row: Row) throws {
        guard row.samples.count == layers.count else {
            throw ImagingError.badTensorSize(expected: layers.count, actual: row.samples.count, what: "contact sheet row: sample groups (one per layer)")
        }
        for (i, group) in row.samples.enumerated() where group.count != samplesPerLayer {
            throw ImagingError.badTensorSize(expected: samplesPerLayer, actual: group.count, what: "contact sheet row: samples of layer \(layers[i])")
        }
        guard row.mlp.isEmpty || row.mlp.count == layers.count else {
            throw ImagingError.badTensorSize(expected: layers.count, actual: row.mlp.count, what: "contact sheet row: MLP outputs (one per layer)")
        }
        guard row.variation.isEmpty || row.variation.count == layers.count else {
            throw ImagingError.badTensorSize(expected: layers.count, actual: row.variation.count, what: "contact sheet row: variation maps (one per layer)")
        }
        rows.append(row)
    }

    /// Adds a row from float CHW arrays (3 x height x width, values in 0...1).
    public mutating func add(title: String? = nil, input: [Float], reconstruction: [Float]?,
                             samples: [[[Float]]], mlp: [[Float]]? = nil, width: Int, height: Int) throws {
        func img(_ v: [Float]) throws -> Image { try Image(chw: v, width: width, height: height) }
        try add(Row(title: title, input: img(input), reconstruction: reconstruction.map(img),
                    samples: samples.map { try $0.map(img) }, mlp: (mlp ?? []).map { try img($0) }))
    }

    /// Column headers in order, as `grid()` lays them out.
    public var columnHeaders: [String] {
        var headers = ["input"]
        if showsReconstruction { headers.append("recon") }
        for _ in layers {
            headers += (0..<samplesPerLayer).map { "s\($0 + 1)" }
            if showsMLP { headers.append("MLP") }
            if showsVariation { headers.append(variationHeader) }
        }
        return headers
    }

    public func render() -> Image {
        grid().render()
    }

    /// The sheet as a grid of images with its labels, for drawing it in other formats.
    public func grid() -> ImageGrid {
        let headers = columnHeaders
        let legend = showsVariation ? variationLegend : nil
        var grid = ImageGrid(rows: rows.count + (legend == nil ? 0 : 1), columns: headers.count)
        grid.columnHeaders = headers
        grid.textScale = textScale
        grid.rowHeaders = rows.enumerated().map { i, row in row.title ?? "#\(i)" } + (legend == nil ? [] : [variationLegendTitle])
        let lead = showsReconstruction ? 2 : 1
        let perLayer = samplesPerLayer + (showsMLP ? 1 : 0) + (showsVariation ? 1 : 0)
        let variationColumn = samplesPerLayer + (showsMLP ? 1 : 0)
        grid.columnGroups = layers.enumerated().map { i, name in
            ImageGrid.ColumnGroup(title: name, columns: (lead + i * perLayer)..<(lead + (i + 1) * perLayer))
        }
        grid.extraGapBefore = Set((0..<layers.count).map { lead + $0 * perLayer })
        for (r, row) in rows.enumerated() {
            grid[r, 0] = row.input.upscaled(by: scale)
            if showsReconstruction { grid[r, 1] = row.reconstruction?.upscaled(by: scale) }
            for (l, group) in row.samples.enumerated() {
                let base = lead + l * perLayer
                for (k, sample) in group.enumerated() { grid[r, base + k] = sample.upscaled(by: scale) }
                if showsMLP, l < row.mlp.count { grid[r, base + samplesPerLayer] = row.mlp[l]?.upscaled(by: scale) }
                if showsVariation, l < row.variation.count { grid[r, base + variationColumn] = row.variation[l]?.upscaled(by: scale) }
            }
        }
        if let legend {
            for l in layers.indices { grid[rows.count, lead + l * perLayer + variationColumn] = legend }
        }
        return grid
    }
}
