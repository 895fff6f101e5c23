import Autoencoder
import Flows
import Imaging
import Metrics
import Report
import Tensors

/// The pictures of a run: a contact sheet per layer, the overview across layers (the papers'
/// figure), and exemplar transfer, each a `SheetFigure` to write in every format; beside each
/// row's samples the heat map of where they vary, and per layer the mean of those maps.
enum SheetRendering {
    static let scale = 3

    /// The variation heat maps' colour scale in ΔE, the same on every sheet, layer and run so that
    /// their colours compare; larger values take the top colour. 40 is about the spread of
    /// samples whose colour is free (the oracle's class-only layer: 30–45 on the garment).
    static let variationRange = VariationScale.range
    static let variationTitle = "dE"

    /// A variation map (ΔE, row-major `width` × `height`) as a heat map.
    static func variationImage(_ map: [Float], width: Int, height: Int) throws -> Image {
        try HeatColorMap.viridisLike.image(values: map, width: width, height: height, range: variationRange)
    }

    /// Where a sheet row's shown samples vary, as a heat map at their size.
    static func variationImage(_ row: SheetRow) throws -> Image {
        try variationImage(row.variation, width: row.width, height: row.height)
    }

    /// The heat maps' colour bar, `width` pixels wide, with its ends and unit under it.
    static func variationLegend(width: Int) -> Image {
        HeatColorMap.viridisLike.colorBar(width: width, height: 8, range: variationRange, title: variationTitle,
                                          textColor: .white, background: ImageGrid(rows: 0, columns: 0).background)
    }

    /// A layer's mean variation map over the scored test inputs, enlarged, with its colour bar.
    static func variationFigure(layer: String, alias: String?, _ v: LayerVariation) throws -> SheetFigure {
        let title = alias.map { "\($0): \(layer)" } ?? layer
        let map = try HeatColorMap.viridisLike.image(values: v.meanMap, width: v.width, height: v.height, range: variationRange)
            .upscaled(by: 4)
        var grid = ImageGrid(rows: 2, columns: 1)
        grid.columnHeaders = ["mean \(variationTitle), \(v.summary.inputs) inputs"]
        grid.columnGroups = [ImageGrid.ColumnGroup(title: title, columns: 0..<1)]
        grid[0, 0] = map
        grid[1, 0] = variationLegend(width: max(map.width, BitmapFont.size(of: title, scale: 1).width))
        return SheetFigure(grid, title: "Variation of \(layer)'s samples (RMS CIELAB distance to their mean, dE), mean over test inputs")
    }

    static func image(_ t: Tensor, _ row: Int) throws -> Image {
        let per = t.count / t.shape[0]
        return try Image(chw: Array(t.scalars[(row * per)..<((row + 1) * per)]), width: t.shape[3], height: t.shape[2])
    }

    static func layerSheet(layer: String, alias: String?, inputs: [Int], real: Tensor, reconstructions: Tensor,
                           rows: [SheetRow], samples: Int) throws -> SheetFigure {
        var sheet = ContactSheet(layers: [alias.map { "\($0): \(layer)" } ?? layer], samplesPerLayer: samples, scale: scale)
        sheet.showsVariation = true
        sheet.variationHeader = variationTitle
        sheet.variationLegend = variationLegend(width: real.shape[3] * scale)
        for (i, index) in inputs.enumerated() {
            let r = rows[i]
            try sheet.add(ContactSheet.Row(title: "#\(index)", input: image(real, index), reconstruction: image(reconstructions, index),
                                           samples: [r.samples.map { try image($0, 0) }], mlp: [try image(r.mlp, 0)],
                                           variation: [try variationImage(r)]))
        }
        return SheetFigure(sheet.grid(), title: "Contact sheet of \(layer): input, reconstruction, cINN samples, MLP, where the samples vary (dE)")
    }

    static func overview(layers: [String], inputs: [Int], real: Tensor, reconstructions: Tensor,
                         rows: [[SheetRow]], samples: Int) throws -> SheetFigure {
        var sheet = ContactSheet(layers: layers, samplesPerLayer: samples, scale: 2)
        sheet.showsVariation = true
        sheet.variationHeader = variationTitle
        sheet.variationLegend = variationLegend(width: real.shape[3] * 2)
        for (i, index) in inputs.enumerated() {
            try sheet.add(ContactSheet.Row(title: "#\(index)", input: image(real, index), reconstruction: image(reconstructions, index),
                                           samples: try rows.map { try $0[i].samples.map { try image($0, 0) } },
                                           mlp: try rows.map { try image($0[i].mlp, 0) },
                                           variation: try rows.map { try variationImage($0[i]) }))
        }
        return SheetFigure(sheet.grid(), title: "Overview: inputs, reconstructions, cINN samples and where they vary (dE) per layer")
    }

