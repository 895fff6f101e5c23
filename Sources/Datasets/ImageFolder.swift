import Foundation

/// A folder of PNG and JPEG files as an image set: searched recursively for names ending in
/// .png, .jpg or .jpeg (any case), in a stable order (byte order of the paths below the folder),
/// skipping hidden entries (names starting with a dot: .git, .ipynb_checkpoints, the ._photo.jpg
/// files macOS leaves on other disks, which are not images). In torchvision's ImageFolder layout,
/// every image in a subfolder of the top level and at least two such subfolders, each image
/// gets a categorical `class` attribute: its top-level subfolder's name, classes in byte order
/// as torchvision sorts them (so the codes are torchvision's class indices).
public enum ImageFolder {
    /// The file name endings read as images (compared case-insensitively).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Scans `root`; fails when it is not a folder or holds no images.
    public static func scan(_ root: String) throws -> ImageTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw DatasetError.imageFolder(path: root, problem: "does not exist", fix: "Pass an existing folder of images, or a .csv/.tsv table")
        }
        guard isDirectory.boolValue else {
            throw DatasetError.imageFolder(path: root, problem: "is a file, not a folder",
                                           fix: "Pass the folder that holds the images, or a table whose name ends in .csv or .tsv")
        }
        var found: [[String]] = []  // path components below root
        var others: [String: Int] = [:]
        var visited: Set<String> = []
        try walk(root, below: [], into: &found, others: &others, visited: &visited)
        guard !found.isEmpty else {
            let skipped = others.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(5).map { "\($0.value) \($0.key.isEmpty ? "without extension" : ".\($0.key)")" }
            let note = skipped.isEmpty ? "the folder and its subfolders hold no files" : "other files: \(skipped.joined(separator: ", "))"
            throw DatasetError.imageFolder(path: root, problem: "no PNG or JPEG images found (searched recursively; \(note))",
                                           fix: "Put .png, .jpg or .jpeg files in it (other formats converted to PNG first)")
        }
        found.sort { $0.joined(separator: "/").utf8.lexicographicallyPrecedes($1.joined(separator: "/").utf8) }
        let paths = found.map { ([root] + $0).joined(separator: "/") }

        let classNames = Set(found.map { $0.count >= 2 ? $0[0] : "" })
        guard !classNames.contains(""), classNames.count >= 2 else {
            return ImageTable(source: root, columns: [], rows: paths.map { ImageTableRow(path: $0, line: nil, values: []) })
        }
        let classes = classNames.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, Float($0.offset)) })
        let column = AttributeColumn(name: "class", kind: .categorical(classes: classes.count), categories: classes)
        let rows = zip(paths, found).map { ImageTableRow(path: $0, line: nil, values: [code[$1[0]]]) }
        return ImageTable(source: root, columns: [column], rows: rows)
    }

    /// Depth-first walk; a folder reached twice through symbolic links is read once, so a link
    /// loop cannot recurse forever.
    private static func walk(_ directory: String, below components: [String], into found: inout [[String]],
                             others: inout [String: Int], visited: inout Set<String>) throws {
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else { return }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw DatasetError.imageFolder(path: directory, problem: "cannot be listed (\(error.localizedDescription))",
                                           fix: "Check the folder's permissions")
        }
        for name in entries where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }  // a dangling link
            if isDirectory.boolValue {
                try walk(path, below: components + [name], into: &found, others: &others, visited: &visited)
            } else {
                let ext = (name as NSString).pathExtension.lowercased()
                if imageExtensions.contains(ext) {
                    found.append(components + [name])
                } else {
                    others[ext, default: 0] += 1
                }
            }
        }
    }
}
