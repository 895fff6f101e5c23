import ArgumentParser

/// `diagnose`: shows what the layers of a frozen network have learned to ignore.
@main
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose what the layers of a frozen network are invariant to.",
        subcommands: [DiagnoseRunCommand.self, LayersCommand.self, TrainCommand.self, BenchCommand.self, ScenesCommand.self],
        defaultSubcommand: DiagnoseRunCommand.self)

    /// Shadows ParsableCommand's entry point: picks OpenBLAS's kernels (which may re-execute the
    /// process) before anything else runs, then parses and runs as usual.
    static func main() {
        OpenBLASCoreType.reexecIfNeeded()
        main(nil)
    }
}
