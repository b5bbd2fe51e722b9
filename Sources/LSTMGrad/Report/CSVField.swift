/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
enum CSVField {
    static func write(_ s: String, into out: inout OutputBuffer) {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            out.write(s)
            return
        }
        out.write("\"")
        for ch in s {
            if ch == "\"" { out.write("\"\"") } else { out.write(String(ch)) }
        }
        out.write("\"")
    }
}
