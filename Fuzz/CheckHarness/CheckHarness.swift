import LSTMGrad

/// libFuzzer harness for the answers path (`lstm-grad check`, `make fuzz-inprocess`): the bytes
/// are an answers file, graded against the reports of four built-in examples (an LSTM without a
/// head, an LSTM with a sigmoid head and BCE, an RNN, a GRU with softmax and cross-entropy), by
/// the written digits, with --tol and with --rounded. A rejection must carry a message; a trap,
/// an AddressSanitizer report, a case over 1 s or over the memory limit is a finding.
struct Graded: Sendable {
    var spec: Spec
    var report: Report
}

let examples: [Graded] = ["gomez", "keras-layout", "seed004-rnn", "gru-znew"].map { name in
    guard let e = BuiltInExample.named(name),
          let spec = try? SpecDecoder.decode(SourceText(name: e.sourceName, bytes: Array(e.text.utf8))),
          let report = try? spec.report(work: true) else { fatalError("the built-in example \(name) does not run") }
    return Graded(spec: spec, report: report)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheck(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for g in examples {
        let answers: [Answer]
        do {
            answers = try AnswerSheet.decode(SourceText(name: "answers.json", bytes: bytes), report: g.report, notation: g.spec.notation)
        } catch {
            guard !error.diagnostics.isEmpty else { fatalError("answers rejected without a diagnostic") }
            for d in error.diagnostics where d.error.message.isEmpty || d.description.contains("internal error") {
                fatalError("a rejection without a proper message: \(d)")
            }
            continue
        }
        var out = OutputBuffer()
        AnswerCheck(answers: answers, report: g.report).render(into: &out)
        AnswerCheck(answers: answers, report: g.report, tolerance: 1e-4).render(into: &out, color: true)
        AnswerCheck(answers: answers, report: g.report, rounded: 3).render(into: &out)
    }
    return 0
}
