import Autoencoder
import Flows
import Imaging
import Report
import Tensors

/// The pictures of a run: a contact sheet per layer, the overview across layers (the papers'
/// figure), and exemplar transfer, each a `SheetFigure` to write in every format.
enum SheetRendering {
    static let scale = 3

    static func image(_ t: Tensor, _ row: Int) throws -> Image {
        let per = t.count / t.shape[0]
        return try Image(chw: Array(t.scalars[(row * per)..<((row + 1) * per)]), width: t.shape[3], height: t.shape[2])
    }

    static func layerSheet(layer: String, alias: String?, inputs: [Int], real: Tensor, reconstructions: Tensor,
                           rows: [Int: (samples: [Tensor], mlp: Tensor)], samples: Int) throws -> SheetFigure {
        var sheet = ContactSheet(layers: [alias.map { "\($0): \(layer)" } ?? layer], samplesPerLayer: samples, scale: scale)
        for (i, index) in inputs.enumerated() {
            let r = rows[i]!
            try sheet.add(ContactSheet.Row(title: "#\(index)", input: image(real, index), reconstruction: image(reconstructions, index),
                                           samples: [r.samples.map { try image($0, 0) }], mlp: [try image(r.mlp, 0)]))
        }
        return SheetFigure(sheet.grid(), title: "Contact sheet of \(layer): input, reconstruction, cINN samples, MLP")
    }

    static func overview(layers: [String], inputs: [Int], real: Tensor, reconstructions: Tensor,
                         rows: [[Int: (samples: [Tensor], mlp: Tensor)]], samples: Int) throws -> SheetFigure {
        var sheet = ContactSheet(layers: layers, samplesPerLayer: samples, scale: 2)
        for (i, index) in inputs.enumerated() {
            try sheet.add(ContactSheet.Row(title: "#\(index)", input: image(real, index), reconstruction: image(reconstructions, index),
                                           samples: try rows.map { try $0[i]!.samples.map { try image($0, 0) } },
                                           mlp: try rows.map { try image($0[i]!.mlp, 0) }))
        }
        return SheetFigure(sheet.grid(), title: "Overview: inputs, reconstructions and cINN samples per layer")
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
