/// Equations, labels and values as MathML (browsers render it natively): each equation's
/// symbols, then its numbers, then the result, from the quantity's own `Expr`, with the
/// numbers formatted exactly as the text report and `--show-work` print them.
struct MathML {
    var work: WorkRenderer
    var notation: Notation

    init(decimals: Int, notation: Notation) {
        work = WorkRenderer(format: .text, decimals: decimals)
        self.notation = notation
    }

    /// A whole `<math>` element around `body`.
    static func math(_ body: String, display block: Bool = false) -> String {
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"\(block ? " display=\"block\"" : "")>" + body + "</math>"
    }

    /// A label as the notation writes it: `δstate^out_1` → δstate with sub 1 and sup out; a
    /// label with spaces (`Δout_2 (dropped)`) is text.
    func label(_ s: String) -> String {
        if s.contains(" ") { return "<mtext>" + HTMLText.escape(s) + "</mtext>" }
        var main = Substring(s), sub: Substring?, sup: Substring?
        if let us = main.firstIndex(of: "_") {
            sub = main[main.index(after: us)...]
            main = main[..<us]
        }
        if let caret = main.firstIndex(of: "^") {
            sup = main[main.index(after: caret)...]
            main = main[..<caret]
        }
        let base = "<mi>" + HTMLText.escape(String(main)) + "</mi>"
        func script(_ x: Substring) -> String {
            if let n = Int(x) { return "<mn>" + (n < 0 ? "−\(-n)" : "\(n)") + "</mn>" }
            return "<mi>" + HTMLText.escape(String(x)) + "</mi>"
        }
        switch (sub, sup) {
        case let (b?, p?): return "<msubsup>" + base + script(b) + script(p) + "</msubsup>"
        case let (b?, nil): return "<msub>" + base + script(b) + "</msub>"
        case let (nil, p?): return "<msup>" + base + script(p) + "</msup>"
        default: return base
        }
    }

    /// The label of a name in the notation.
    func label(_ name: QuantityName) -> String { label(notation.label(name)) }

    /// A number as the work prints it: fixed decimals, or trimmed of trailing zeros (operands).
    func number(_ x: Double, trimmed: Bool) -> String { "<mn>" + work.number(x, trimmed: trimmed) + "</mn>" }

    /// A scalar bare, a vector as a bracketed row `[a b]`, a matrix as a bracketed table.
    func value(_ v: Value, trimmed: Bool) -> String {
        let numbers = v.numbers
        if numbers.count == 1 { return number(numbers[0], trimmed: trimmed) }
        let m = v.matrix
        if case .matrix = v, m.rows > 1 {
            var s = "<mrow><mo>[</mo><mtable>"
            for row in m.rowArrays {
                s += "<mtr>" + row.map { "<mtd>" + number($0, trimmed: trimmed) + "</mtd>" }.joined() + "</mtr>"
            }
            return s + "</mtable><mo>]</mo></mrow>"
        }
        return "<mrow><mo>[</mo>" + numbers.map { number($0, trimmed: trimmed) }.joined(separator: "<mspace width=\"0.5em\"/>") + "<mo>]</mo></mrow>"
    }

    /// `body` in an mrow that opens with `open` (`<mrow class=…>`): a bracketed value is one
    /// mrow already, and takes the attributes itself.
    static func mrow(_ open: String, _ body: String) -> String {
        body.hasPrefix("<mrow>") ? open + body.dropFirst(6) : open + body + "</mrow>"
    }

    /// The right-hand side in symbols (`numbers` false) or with each operand's value; every
    /// operand is marked with the id of the entry that computes or gives it.
    func expression(_ e: Expr, values: Trace, numbers: Bool) -> String {
        e.rendered(leaf: { name in
            let open = "<mrow class=\"ref\" data-ref=\"\(HTMLText.id(name))\">"
            return numbers ? Self.mrow(open, value(values.value(name), trimmed: true)) : open + label(name) + "</mrow>"
        }, number: { "<mn>" + shortest($0) + "</mn>" }, text: op, superscript: { base, exponent in
            "<msup><mrow>" + base + "</mrow>" + (exponent == "T" ? "<mi>T</mi>" : "<mn>" + exponent + "</mn>") + "</msup>"
        }, negative: { $0.contains("\"><mn>-") || $0.hasPrefix("<mn>-") })
    }

    /// Operator text of `Expr.rendered`: brackets and operators as `<mo>`, `tanh(` as a
    /// function name and a bracket, `tanh²(` with its square as a superscript.
    func op(_ text: String) -> String {
        let t = text.trimmingCharacters(in: " ")
        if t.count > 1, t.hasSuffix("(") {
            var name = String(t.dropLast())
            var squared = false
            if name.hasSuffix("²") {
                name.removeLast()
                squared = true
            }
            let fn = "<mi>" + HTMLText.escape(name) + "</mi>"
            return (squared ? "<msup>" + fn + "<mn>2</mn></msup>" : fn) + "<mo>(</mo>"
        }
        if t == ";" { return "<mo separator=\"true\">;</mo>" }
        return "<mo>" + HTMLText.escape(t) + "</mo>"
    }
}

extension String {
    /// The string without leading and trailing `c`.
    func trimmingCharacters(in c: Character) -> String {
        String(drop(while: { $0 == c }).reversed().drop(while: { $0 == c }).reversed())
    }
}
