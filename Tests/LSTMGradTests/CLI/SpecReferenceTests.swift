@testable import LSTMGrad
import Testing

/// `lstm-grad help spec` and its topics (from `SpecReference`): they cover everything the
/// decoder accepts, and every example in them is a spec that runs, passes the gradient check
/// and prints what its caption promises.
@Suite struct SpecReferenceTests {
    static let examples = SpecReference.examples

    @Test(arguments: examples.map(\.caption))
    func exampleRunsAndShowsWhatItSays(_ caption: String) throws {
        let example = try #require(Self.examples.first { $0.caption == caption })
        let run = try CLIRunner.run(["run", "-"], stdin: example.json)
        #expect(run.status == 0, "\(caption): \(run.stderr)")
        #expect(run.stderr.isEmpty, "\(caption): \(run.stderr)")
        #expect(run.stdout.contains(example.shows), "\(caption): the output lacks '\(example.shows)'")
        let check = try CLIRunner.run(["gradcheck", "-"], stdin: example.json)
        #expect(check.status == 0, "\(caption): \(check.stdout)\(check.stderr)")
    }

    /// The captions name the examples in the tests above, so they must differ.
    @Test func captionsAreDistinct() {
        #expect(Set(Self.examples.map(\.caption)).count == Self.examples.count)
        #expect(Self.examples.count >= 15)
    }

    func text(_ section: SpecReference.Section) -> String {
        section.blocks.map { block -> String in
            switch block {
            case .text(let s): return s
            case .lines(let l): return l.joined(separator: "\n")
            case .fields(let f): return f.map { $0.name + " " + $0.meaning }.joined(separator: "\n")
            case .example(let e): return e.json
            }
        }.joined(separator: "\n")
    }

    func names(_ section: SpecReference.Section) -> [String] {
        section.blocks.flatMap { block -> [String] in
            if case .fields(let f) = block { return f.map(\.name) } else { return [] }
        }
    }

