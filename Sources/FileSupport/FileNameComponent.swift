/// A name (a layer of an imported network such as `/layer1/layer1.0/Add_output_0`, a model path)
/// made safe as one component of a file name: characters other than letters, digits, `.`, `_`
/// and `-` become `_`, and a name that had to change gets 8 hex digits of its hash, so that `a/b`
/// and `a_b` stay apart. Names that are safe already are kept (the built-in experts' cache and
/// report file names do not change).
public enum FileNameComponent {
    public static func safe(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        if cleaned == name && !name.isEmpty && name != "." && name != ".." { return name }
        var hash = ContentHash()
        Array(name.utf8).withUnsafeBytes { hash.add($0) }
        return String(cleaned.prefix(80)) + "-" + String(hash.hex.prefix(8))
    }
}
