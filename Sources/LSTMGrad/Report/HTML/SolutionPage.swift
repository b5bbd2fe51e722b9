/// `run --format html`: the solution as one self-contained page. The unrolled network drawn
/// (`UnrolledDrawing`), the gradient flow ‖δstate_t‖ over t, the given values, then the key
/// section by section as the text report orders it, each equation in MathML as symbols, then
/// numbers, then the result, its operands linking to where they were computed or given. Only
/// formats the report: every value and equation comes with it (build it with the work).
public struct SolutionPage: Sendable {
    public var decimals: Int

    public init(decimals: Int = 5) { self.decimals = decimals }

    public func render(_ report: Report, title: String, into out: inout OutputBuffer) {
        let math = MathML(decimals: decimals, notation: report.notation)
        var navigation: [(String, String)] = []
        if report.unrolled != nil { navigation.append(("network", "Network")) }
        if !(report.unrolled?.flows.isEmpty ?? true) { navigation.append(("flow", "Gradient flow")) }
        let given = givenValues(report)
        if !given.isEmpty { navigation.append(("given", "Given")) }
        if !intermediateValues(report).isEmpty { navigation.append(("intermediate", "Also computed")) }
        for (k, s) in report.sections.enumerated() { navigation.append((sectionID(k), s.title)) }
        HTMLPage.open(title: title, header: report.header + [WorkRenderer(format: .text, decimals: decimals).precisionNote],
                      navigation: navigation, into: &out)
        if let network = report.unrolled, report.values != nil {
            out.write("<section id=\"network\">\n<h2>The unrolled network</h2>\n")
            if let caption = network.caption { out.write("<p class=\"caption\">" + HTMLText.escape(caption) + "</p>\n") }
            let reverse = network.hasReverse ? " (from t+1 to t in a reverse band, whose initial state enters right of the last step)" : ""
            out.write("<p class=\"hint\">A column per timestep; each box is a value of the forward pass. Hover over a box or reach it with Tab to see its gradient; select it to go to its equation. Dashed blue arrows carry the state from t−1 to t\(reverse).</p>\n")
            out.write("<p class=\"no-print\"><button type=\"button\" id=\"show-gradients\" aria-pressed=\"false\" hidden=\"hidden\">Show every gradient</button></p>\n")
            out.write("<div class=\"drawing\">\n")
            UnrolledDrawing(network: network, report: report, math: math).write(into: &out)
            out.write("</div>\n<ul class=\"legend\"><li>solid grey arrow: read at the same t</li><li>dashed blue arrow: from t−1\(network.hasReverse ? " (t+1 in a reverse band)" : "")</li><li>thick border: carried to the next step</li><li>grey dashed box: given</li></ul>\n</section>\n")
            if !network.flows.isEmpty {
                writeFlow(network, report: report, into: &out)
            }
        }
        if !given.isEmpty {
            out.write("<section id=\"given\" class=\"key-section\">\n<h2>Given</h2>\n")
            for name in given { writeEntry(name: name, label: report.notation.label(name), value: report.values!.value(name), equation: nil, note: nil, report: report, math: math, into: &out) }
            out.write("</section>\n")
        }
        let intermediate = intermediateValues(report)
        if !intermediate.isEmpty {
            out.write("<section id=\"intermediate\" class=\"key-section\">\n<h2>Also computed</h2>\n")
            out.write("<p class=\"hint\">Values the equations below read that the text report does not print.</p>\n")
            for e in intermediate {
                writeEntry(name: e.name, label: report.notation.label(e.name), value: report.values!.value(e.name), equation: e, note: nil,
                           report: report, math: math, into: &out)
            }
            out.write("</section>\n")
        }
        let work = WorkRenderer(format: .text, decimals: decimals)
        var written = Set<QuantityName>()
        for (k, section) in report.sections.enumerated() {
            out.write("<section id=\"\(sectionID(k))\" class=\"key-section\">\n<h2>" + HTMLText.escape(section.title) + "</h2>\n")
            for q in section.quantities {
                // A value printed twice (Δout_t ends one step and starts the next) has one anchor.
                let first = written.insert(q.name).inserted
                writeEntry(name: q.name, label: q.label, value: q.value, equation: q.equation, note: work.note(q), report: report, math: math,
                           anchor: first, into: &out)
            }
            out.write("</section>\n")
        }
        if !report.notes.isEmpty {
            out.write("<section id=\"notes\"><h2>Notes</h2>\n")
            for n in report.notes { out.write("<p>" + HTMLText.escape(n) + "</p>\n") }
            out.write("</section>\n")
        }
        HTMLPage.close(into: &out)
    }

    public func render(_ report: Report, title: String) -> String {
        var b = OutputBuffer()
        render(report, title: title, into: &b)
        return b.text
    }

    func sectionID(_ k: Int) -> String { "section-\(k)" }

    /// The operands no equation computes and the report does not print (parameters, inputs,
    /// labels, the initial state, λ), in the order the equations first read them.
    func givenValues(_ report: Report) -> [QuantityName] {
        guard let values = report.values else { return [] }
        let computed = Set(report.equations.map(\.name)).union(report.sections.flatMap { $0.quantities.map(\.name) })
        var seen = Set<QuantityName>()
        var out: [QuantityName] = []
        for e in report.equations {
            for name in e.rhs.operands where !computed.contains(name) && values[name] != nil && seen.insert(name).inserted {
                out.append(name)
            }
        }
        return out
    }

