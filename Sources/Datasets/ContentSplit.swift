import FileSupport

/// Which split an image of a user's image set belongs to, decided by the digest of its file's
/// bytes alone: test when the digest, read as a 64-bit number, is divisible by 10 (one image in
/// ten), train otherwise. An image's split depends on nothing but its content, so adding,
/// removing or renaming other images never moves it, and identical copies always land together
/// (a duplicate cannot leak from train into test).
public enum ContentSplit: String, Sendable, CaseIterable {
    case train, test

    public init(digest: Digest) {
        // FNV-1a 64 digests are 16 hex digits; anything else is a programming error.
        guard let value = UInt64(digest.hex, radix: 16) else {
            preconditionFailure("ContentSplit: digest '\(digest.hex)' is not a 64-bit hex number")
        }
        self = value % 10 == 0 ? .test : .train
    }

    /// The rule in words, for metadata and reports.
    public static let rule = "test if the FNV-1a 64 digest of the file's bytes is divisible by 10, else train"
}
