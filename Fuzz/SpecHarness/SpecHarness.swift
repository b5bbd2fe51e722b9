import LSTMGrad

/// libFuzzer harness for the spec → report path (`make fuzz-inprocess`): the bytes are a spec
/// file. It is decoded; a rejection must carry a message. An accepted spec goes through every
/// stage `run` and `gradcheck` use: the report with the work, each renderer, the summary, the
/// truncated gradient, two SGD steps, a sampled gradient check and the updated spec. A trap
/// anywhere, an AddressSanitizer report, a case over 1 s or over the memory limit is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let spec: Spec
    do {
        spec = try SpecDecoder.decode(SourceText(name: "case.json", bytes: bytes))
    } catch {
        guard !error.diagnostics.isEmpty else { fatalError("a spec was rejected without a diagnostic") }
        for d in error.diagnostics where d.error.message.isEmpty || d.description.contains("internal error") {
            fatalError("a rejection without a proper message: \(d)")
        }
        return 0
    }
    // As `run` does: a spec whose pass would not fit is refused, not run.
    guard spec.visit(MemoryEstimate(report: true)) <= Double(MemoryEstimate.defaultLimit) else { return 0 }
    var out = OutputBuffer()
    do {
        let report = try spec.report(work: true)
        TextRenderer(decimals: 5).render(report, into: &out)
        TextRenderer(decimals: 3, color: true, width: 40).render(report, into: &out)
        JSONRenderer().render(report, model: spec.modelName, notation: spec.notation.name, into: &out)
        CSVRenderer().render(report, into: &out)
        WorkRenderer(format: .text, decimals: 5).render(report, into: &out)
        WorkRenderer(format: .markdown, decimals: 5).render(report, title: "case", into: &out)
        WorkRenderer(format: .latex, decimals: 5).render(report, title: "case", into: &out)
        out.bytes.removeAll(keepingCapacity: true)
        let summary = try spec.summary()
        summary.render(into: &out)
        summary.renderJSON(into: &out)
        _ = try spec.report(options: BackwardOptions(recurrentTerms: false))
        _ = try spec.trainingReport(steps: 2, lastReport: true)
        spec.gradientCheck(sample: 2).render(into: &out)
        _ = report.finalParameters.flatMap { UpdatedSpec.json(spec, parameters: $0) }
    } catch {
        // A computation that overflowed names its first non-finite quantity.
        guard !error.description.isEmpty else { fatalError("a numeric error without a message") }
    }
    return 0
}
