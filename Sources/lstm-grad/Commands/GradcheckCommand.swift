import LSTMGrad

/// `lstm-grad gradcheck spec.json`: analytic gradients against central finite differences.
enum GradcheckCommand: Command {
    static let name = "gradcheck"
    static let abstract = "compare every analytic gradient with central finite differences"
    static let usage = "lstm-grad gradcheck SPEC.json [--tol X] [--sample N]"
    static let options = [
        OptionSpec(name: "tol", value: "X", help: "largest accepted |a − n| / max(1, |a|, |n|) (default 1e-6)"),
        OptionSpec(name: "sample", value: "N", help: "check N random entries per block (fixed seed) instead of all, and the inputs of N random timesteps besides the first and the last"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        CLI.exampleOption,
    ]
    static let discussion: [SpecReference.Block] = [
        .text("Central finite differences of the total loss, (−L(θ + 2h) + 8L(θ + h) − 8L(θ − h) + L(θ − 2h)) / 12h with h = 10⁻³, for every parameter block of the cell and the head, the initial state and every input. One line per block: the entries checked, the largest |a − n| and the largest relative difference |a − n| / max(1, |a|, |n|); a block fails when that exceeds --tol, and the exit status is then 1."),
    ]
    static let examples = [
        "lstm-grad gradcheck --example gomez",
        "lstm-grad gradcheck big.json --sample 20 --tol 1e-5",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        guard args.value("example") != nil || args.positionals.count == 1 else {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or '-' for stdin)"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        var tolerance = 1e-6
        if let s = args.value("tol") {
            guard let v = Double(s), v.isFinite, v >= 0 else {
                throw .usage("--tol expects a non-negative number, found '\(s)'", command: name)
            }
            tolerance = v
        }
        let sample = args.has("sample") ? try args.integer("sample", default: 1, range: 1...1_000_000, command: name) : nil
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let spec = try CLI.loadSpec(args, command: name, maxBytes: maxBytes)
        do {
            _ = try spec.report()  // names the first non-finite value, if any
        } catch {
            throw .numeric(file: spec.file, error)
        }
        let check = spec.gradientCheck(tolerance: tolerance, sample: sample)
        check.render(into: &out)
        return check.passed ? 0 : 1
    }
}
