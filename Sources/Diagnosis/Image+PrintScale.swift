import Foundation
import Imaging
import Report

extension Image {
    /// Writes the picture as `name` and, for print, enlarged `FigureFiles.printFactor` times by
    /// pixel repetition as `FigureFiles(name).printScale`: whole pixels stay sharp squares, where
    /// a printer or a PDF viewer would blur the small original.
    func writeWithPrintScale(to folder: URL, name: String) throws {
        try writePNG(to: folder.appendingPathComponent(name).path)
        try upscaled(by: FigureFiles.printFactor).writePNG(to: folder.appendingPathComponent(FigureFiles(name).printScale).path)
    }
}
