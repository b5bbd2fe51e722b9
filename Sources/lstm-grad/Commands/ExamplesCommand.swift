import LSTMGrad

/// `lstm-grad examples [NAME]`: lists the built-in examples, or prints one's spec.
enum ExamplesCommand: Command {
    static let name = "examples"
    static let abstract = "list the built-in example specs, or print one"
    static let usage = "lstm-grad examples [NAME]"
    static let options: [OptionSpec] = []
    static let discussion: [SpecReference.Block] = [
        .text("The built-in examples are specs from the project's test fixtures, embedded in the binary byte for byte: the published example, one spec for each of the other homework sheets, one per framework layout, and the RNN and GRU specs of the gradient analysis. Save one with 'lstm-grad examples NAME > my.json' to edit it; every command that reads a spec also takes --example NAME."),
    ]
    static let examples = [
        "lstm-grad examples",
        "lstm-grad examples gomez > gomez.json",
        "lstm-grad run --example gomez",
    ]
    static var argumentCompletion: ArgumentCompletion { .words(BuiltInExample.all.map(\.name)) }

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        switch args.positionals.count {
        case 0:
            let width = BuiltInExample.all.map { $0.name.count }.max() ?? 0
            for e in BuiltInExample.all {
                out.write(e.name.padding(width + 2))
                out.write(e.summary)
                out.newline()
            }
        case 1:
            out.write(try CLI.example(args.positionals[0], command: name).text)
        default:
            throw .usage("expected at most one example name, found \(args.positionals.count) arguments", command: name)
        }
        return 0
    }
}
