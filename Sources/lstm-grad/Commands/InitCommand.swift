import LSTMGrad

/// `lstm-grad init`: writes a ready-to-edit spec that runs as is.
enum InitCommand: Command {
    static let name = "init"
    static let abstract = "write a ready-to-edit spec (weights, head, loss, placeholder inputs and labels)"
    static let usage = "lstm-grad init [--model M] [--input X --hidden H --steps T] [--head KIND] [--loss LOSS] [--seed N] [-o FILE]"
    static let options = [
        OptionSpec(name: "model", value: "MODEL", help: "the cell: \(SpecTemplate.models.map(\.name).joined(separator: ", ")) (default lstm)",
                   choices: SpecTemplate.models.map(\.name)),
        OptionSpec(name: "layout", value: "LAYOUT",
                   help: "how the weights are written: " + SpecTemplate.models.map { "\($0.name): \($0.layouts.joined(separator: ", "))" }.joined(separator: "; ")
                       + " (default: the first)",
                   choices: Array(Set(SpecTemplate.models.flatMap(\.layouts))).sorted()),
        OptionSpec(name: "activation", value: "ACT", help: "the RNN's activation: sigmoid (default, as a spec without \"activation\"), tanh or relu (same as --layout for --model rnn)",
                   choices: ["sigmoid", "tanh", "relu"]),
        OptionSpec(name: "input", value: "X", help: "input size X (default 2)"),
        OptionSpec(name: "hidden", value: "H", help: "hidden size H (default 2)"),
        OptionSpec(name: "steps", value: "T", help: "timesteps T (default 3)"),
        OptionSpec(name: "head", value: "KIND", help: "output head on out_t: none (default), linear, sigmoid or softmax",
                   choices: HeadKind.allCases.map(\.rawValue)),
        OptionSpec(name: "outputs", value: "K", help: "the head's outputs K (default 1; 3 for softmax)"),
        OptionSpec(name: "loss", value: "LOSS", help: "l2, ce (softmax head), bce (sigmoid head), upstream, or PyTorch's mse, l1, huber, smooth_l1, bce_with_logits (linear head) (default: ce for softmax, bce for sigmoid, else l2)",
                   choices: SpecTemplate.losses),
        OptionSpec(name: "seed", value: "N", help: "weights from U(-0.1, 0.1) by SplitMix64(N), 4 decimals; inputs/labels random too (default: all zero)"),
        OptionSpec(name: "learning-rate", value: "λ", help: "the SGD step size (default 0.1)"),
        OptionSpec(name: "output", value: "FILE", help: "write the spec to FILE instead of stdout (refuses to overwrite without --force)", short: "o"),
        CLI.forceOption("with -o: replace FILE if it exists"),
        OptionSpec(name: "max-input", value: "BYTES",
                   help: "refuse to write a spec larger than this (default 64 MiB, the largest spec run, check, gradcheck and analyze read without --max-input)"),
    ]
    static let discussion: [SpecReference.Block] = [
        .text("The spec holds the weights of the chosen model in the chosen layout, an optional head, a loss, and placeholder inputs and labels of the right shapes; it runs as is. Weights are zero, or with --seed drawn from U(−0.1, 0.1) by SplitMix64 seeded with N and rounded to 4 decimals (the same seed writes the same network in every layout); the placeholder inputs are then drawn from U(−1, 1) and the labels fit the loss (U(−1, 1) for l2, upstream and the regression losses, 0 or 1 for bce and bce_with_logits, a class index for ce). Without a seed every placeholder is 0."),
    ]
    static let examples = [
        "lstm-grad init > my.json && lstm-grad run my.json",
        "lstm-grad init --input 3 --hidden 2 --steps 4 --seed 1 -o new.json",
        "lstm-grad init --layout pytorch --head softmax --outputs 3 --seed 7 | lstm-grad run -",
    ]
    static let argumentCompletion = ArgumentCompletion.none

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        guard args.positionals.isEmpty else {
            throw .usage("init takes no file argument; write to a file with -o FILE", command: name)
        }
        let model = try args.choice("model", default: "lstm", among: SpecTemplate.models.map(\.name), command: name)
        let X = try args.integer("input", default: 2, range: 1...4096, command: name)
        let H = try args.integer("hidden", default: 2, range: 1...4096, command: name)
        let T = try args.integer("steps", default: 3, range: 1...100_000, command: name)
        let headName = try args.choice("head", default: "none", among: HeadKind.allCases.map(\.rawValue), command: name)
        let head = HeadKind(rawValue: headName) ?? .none
        let K = try args.integer("outputs", default: head == .softmax ? 3 : 1, range: 1...4096, command: name)
        let loss = try args.choice("loss", default: SpecTemplate.defaultLoss(for: head), among: SpecTemplate.losses, command: name)
        let seed = args.value("seed") == nil ? nil : UInt64(try args.integer("seed", default: 0, range: 0...Int.max, command: name))
        var rate = 0.1
        if let s = args.value("learning-rate") {
            guard let v = Double(s), v.isFinite, v > 0 else {
                throw .usage("--learning-rate expects a positive number, found '\(s)'", command: name)
            }
            rate = v
        }
        var layout: String?
        if let a = args.value("activation") {
            guard model == "rnn" else { throw .usage("--activation is for --model rnn", command: name) }
            layout = try args.choice("activation", default: a, among: ["sigmoid", "tanh", "relu"], command: name)
        }
        if let l = args.value("layout") {
            let layouts = SpecTemplate.models.first { $0.name == model }?.layouts ?? []
            layout = try args.choice("layout", default: l, among: layouts, command: name)
        }
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let path = args.value("output")
        if args.has("force") && path == nil { throw .usage("--force goes with -o FILE", command: name) }
        // Refused before any work: an existing file without --force, a missing directory.
        if let path { try CLI.checkOutput(path, force: args.has("force"), command: name) }
        let template = SpecTemplate(model: model, layout: layout, inputSize: X, hiddenSize: H, steps: T, head: head,
                                    outputs: K, loss: loss, seed: seed, learningRate: rate)
        // A spec the readers would refuse is refused here, before its numbers are drawn: at
        // least 3 bytes a number, then the exact size once written.
        if template.minimumBytes > maxBytes {
            throw .usage("the spec would hold \(template.numberCount) numbers, at least \(template.minimumBytes) bytes: "
                         + tooLarge(maxBytes), command: name)
        }
        let text: String
        do {
            text = try template.render()
        } catch {
            throw .usage(error.message, command: name)
        }
        if text.utf8.count > maxBytes {
            throw .usage("the spec would be \(text.utf8.count) bytes: " + tooLarge(maxBytes), command: name)
        }
        guard let path else {
            out.write(text)
            return 0
        }
        try CLI.writeOutput(path, text, force: args.has("force"), command: name)
        writeStandardError("wrote \(path); run it with 'lstm-grad run \(path)'\n")
        return 0
    }

    static func tooLarge(_ limit: Int) -> String {
        "over the limit of \(limit) bytes that run, check, gradcheck and analyze read "
            + (limit == InputFile.defaultMaxBytes ? "by default" : "with --max-input \(limit)")
            + "; use smaller sizes, or raise the limit with --max-input BYTES (here and when reading the spec)"
    }
}