    /// The equations of values that printed equations read but the report does not print (the
    /// stacked δgates_t of a notation that writes the gates one by one), in evaluation order.
    func intermediateValues(_ report: Report) -> [Equation] {
        let printed = Set(report.sections.flatMap { $0.quantities.map(\.name) })
        var read = Set<QuantityName>()
        for s in report.sections {
            for q in s.quantities { read.formUnion(q.equation?.rhs.operands ?? []) }
        }
        var seen = Set<QuantityName>()
        return report.equations.filter { read.contains($0.name) && !printed.contains($0.name) && seen.insert($0.name).inserted }
    }

    /// ‖δstate_t‖ (or ‖δh_t‖) over t, log scale: a line per band (layer and direction).
    /// `id` and `heading`: the section's (`analyze` writes one per sequence of a batch).
    func writeFlow(_ network: UnrolledNetwork, report: Report, id: String = "flow", heading: String = "Gradient flow", into out: inout OutputBuffer) {
        let bands = network.flows
        guard let first = bands.first?.flow.first?.name else { return }
        let symbol = report.notation.label(first.at(nil).placed(layer: nil, reverse: false, sequence: nil))
        let several = bands.count > 1
        out.write("<section id=\"\(id)\">\n<h2>" + HTMLText.escape(heading) + "</h2>\n")
        out.write("<p class=\"hint\">How large the gradient of the carried state is at each step, from the last step back to the initial state: a line falling to the left means the gradient vanishes as it goes back in time, one rising means it explodes.")
        if let caption = network.caption { out.write(" " + HTMLText.escape(caption) + ".") }
        let T = network.steps
        // Where the initial states' δ stand, when the report has them: −1, and T for a reverse band.
        let initials = bands.flatMap { band in band.flow.filter { $0.t == (band.reverse ? T : -1) }.map(\.t) }
        if network.hasReverse {
            out.write(" A reverse band runs the other way: its gradient goes back from t = \(T - 1) to t = 0" + (initials.contains(T) ? ", then to its initial state, drawn at t = \(T)." : "."))
        }
        out.write("</p>\n")
        let series = bands.enumerated().map { k, band in
            GradientPlot.Series(id: several ? "\(id)-\(k)" : id, label: "‖\(symbol)_t‖" + (several ? " " + band.title : ""), color: GradientPlot.palette[k % GradientPlot.palette.count],
                                points: band.flow.map { ($0.t, $0.norm > 0 ? log10($0.norm) : -.infinity) })
        }
        let ts = bands.flatMap { $0.flow.map(\.t) }
        let lo = ts.min() ?? 0, hi = ts.max() ?? 0
        let axis = initials.contains(T) ? "t (timestep; \(initials.contains(-1) ? "−1 and " : "")\(T) \(initials.contains(-1) ? "are the initial states" : "is the reverse initial state"))"
            : initials.contains(-1) ? "t (timestep; −1 is the initial state)" : "t (timestep)"
        out.write("<div class=\"plot\">\n")
        out.write(GradientPlot.svg(series, xs: lo...hi, title: "‖\(symbol)_t‖ at each timestep t", xLabel: axis))
        out.write("</div>\n<table class=\"answers flow\"><thead><tr><th>t</th>")
        for band in bands { out.write("<th>‖" + HTMLText.escape(symbol) + "_t‖" + (several ? " " + HTMLText.escape(band.title) : "") + "</th>") }
        out.write("</tr></thead><tbody>\n")
        let work = WorkRenderer(format: .text, decimals: decimals)
        for t in lo...hi {
            let cells = bands.map { band in band.flow.first { $0.t == t } }
            if cells.allSatisfy({ $0 == nil }) { continue }
            out.write("<tr><td>\(t)</td>")
            for c in cells { out.write("<td>" + (c.map { work.number($0.norm, trimmed: false) } ?? "") + "</td>") }
            out.write("</tr>\n")
        }
        out.write("</tbody></table>\n</section>\n")
    }

    /// One entry of the key: `label = symbols = numbers = result`, the note, and links to the
    /// operands. `anchor`: this entry carries the quantity's id (its first appearance).
    func writeEntry(name: QuantityName, label: String, value: Value, equation: Equation?, note: String?, report: Report, math: MathML,
                    anchor: Bool = true, into out: inout OutputBuffer) {
        let id = HTMLText.id(name)
        out.write("<div class=\"eq\"" + (anchor ? " id=\"\(id)\"" : "") + " data-key=\"\(HTMLText.escape(name.description))\">\n")
        out.write("<div class=\"lhs\"><a href=\"#\(id)\">" + MathML.math(math.label(label)) + "</a></div>\n<div class=\"rhs\">\n")
        if let e = equation, let values = report.values {
            out.write("<div class=\"step\"><span>=</span>" + MathML.math(math.expression(e.rhs, values: values, numbers: false)) + "</div>\n")
            out.write("<div class=\"step\"><span>=</span>" + MathML.math(math.expression(e.rhs, values: values, numbers: true)) + "</div>\n")
        }
        out.write("<div class=\"step result\"><span>=</span>" + MathML.math(MathML.mrow("<mrow class=\"value\">", math.value(value, trimmed: false))) + "</div>\n")
        out.write("</div>\n")
        if let n = note { out.write("<p class=\"note\">" + HTMLText.escape(n) + "</p>\n") }
        if let e = equation {
            out.write("<p class=\"uses\">uses ")
            for operand in e.rhs.operands {
                out.write("<a href=\"#\(HTMLText.id(operand))\">" + HTMLText.escape(report.notation.label(operand)) + "</a>")
            }
            out.write("</p>\n")
        }
        out.write("</div>\n")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
