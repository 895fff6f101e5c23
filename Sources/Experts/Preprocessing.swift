/// How scene images (RGB, values 0…1, 32×32) become an imported network's input: resized
/// bilinearly to its size, mapped to its value range, put in its channel order, then normalised
/// per channel. Read from and written to the model's probe file, for the user to edit.
public struct Preprocessing: Codable, Equatable {
    public enum ChannelOrder: String, Codable { case rgb = "RGB", bgr = "BGR", gray = "gray" }

    /// Per channel, in the network's channel order, subtracted after the value range is applied.
    public var mean: [Float]
    public var std: [Float]
    public var channelOrder: ChannelOrder
    /// Scene pixels 0…1 are mapped linearly onto [low, high] ([0, 1] or [0, 255] in practice).
    public var valueRange: [Float]

    enum CodingKeys: String, CodingKey { case mean, std, channelOrder = "channel_order", valueRange = "value_range" }

    /// torchvision's ImageNet convention, the default for an imported model with 3 channels.
    public static func imageNet(channels: Int) -> Preprocessing {
        channels == 3 ? Preprocessing(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: .rgb, valueRange: [0, 1])
            : Preprocessing(mean: Array(repeating: 0.5, count: channels), std: Array(repeating: 0.5, count: channels),
                            channelOrder: .gray, valueRange: [0, 1])
    }

    /// The reasons this cannot feed a network with `channels` input channels, or nil.
    public func problem(channels: Int) -> String? {
        if mean.count != channels || std.count != channels { return "mean and std need \(channels) values each (the model's input channels)" }
        if std.contains(where: { !($0 > 0) || !$0.isFinite }) || mean.contains(where: { !$0.isFinite }) { return "std must be positive and mean finite" }
        if valueRange.count != 2 || !(valueRange[0] < valueRange[1]) { return "value_range must be [low, high] with low < high" }
        if (channelOrder == .gray) != (channels == 1) { return "channel_order \(channelOrder.rawValue) does not fit \(channels) input channels" }
        return nil
    }
}
