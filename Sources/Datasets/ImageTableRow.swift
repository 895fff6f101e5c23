/// One image of an image set: its file and its attribute values.
public struct ImageTableRow: Equatable, Sendable {
    /// The image's path: a table's entry resolved against the table's folder, or a scanned file.
    public let path: String
    /// The table line the row starts on (nil for images found by scanning a folder).
    public let line: Int?
    /// One value per column of the set, in column order; nil where the cell was empty.
    public let values: [Float?]

    public init(path: String, line: Int?, values: [Float?]) {
        self.path = path
        self.line = line
        self.values = values
    }
}
