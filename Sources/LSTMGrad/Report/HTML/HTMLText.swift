/// Text for HTML, SVG and MathML: escaped for an element or an attribute (the page is also
/// well-formed XML, so only the five XML escapes are used), and element ids from quantity names.
enum HTMLText {
    /// `&`, `<`, `>` and `"` escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The id of a quantity's entry in the solution key: `q-` and the canonical key with the
    /// characters a URL fragment or a CSS selector would trip on replaced (`delta_state[-1]` →
    /// `q-delta_state--1`, `W.a'` → `q-W-a-new`).
    static func id(_ name: QuantityName) -> String {
        var out = "q-"
        for c in name.description {
            switch c {
            case ".", "[": out.append("-")
            case "]": break
            case "'": out += "-new"
            case "-", "_": out.append(c)
            default: out.append(c.isLetter || c.isNumber ? c : "_")
            }
        }
        return out
    }
}
