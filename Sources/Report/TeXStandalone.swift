/// The small documents that compile a generated `.tex` file on its own with `pdflatex`.
enum TeXStandalone {
    /// Latin Modern with T1 where it is installed (full TeX Live); otherwise the default OT1
    /// Computer Modern. Both are Type 1 (vector) fonts: T1 without Latin Modern or cm-super would
    /// fall back to bitmap fonts, which print badly.
    static let fontSetup = "\\IfFileExists{lmodern.sty}{\\usepackage[T1]{fontenc}\\usepackage{lmodern}}{}"

    /// A document whose one page is exactly the figure in `inputFile` plus a 4 pt border, so the
    /// PDF can go straight into `\includegraphics`. Uses only the LaTeX base, TikZ and pgfplots
    /// (the `standalone` class is not in Debian's basic TeX packages): the figure is measured in
    /// a box, the pdfTeX page size set from it, and the box shipped out as the page.
    static func figure(inputFile: String) -> String {
        // The wrapper sits beside the figure, so it inputs it by its bare name.
        let name = inputFile.split(separator: "/").last.map(String.init) ?? inputFile
        let base = name.hasSuffix(".tex") ? String(name.dropLast(4)) : name
        return """
        % Compile with: pdflatex \(base)-standalone.tex  (one page, the size of the figure)
        \\documentclass{article}
        \(fontSetup)
        \\usepackage{tikz}
        \\usepackage{pgfplots}
        \\pgfplotsset{compat=1.16}
        \\pagestyle{empty}
        \\newsavebox{\\diagnosefigure}
        \\begin{document}
        \\sbox{\\diagnosefigure}{\\input{\(base)}}
        \\pdfpagewidth=\\dimexpr\\wd\\diagnosefigure+8pt\\relax
        \\pdfpageheight=\\dimexpr\\ht\\diagnosefigure+\\dp\\diagnosefigure+8pt\\relax
        \\hoffset=\\dimexpr4pt-1in\\relax \\voffset=\\dimexpr4pt-1in\\relax
        \\shipout\\box\\diagnosefigure
        \\end{document}

        """
    }
}