    /// The report folder's subfolder of the explorer's sprites (`ExplorerImages`, `LayerSprite`).
    static let explorerFolder = "explore"

    /// Where the explorer finds the inputs and how its sprites are laid out.
    static func explorerImages(_ c: LayerEvaluation.Context) -> ExplorerImages {
        let o = c.inputs.options
        return ExplorerImages(inputSprite: "\(explorerFolder)/inputs.png", inputs: c.sheetInputs,
                              width: c.references.reconstructions.shape[3], height: c.references.reconstructions.shape[2],
                              selection: o.sheetSelection, shown: o.samples)
    }

    /// A layer's explorer sprite: a row per sheet input, its pool of samples, the MLP's output and
    /// the pool's variation map, each at the decoded size.
    static func explorerSprite(_ rows: [SheetRow]) throws -> Image {
        try sprite(try rows.map { row in
            try row.pool.map { try image($0, 0) } + [try image(row.mlp, 0),
                                                      try variationImage(SheetRow.variationMap(row.pool), width: row.width, height: row.height)]
        })
    }

    /// The explorer's inputs sprite: a row per sheet input, the input and its reconstruction.
    static func inputsSprite(inputs: [Int], real: Tensor, reconstructions: Tensor) throws -> Image {
        try sprite(try inputs.map { [try image(real, $0), try image(reconstructions, $0)] })
    }

    /// Cells of one size laid out edge to edge, row by row.
    private static func sprite(_ cells: [[Image]]) throws -> Image {
        let w = cells[0][0].width, h = cells[0][0].height
        var out = Image(width: w * cells[0].count, height: h * cells.count)
        for (r, row) in cells.enumerated() {
            for (c, cell) in row.enumerated() { out.draw(cell, x: c * w, y: r * h) }
        }
        return out
    }

    /// Rows: targets x; per layer a block of columns, one per exemplar y, showing
    /// τ(τ⁻¹(z_Θ(y) | Φ(y)) | Φ(x)): y's residual rendered under x's features.
    static func exemplarTransfer(cinns: [ConditionalFlow], layers: [String], test: Pairs, scaler: CodeScaler, real: Tensor,
                                 autoencoder: ConvAutoencoder, count: Int) throws -> SheetFigure {
        let xs = Array(0..<count), ys = Array(count..<(2 * count))
        var grid = ImageGrid(rows: count + 1, columns: 1 + layers.count * count)
        // The layer is the column group's title, so a column is headed by its exemplar alone.
        grid.columnHeaders = ["x \\ y"] + layers.flatMap { _ in ys.map { "y #\($0)" } }
        grid.rowHeaders = ["exemplar y"] + xs.map { "x #\($0)" }
        for (li, _) in layers.enumerated() {
            for (j, y) in ys.enumerated() { grid[0, 1 + li * count + j] = try image(real, y).upscaled(by: scale) }
        }
        for (i, x) in xs.enumerated() { grid[i + 1, 0] = try image(real, x).upscaled(by: scale) }
        for (li, cinn) in cinns.enumerated() {
            let features = test.features[layers[li]]!
            // All (x, y) pairs at once: row i·count + j pairs target x_i with exemplar y_j.
            let yIdx = xs.flatMap { _ in ys }, xIdx = xs.flatMap { x in Array(repeating: x, count: count) }
            let codes = try cinn.translate(test.codes.gather(axis: 0, indices: yIdx),
                                           fromFeatures: features.gather(axis: 0, indices: yIdx),
                                           toFeatures: features.gather(axis: 0, indices: xIdx))
            let images = decode(scaler.denormalize(codes), autoencoder)
            for i in 0..<count {
                for j in 0..<count { grid[i + 1, 1 + li * count + j] = try image(images, i * count + j).upscaled(by: scale) }
            }
        }
        grid.columnGroups = layers.enumerated().map { ImageGrid.ColumnGroup(title: $0.element, columns: (1 + $0.offset * count)..<(1 + ($0.offset + 1) * count)) }
        return SheetFigure(grid, title: "Exemplar transfer: each exemplar y's residual rendered under the features of target x, per layer")
    }
}
