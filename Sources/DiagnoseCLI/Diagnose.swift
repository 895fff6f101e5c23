import ArgumentParser

/// `diagnose`: shows what the layers of a frozen network have learned to ignore.
@main
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose what the layers of a frozen network are invariant to.",
        discussion: """
            Environment: DIAGNOSE_HOME is the folder probes/ and Fixtures/weights/ are read from (default: the \
            nearest folder above the executable or the working directory that holds probes/); FASHION_MNIST_DIR \
            is the Fashion-MNIST folder (default: the Debian package's); OPENBLAS_CORETYPE, if set, keeps \
            OpenBLAS on that kernel family; OMP_WAIT_POLICY (default PASSIVE) is how oneDNN's OpenMP threads wait.
            """,
        subcommands: [DiagnoseRunCommand.self, LayersCommand.self, FeaturesCommand.self, CompareCommand.self, PlanCommand.self, TaskCommand.self,
                      StatusCommand.self, SubmitCommand.self, AssembleCommand.self, TrainCommand.self, BenchCommand.self,
                      ScenesCommand.self],
        defaultSubcommand: DiagnoseRunCommand.self)

    /// Shadows ParsableCommand's entry point: sets what OpenBLAS and OpenMP read when they load
    /// (which may re-execute the process) before anything else runs, then parses and runs as usual.
    static func main() {
        EarlyEnvironment.reexecIfNeeded()
        main(nil)
    }
}
