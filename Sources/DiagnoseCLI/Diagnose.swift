import ArgumentParser

/// `diagnose`: shows what the layers of a frozen network have learned to ignore.
@main
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose what the layers of a frozen network are invariant to.",
        subcommands: [ScenesCommand.self])
}
