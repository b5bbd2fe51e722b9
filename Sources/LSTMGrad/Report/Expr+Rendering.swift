/// Printing an expression: in symbols (each leaf its label) or with the numbers (each leaf
/// its value), with the parentheses precedence needs and no others. Operators are written as
/// a solution writes them (`+`, `−`, `⊙`, `·`, `ᵀ·`, `⊗`, `²`); a renderer maps each piece of
/// operator text through `text` (LaTeX) and each leaf through `leaf`; a markup that nests a
/// superscript over its base (MathML) gives `superscript`.
extension Expr {
    /// `leaf` gives a leaf's text; `number` a constant's; `text` maps operator text. A leaf
    /// whose text starts with a minus sign is put in parentheses where it follows an operator
    /// (`0.03631 + (-0.01828)`, not `0.03631 + -0.01828`). `superscript(base, "2")` and
    /// `superscript(base, "T")` write x² and Mᵀ when given (else `text("²")`, `text("ᵀ·")` follow
    /// the base). `negative` tells a leaf's text that starts with a minus sign, where markup
    /// comes before the sign.
    public func rendered(leaf: (QuantityName) -> String, number: (Double) -> String = { shortest($0) },
                         text: (String) -> String = { $0 }, superscript: ((String, String) -> String)? = nil,
                         negative: (String) -> Bool = { $0.hasPrefix("-") }) -> String {
        var out = ""
        write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
        return out
    }

    /// Binding strength: sums 1, products ⊙ 2, ·-products 3, atoms 4.
    var precedence: Int {
        switch self {
        case .sum, .difference: return 1
        case .hadamard: return 2
        case .scaled, .matVec, .transposedMatVec, .outer, .dot: return 3
        case .ref, .number, .function, .square, .stack, .clamp, .part: return 4
        }
    }

    private func write(into out: inout String, leading: Bool, leaf: (QuantityName) -> String,
                       number: (Double) -> String, text: (String) -> String, superscript: ((String, String) -> String)?,
                       negative: (String) -> Bool) {
        func child(_ e: Expr, atLeast p: Int, leading l: Bool) {
            if e.precedence < p {
                out += text("(")
                e.write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
                out += text(")")
            } else {
                e.write(into: &out, leading: l, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
            }
        }
        /// An atom with a superscript: nested by `superscript`, or followed by `mark`.
        func scripted(_ e: Expr, _ exponent: String, mark: String) {
            guard let superscript else {
                child(e, atLeast: 4, leading: leading)
                out += text(mark)
                return
            }
            var base = ""
            swap(&out, &base)
            child(e, atLeast: 4, leading: leading)
            swap(&out, &base)
            out += superscript(base, exponent)
        }
        // a·b, aᵀ·b, a ⊗ b: atoms on both sides.
        func infix(_ a: Expr, _ op: String, _ b: Expr) {
            child(a, atLeast: 4, leading: leading)
            out += text(op)
            child(b, atLeast: 4, leading: false)
        }
        func list(_ es: [Expr], _ op: String, atLeast p: Int) {
            for (k, e) in es.enumerated() {
                if k > 0 { out += text(op) }
                child(e, atLeast: p, leading: leading && k == 0)
            }
        }
        switch self {
        case .ref(let name):
            let s = leaf(name)
            out += !leading && negative(s) ? text("(") + s + text(")") : s
        case .number(let x):
            let s = number(x)
            out += !leading && negative(s) ? text("(") + s + text(")") : s
        case .sum(let terms):
            list(terms, " + ", atLeast: 1)
        case .difference(let a, let b):
            child(a, atLeast: 1, leading: leading)
            out += text(" − ")
            child(b, atLeast: 2, leading: false)
        case .hadamard(let factors):
            list(factors, " ⊙ ", atLeast: 2)
        case .scaled(let factors):
            list(factors, "·", atLeast: 3)
        case .matVec(let a, let b), .dot(let a, let b): infix(a, "·", b)
        case .transposedMatVec(let a, let b):
            if superscript == nil {
                infix(a, "ᵀ·", b)
            } else {
                scripted(a, "T", mark: "ᵀ")
                out += text("·")
                child(b, atLeast: 4, leading: false)
            }
        case .outer(let a, let b): infix(a, " ⊗ ", b)
        case .function(let f, let e):
            out += text(f.rawValue + "(")
            e.write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
            out += text(")")
        case .square(let e):
            if case .function(let f, let inner) = e {
                out += text(f.rawValue + "²(")
                inner.write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
                out += text(")")
            } else {
                scripted(e, "2", mark: "²")
            }
        case .clamp(let e, let m):
            out += text("clamp(")
            e.write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
            out += text(", ") + number(-m) + text(", ") + number(m) + text(")")
        case .stack(let parts):
            out += text("[")
            for (k, p) in parts.enumerated() {
                if k > 0 { out += text("; ") }
                p.write(into: &out, leading: true, leaf: leaf, number: number, text: text, superscript: superscript, negative: negative)
            }
            out += text("]")
        case .part(let e, let offset, let count):
            child(e, atLeast: 4, leading: leading)
            out += text("[\(offset)..<\(offset + count)]")
        }
    }
}
