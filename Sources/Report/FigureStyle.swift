import Foundation
import Imaging

/// The look shared by the report's figures: paper white, near-black text, the 5x8 font at 2x.
enum FigureStyle {
    static let background = RGB8.white
    static let text = RGB8(25, 25, 25)
    static let mutedText = RGB8(90, 90, 90)
    static let axis = RGB8(40, 40, 40)
    static let gridLine = RGB8(225, 225, 225)
    static let bar = RGB8(59, 82, 139)
    static let reference = RGB8(196, 58, 36)
    /// Error bars of the standard deviation over translator seeds.
    static let sdBar = RGB8(0, 0, 0)
    static let missingCell = RGB8(225, 225, 225)
    static let textScale = 2
    static let margin = 20
    /// Height of one line of text at `textScale`.
    static var lineHeight: Int { BitmapFont.glyphHeight * textScale }

    static func textWidth(_ s: String, scale: Int = textScale) -> Int {
        BitmapFont.size(of: s, scale: scale).width
    }

    /// The font is printable ASCII only; anything else would print as a box, so it is spelled out
    /// where we can (é → e) and replaced by '?' otherwise.
    static func ascii(_ s: String) -> String {
        let folded = s.folding(options: [.diacriticInsensitive], locale: nil)
        return String(folded.map { $0.isASCII && ($0.asciiValue ?? 0) >= 32 ? $0 : "?" })
    }
}
