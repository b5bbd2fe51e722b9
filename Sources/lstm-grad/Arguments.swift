import LSTMGrad

/// An option a command accepts: `--name VALUE` or a `--flag`.
struct OptionSpec: Sendable {
    var name: String
    var value: String?  // the placeholder, nil for a flag
    var help: String
    /// The values it accepts, when a fixed set (for completions).
    var choices: [String] = []
    /// A one-letter alias (`o` for `-o`).
    var short: String? = nil
}

/// Parsed command-line arguments: options by name, and positionals in order.
struct ParsedArguments {
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { options[name] }
    func has(_ name: String) -> Bool { flags.contains(name) || options[name] != nil }

    /// Parses against the allowed options; `--name=value` and `--name value` both work.
    static func parse(_ args: [String], allowed: [OptionSpec], command: String) throws(CLIError) -> ParsedArguments {
        var out = ParsedArguments()
        var k = 0
        var onlyPositionals = false
        while k < args.count {
            let arg = args[k]
            k += 1
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                out.positionals.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositionals = true
                continue
            }
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            guard let spec = allowed.first(where: { "--" + $0.name == name || $0.short.map { "-" + $0 } == name }) else {
                let near = suggestion(for: name, among: allowed.map { "--" + $0.name })
                throw .usage("unknown option '\(name)' for '\(command)'" + (near.map { "; did you mean '\($0)'?" } ?? ""), command: command)
            }
            if spec.value == nil {
                if inline != nil { throw .usage("option '\(name)' takes no value", command: command) }
                out.flags.insert(spec.name)
            } else {
                if let v = inline {
                    out.options[spec.name] = v
                } else {
                    guard k < args.count else { throw .usage("option '\(name)' needs a value (\(spec.value!))", command: command) }
                    out.options[spec.name] = args[k]
                    k += 1
                }
            }
        }
        return out
    }

    /// An integer option within a range.
    func integer(_ name: String, default d: Int, range: ClosedRange<Int>, command: String) throws(CLIError) -> Int {
        guard let s = options[name] else { return d }
        guard let v = Int(s), range.contains(v) else {
            throw .usage("--\(name) expects a whole number from \(range.lowerBound) to \(range.upperBound), found '\(s)'", command: command)
        }
        return v
    }

    /// One of a fixed set of values.
    func choice(_ name: String, default d: String, among choices: [String], command: String) throws(CLIError) -> String {
        guard let s = options[name] else { return d }
        guard choices.contains(s) else {
            let near = suggestion(for: s, among: choices)
            throw .usage("--\(name) expects one of \(choices.joined(separator: ", ")), found '\(s)'" + (near.map { "; did you mean '\($0)'?" } ?? ""), command: command)
        }
        return s
    }
}

/// Every way a command can fail; `CLI.exitCode` maps them to exit codes in one place.
enum CLIError: Error {
    /// Bad command line: exit 2, with a hint to --help.
    case usage(String, command: String?)
    /// A spec or answers file that is wrong: exit 2.
    case input(SpecErrors)
    /// A file that cannot be read: exit 2.
    case file(InputFile.Failure)
    /// A computation that became non-finite: exit 2.
    case numeric(file: String, NumericError)
    /// Stdout or a file could not be written: exit 3 (141, and no message, for a broken pipe).
    case output(OutputFailure)
}
