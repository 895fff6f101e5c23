extension Bitmap {
    /// The bitmap resampled to `width` x `height` with Pillow's BILINEAR filter: a triangle filter
    /// whose support grows with the shrink factor, so downscaling averages every source pixel
    /// (antialiased) and upscaling interpolates linearly (`ResamplingWeights`). The result equals
    /// Pillow's `image.resize((width, height), Image.BILINEAR)` for grey and RGB. Channels are
    /// filtered independently; for RGBA Pillow premultiplies by alpha first and this does not.
    public func resized(width: Int, height: Int) throws -> Bitmap {
        try resampled(width: width, height: height, box: (0, 0, Float(self.width), Float(self.height)))
    }

    /// The centre of the bitmap with the aspect ratio of `width` x `height`, resampled to that
    /// size: Pillow's `ImageOps.fit(image, (width, height), Image.BILINEAR)`. The crop is not
    /// rounded to whole pixels: a side cropped to 133.33 pixels is resampled from exactly that
    /// interval, so no pixel row is lost or doubled by rounding and the centre stays the centre.
    /// The box places the output pixels; as in Pillow, the filter of an edge pixel still reads
    /// the source a little past it (up to one output pixel's width).
    public func fitted(width: Int, height: Int) throws -> Bitmap {
        try fitted(width: width, height: height, within: (0, 0, Double(self.width), Double(self.height)))
    }

    /// `fitted(width:height:)` of the part of the bitmap inside `box` (left, top, right, bottom,
    /// in pixels, fractions allowed): the centre of the box with the target's aspect ratio,
    /// resampled. A JPEG decoded at a reduced size covers only part of its last row and column
    /// (`ReducedJPEG.content`); fitting that part keeps the crop where it is on the full image.
    public func fitted(width: Int, height: Int, within box: (left: Double, top: Double, right: Double, bottom: Double)) throws -> Bitmap {
        try checkResize(width: width, height: height)
        let (w, h) = (box.right - box.left, box.bottom - box.top)
        let (cropWidth, cropHeight) = Self.crop(width: w, height: h, toRatioOf: width, height)
        let left = box.left + (w - cropWidth) * 0.5, top = box.top + (h - cropHeight) * 0.5
        return try resampled(width: width, height: height,
                             box: (Float(left), Float(top), Float(left + cropWidth), Float(top + cropHeight)))
    }

    /// The largest centred crop of a width × height image with the aspect ratio of
    /// `targetWidth` × `targetHeight` (`ImageOps.fit`'s crop, not rounded to whole pixels).
    static func crop(width w: Double, height h: Double, toRatioOf targetWidth: Int, _ targetHeight: Int) -> (width: Double, height: Double) {
        let sourceRatio = w / h
        let targetRatio = Double(targetWidth) / Double(targetHeight)
        if sourceRatio == targetRatio { return (w, h) }
        if sourceRatio > targetRatio { return (targetRatio * h, h) }  // wider than wanted: the sides go
        return (w, w / targetRatio)  // taller: top and bottom go
    }

    private func checkResize(width: Int, height: Int) throws {
        guard self.width > 0, self.height > 0 else {
            throw ImagingError.invalidResize(reason: "the source is empty (\(self.width)x\(self.height)); it has no pixels to resample")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, pixels <= JPEG.maximumPixels else {
            throw ImagingError.invalidResize(reason: "the target \(width)x\(height) must be at least 1x1 and at most \(JPEG.maximumPixels) pixels")
        }
    }

    /// Two separable passes as in Pillow, each rounding to 8 bits: horizontal into an
    /// intermediate holding only the rows the vertical pass reads, then vertical. Pillow 13 runs
    /// the vertical pass first when the height shrinks and loses more than twice as many pixels
    /// as the width (its pull request 9549, "if height is scaled down significantly more than
    /// width"); the rule here was read off Pillow 13.0's output, where the order moves some
    /// samples by 1, and the random cases of ResizeTests hold it to both orders. A pass is skipped
    /// where Pillow skips it (same size and full box); that changes nothing but time.
    func resampled(width: Int, height: Int, box: (Float, Float, Float, Float)) throws -> Bitmap {
        try checkResize(width: width, height: height)
        let needHorizontal = width != self.width || box.0 != 0 || box.2 != Float(width)
        let needVertical = height != self.height || box.1 != 0 || box.3 != Float(height)
        if !needHorizontal && !needVertical { return self }
        let vertical = ResamplingWeights(inputSize: self.height, start: box.1, end: box.3, outputSize: height)
        let horizontal = needHorizontal
            ? ResamplingWeights(inputSize: self.width, start: box.0, end: box.2, outputSize: width) : nil
        if let horizontal, needVertical, height < self.height, self.height - height > 2 * (self.width - width) {
            return verticalPass(vertical, rowOffset: 0).horizontalPass(horizontal, rows: 0..<height)
        }
        var image = self
        var rowOffset = 0
        if let horizontal {
            let firstRow = vertical.first[0]
            let lastRow = vertical.first[height - 1] + vertical.count[height - 1]
            image = horizontalPass(horizontal, rows: firstRow..<max(lastRow, firstRow))
            rowOffset = firstRow
        }
        if needVertical {
            image = image.verticalPass(vertical, rowOffset: rowOffset)
        }
        return image
    }

    private func horizontalPass(_ weights: ResamplingWeights, rows: Range<Int>) -> Bitmap {
        let channels = format.channels
        let outWidth = weights.outputSize
        var result = Bitmap(width: outWidth, height: rows.count, format: format)
        let half = Int32(1) << Int32(ResamplingWeights.precisionBits - 1)
        samples.withUnsafeBufferPointer { source in
            result.samples.withUnsafeMutableBufferPointer { target in
                weights.withUnsafeBuffers { k, firsts, counts in
                    guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                    for (outRow, row) in rows.enumerated() {
                        let inRow = src + row * width * channels
                        let outLine = dst + outRow * outWidth * channels
                        for x in 0..<outWidth {
                            let first = firsts[x], count = counts[x]
                            let w = k + x * weights.taps
                            for c in 0..<channels {
                                var sum = half
                                var p = inRow + first * channels + c
                                for t in 0..<count {
                                    sum &+= Int32(p.pointee) &* w[t]
                                    p += channels
                                }
                                outLine[x * channels + c] = Self.clamped(sum)
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    private func verticalPass(_ weights: ResamplingWeights, rowOffset: Int) -> Bitmap {
        let channels = format.channels
        let outHeight = weights.outputSize
        let rowLength = width * channels
        var result = Bitmap(width: width, height: outHeight, format: format)
        let half = Int32(1) << Int32(ResamplingWeights.precisionBits - 1)
        samples.withUnsafeBufferPointer { source in
            result.samples.withUnsafeMutableBufferPointer { target in
                weights.withUnsafeBuffers { k, firsts, counts in
                    guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                    for y in 0..<outHeight {
                        let first = firsts[y] - rowOffset, count = counts[y]
                        let w = k + y * weights.taps
                        let top = src + first * rowLength
                        let outLine = dst + y * rowLength
                        // Sample by sample along the row: the inner loop walks down one column.
                        for i in 0..<rowLength {
                            var sum = half
                            var p = top + i
                            for t in 0..<count {
                                sum &+= Int32(p.pointee) &* w[t]
                                p += rowLength
                            }
                            outLine[i] = Self.clamped(sum)
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    private static func clamped(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> Int32(ResamplingWeights.precisionBits))
    }
}