    /// Every key, model, layout, head, loss, notation, activation and convention the decoder
    /// knows is described, and has an example that uses it.
    @Test func coversEverythingTheDecoderAccepts() throws {
        #expect(names(SpecReference.topLevel).sorted() == SpecDecoder.topLevelKeys.sorted())
        #expect(SpecReference.models.map(\.name) == SpecDecoder.models)
        for entry in SpecReference.models {
            let uses = entry.section.examples.filter { $0.json.contains("\"model\": \"\(entry.name)\"") }
            #expect(!uses.isEmpty, "model \(entry.name) has no example")
        }
        let rnn = text(SpecReference.rnn.section)
        for a in RNNModel.rnnActivations { #expect(rnn.contains("\"\(a)\""), "rnn: activation \(a)") }
        let gru = text(SpecReference.gru.section)
        for c in GRUConvention.allCases {
            #expect(gru.contains("\"\(c.rawValue)\""), "gru: convention \(c)")
            let used = SpecReference.gru.section.examples.contains { $0.json.contains("\"convention\": \"\(c.rawValue)\"") }
                || (c == .pytorch && SpecReference.gru.section.examples.contains { !$0.json.contains("\"convention\"") })
            #expect(used, "gru: no example in the \(c) convention")
        }
        for key in GRUModel.gruStateDictKeys + GRUModel.gruPerGateKeys { #expect(gru.contains(key), "gru: \(key)") }
        // Layouts: one entry each, an example for each but the per-gate one (the lstm example).
        let lstmLayouts = try #require(SpecTemplate.models.first { $0.name == "lstm" }).layouts
        #expect(names(SpecReference.layouts) == lstmLayouts)
        #expect(SpecReference.layouts.examples.count == lstmLayouts.count - 1)
        #expect(lstmLayouts.contains("peephole"))
        for (name, _) in LSTMLayouts.keyFamilies { #expect(text(SpecReference.layouts).contains("\"\(name)\""), "layouts: key \(name)") }
        #expect(names(SpecReference.heads) == HeadKind.allCases.map(\.rawValue))
        for head in HeadKind.allCases where head != .none {
            #expect(SpecReference.heads.examples.contains { $0.json.contains("\"type\": \"\(head.rawValue)\"") }, "head \(head)")
        }
        #expect(names(SpecReference.losses) == SpecTemplate.losses)
        let losses = text(SpecReference.losses) + text(SpecReference.heads)
        for loss in SpecDecoder.lossNames { #expect(losses.contains("\"\(loss)\""), "loss \(loss)") }
        for loss in SpecTemplate.losses where loss != "l2" {
            #expect(losses.contains("\"loss\": \"\(loss)\"") || losses.contains("\"type\": \"\(loss)\""), "no example of the \(loss) loss")
        }
        for key in ["\"half\"", "\"reduction\""] { #expect(text(SpecReference.losses).contains(key)) }
        // Every optimizer has an example; every argument of every optimizer is described.
        let training = text(SpecReference.training)
        for kind in Optimizer.Kind.allCases {
            #expect(SpecReference.training.examples.contains { $0.json.contains("\"type\": \"\(kind.rawValue)\"") }, "optimizer \(kind)")
            for key in kind.arguments { #expect(training.contains("\"\(key)\""), "optimizer argument \(key)") }
        }
        for key in ["\"max_norm\"", "\"norm_type\"", "\"value\"", "\"frozen\"", "\"state\"", "\"step\""] + OptimizerState.Buffer.allCases.map(\.rawValue) {
            #expect(training.contains(key), "training: \(key)")
        }
        #expect(names(SpecReference.notations) == Notation.builtIn.map(\.name))
        for n in Notation.builtIn where n.name != "published" {
            #expect(SpecReference.notations.examples.contains { $0.json.contains("\"notation\": \"\(n.name)\"") }, "notation \(n.name)")
        }
    }

    /// The layout examples are one network written six ways: the same loss and gradient (the
    /// peephole example is another cell).
    @Test func layoutExamplesAreTheSameNetwork() throws {
        let specs = [SpecReference.lstm.section.examples[0]] + SpecReference.layouts.examples.filter { !$0.json.contains("peepholes") }
        var losses: Set<String> = []
        for e in specs {
            let r = try CLIRunner.run(["run", "-", "--format", "csv"], stdin: e.json)
            #expect(r.status == 0)
            let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("loss,,") || $0.hasPrefix("dU.f,,") }
            #expect(rows.count == 2, "\(e.caption)")
            losses.insert(rows.joined(separator: " "))
        }
        #expect(losses.count == 1, "\(losses)")
    }

    /// `help spec` prints every part with every example; each part is its own topic; the
    /// models answer to their names (`help rnn` used to suggest 'run').
    @Test func helpPrintsEveryPartAndTopic() throws {
        let all = try CLIRunner.run(["help", "spec"])
        #expect(all.status == 0)
        #expect(all.stdout.hasPrefix("lstm-grad help spec: "))
        for section in SpecReference.sections {
            let topic = try CLIRunner.run(["help", section.topic])
            #expect(topic.status == 0, "help \(section.topic): \(topic.stderr)")
            #expect(topic.stdout.hasPrefix("lstm-grad help \(section.topic): \(section.summary)"))
            for e in section.examples {
                let indented = e.json.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
                #expect(all.stdout.contains(indented), "help spec lacks the example '\(e.caption)'")
                #expect(topic.stdout.contains(indented), "help \(section.topic) lacks the example '\(e.caption)'")
            }
        }
        let rnn = try CLIRunner.run(["help", "rnn"]).stdout
        #expect(rnn.contains("W is the recurrent H×H matrix and U the H×X input matrix"))
        #expect(try CLIRunner.run(["help", "gru"]).stdout.contains("\"z_new\""))
        #expect(try CLIRunner.run(["help", "layouts"]).stdout.contains("keras"))
        #expect(try CLIRunner.run(["help", "check"]).stdout.contains("carried forward"))
    }

    /// A spec without "activation" and `init --model rnn` agree on the activation (sigmoid).
    @Test func rnnDefaultActivationIsTheSameEverywhere() throws {
        let written = try CLIRunner.run(["init", "--model", "rnn", "--seed", "1"])
        #expect(written.stdout.contains("\"activation\": \"sigmoid\""))
        let bare = try CLIRunner.run(["run", "-"], stdin: #"{"model": "rnn", "weights": {"W": 0.5, "U": 1}, "inputs": [1], "labels": [0]}"#)
        #expect(bare.stdout.contains("RNN h_t = sigmoid("))
    }
}
