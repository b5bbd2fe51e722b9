import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `lstm-grad analyze` end to end: JSON and CSV for specs and matrices, the window and the
/// memory bound, and the SVG.
@Suite struct AnalyzeCommandTests {
    static let specs = ["seed004-rnn.json", "rnn-vanishing.json", "rnn-exploding.json", "lstm-carousel.json", "gomez.json",
                        "gru-pytorch.json", "gru-znew.json"]

    /// Every spec gives JSON the project's parser reads, with the canonical names, and CSV whose
    /// rows carry the same numbers.
    @Test(arguments: specs)
    func jsonAndCSVAgree(_ name: String) throws {
        let json = try CLIRunner.run(["analyze", "fixtures/" + name, "--format", "json"])
        #expect(json.status == 0 && json.stderr.isEmpty, "\(name): \(json.stderr)")
        let doc = try AnalyzeJSON(json.stdout)
        #expect(doc.member("command")?.string == "analyze")
        let q = doc.quantities
        let jacobians = q.filter { $0.0.hasPrefix("jacobian[") }
        #expect(!jacobians.isEmpty)
        #expect(doc.member("verdict").flatMap { doc.member("verdict", in: $0)?.string } != nil)
        let csv = try CLIRunner.run(["analyze", "fixtures/" + name, "--format", "csv"])
        #expect(csv.status == 0)
        let rows = Self.csvRows(csv.stdout)
        #expect(rows.first == ["name", "timestep", "index", "value"])
        #expect(rows.dropFirst().allSatisfy { $0.count == 4 }, "\(name): a CSV row without four fields")
        // Each Jacobian entry in CSV (name jacobian, timestep "t,k", index "r,c") is the JSON number.
        var found = 0
        for (key, value) in jacobians {
            let ts = String(key.dropFirst("jacobian[".count).dropLast())
            let m = AnalyzeJSON.matrix(value)
            for r in 0..<m.rows {
                for c in 0..<m.cols {
                    let row = rows.first { $0[0] == "jacobian" && $0[1] == ts && $0[2] == "\(r),\(c)" }
                    #expect(row.flatMap { Double($0[3]) } == m[r, c], "\(name) \(key)[\(r),\(c)]")
                    found += 1
                }
            }
        }
        #expect(found > 0)
    }

    /// `--matrix M --power n` in JSON: M and Mⁿ, their norms and spectral radii, the eigenvalues
    /// of both, and the verdict on the powers.
    @Test func matrixJSON() throws {
        let out = try CLIRunner.run(["analyze", "--matrix", "[[0.5,-0.6],[0.6,0.5]]", "--power", "10", "--format", "json"])
        #expect(out.status == 0)
        let doc = try AnalyzeJSON(out.stdout)
        let names = Set(doc.quantities.map(\.0))
        for key in ["W", "W^10", "norm2_W", "sigma_max_W", "rho_W", "norm2_W^10", "rho_W^10", "eigenvalue_powers", "W^10_by_eigen"] {
            #expect(names.contains(key), "no \(key)")
        }
        let eigen = try #require(doc.member("eigen"))
        let w = try #require(doc.member("W", in: eigen)), w10 = try #require(doc.member("W^10", in: eigen))
        let values = try #require(doc.member("eigenvalues", in: w)?.array).map { $0.array!.map { $0.number! } }
        #expect(values.count == 2 && values[0][0] == values[1][0] && values[0][1] == -values[1][1], "an exact conjugate pair")
        #expect(abs(values[0][1] - 0.6) < 1e-15)
        let v10 = try #require(doc.member("eigenvalues", in: w10)?.array)
        #expect(v10.count == 2)
        let verdict = try #require(doc.member("verdict"))
        #expect(doc.member("powers", in: verdict)?.string == "vanishes")
        // CSV of the same: complex entries as re and im rows.
        let csv = try CLIRunner.run(["analyze", "--matrix", "[[0.5,-0.6],[0.6,0.5]]", "--power", "10", "--format", "csv"])
        let rows = Self.csvRows(csv.stdout)
        #expect(rows.contains(["eigen.W.eigenvalues", "", "0,im", "0.6000000000000001"]) || rows.contains(["eigen.W.eigenvalues", "", "0,im", "0.6"]))
        #expect(rows.contains { $0[0] == "verdict.powers" && $0[3] == "vanishes" })
    }

    /// Issue 17, item 4: a spec with T = 40,000 and H = 1 (about half a megabyte) finishes under
    /// a 2 GB address-space cap by default; every pair (`--window all`) is refused cleanly, naming
    /// the option that lifts the limit.
    @Test func longSequenceUnderAMemoryCap() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/long.json"
        var seed: UInt64 = 7
        func next() -> String {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let x = Double(Int((Double(seed >> 11) / Double(1 << 53) * 2 - 1) * 100)) / 100
            return "\(x)"
        }
        let T = 40_000
        let inputs = (0..<T).map { _ in "[\(next())]" }.joined(separator: ",")
        let labels = (0..<T).map { _ in "[\(next())]" }.joined(separator: ",")
        let spec = "{\"model\": \"rnn\", \"weights\": {\"activation\": \"tanh\", \"W\": [[0.9]], \"U\": [[0.5]], \"b\": [0.1]}, "
            + "\"inputs\": [\(inputs)], \"labels\": [\(labels)], \"loss\": \"l2\", \"learning_rate\": 0.1}"
        try OutputFile.write(path, Array(spec.utf8))
        #expect(spec.utf8.count > 400_000)
        let cap = Shell.which("prlimit").map { "\(Shell.quote($0)) --as=2147483648 -- " }
        let prefix = cap ?? "ulimit -v 2097152; "
        let bin = Shell.quote(CLIRunner.binary)
        let text = try Shell.run(prefix + "\(bin) analyze \(Shell.quote(path))")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("window: the last 12 of T = 40000 timesteps, pairs (t, k) with 39987 ≤ k < t ≤ 39999"))
        #expect(text.stdout.contains("verdict: vanishing, decided by the sufficient condition γ·σ_max(W) = 0.900000 < 1"))
        // The long-range norm, far below the smallest double, is still given.
        #expect(text.stdout.contains("    40000     -1 "))
        let json = try Shell.run(prefix + "\(bin) analyze \(Shell.quote(path)) --format json")
        #expect(json.status == 0)
        let doc = try AnalyzeJSON(json.stdout)
        #expect(doc.quantities.filter { $0.0.hasPrefix("jacobian[") }.count == 12 * 13 / 2)
        let all = try Shell.run(prefix + "\(bin) analyze \(Shell.quote(path)) --window all")
        #expect(all.status == 2 && all.stdout.isEmpty)
        #expect(all.stderr.contains("--window all at T = 40000, H = 1 would keep 800020000 Jacobians of 1×1"))
        #expect(all.stderr.contains("raise the limit with --max-memory BYTES"))
    }

    /// `--window all` on a short spec, and `--max-memory` refusing a window that would not fit.
    @Test func windowOptions() throws {
        let all = try CLIRunner.run(["analyze", "fixtures/rnn-vanishing.json", "--window", "all"])
        #expect(all.status == 0 && !all.stdout.contains("window: the last"))
        let three = try CLIRunner.run(["analyze", "fixtures/rnn-vanishing.json", "--window", "3"])
        #expect(three.stdout.contains("window: the last 3 of T = 12 timesteps, pairs (t, k) with 8 ≤ k < t ≤ 11"))
        #expect(three.stdout.contains("the steps k < 8 (outside the window) contribute δW − Σ"))
        let refused = try CLIRunner.run(["analyze", "fixtures/rnn-vanishing.json", "--max-memory", "1000"])
        #expect(refused.status == 2 && refused.stdout.isEmpty && refused.stderr.contains("--max-memory"))
    }

    /// The SVG is well-formed, and its points are the norms of ∂h_{T−1}/∂h_k that JSON gives.
    @Test(arguments: ["rnn-vanishing", "lstm-carousel", "gru-znew"])
    func svgMatchesTheNorms(_ name: String) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/decay.svg"
        let out = try CLIRunner.run(["analyze", "fixtures/\(name).json", "--svg", path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasSuffix("wrote \(path)\n"))
        let svg = String(decoding: try InputFile.read(path), as: UTF8.self)
        #expect(SVGCheck.wellFormed(svg) == nil, "\(SVGCheck.wellFormed(svg) ?? "")")
        var points: [String: [Int: Double]] = [:]
        for piece in svg.split(separator: "<circle").dropFirst() {
            guard let series = SVGCheck.attribute("data-series", in: piece), let k = SVGCheck.attribute("data-k", in: piece).flatMap({ Int($0) }),
                  let v = SVGCheck.attribute("data-norm", in: piece).flatMap({ Double($0) }) else { continue }
            points[series, default: [:]][k] = v
        }
        let json = try CLIRunner.run(["analyze", "fixtures/\(name).json", "--format", "json"])
        let doc = try AnalyzeJSON(json.stdout)
        let T = Int(try #require(doc.member("sizes").flatMap { doc.member("T", in: $0) }?.number))
        let series = name.hasPrefix("lstm") ? ["out", "state"] : ["h"]
        #expect(Set(points.keys) == Set(series))
        for s in series {
            #expect(points[s]?.count == T + 1)
            for k in -1..<(T - 1) {
                let key = name.hasPrefix("lstm") ? "jacobian_\(s)_\(s)[\(T - 1),\(k)]" : "norm_jacobian[\(T - 1),\(k)]"
                let value = try #require(doc.quantities.first { $0.0 == key }?.1)
                let expected = value.number ?? Eigen.spectralNorm(AnalyzeJSON.matrix(value))
                #expect(relativeError(points[s]![k]!, expected) < 1e-12, "\(name) \(s) k = \(k)")
            }
        }
    }

    /// Fields of a CSV document (RFC 4180 quoting), one array per line.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = [], field = "", quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if c == "," {
                row.append(field)
                field = ""
                wasQuoted = false
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
            } else {
                field.append(c)
            }
        }
        return rows
    }
}

/// A small well-formedness checker for the SVG: every tag closes in order, attributes are quoted
/// and unique, entities are the five XML ones, one root element.
enum SVGCheck {
    static func wellFormed(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        var i = 0
        var stack: [String] = []
        var roots = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == ":" || c == "." }
        while i < s.count {
            if s[i] == "<" {
                if i + 1 < s.count && s[i + 1] == "?" {
                    while i + 1 < s.count && !(s[i] == "?" && s[i + 1] == ">") { i += 1 }
                    i += 2
                    continue
                }
                var j = i + 1
                let closing = s[j] == "/"
                if closing { j += 1 }
                var name = ""
                while j < s.count && isNameChar(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                if name.isEmpty { return "empty tag name at \(i)" }
                var attrs = Set<String>()
                var selfClosing = false
                while true {
                    while j < s.count && (s[j] == " " || s[j] == "\n") { j += 1 }
                    guard j < s.count else { return "unterminated tag \(name)" }
                    if s[j] == ">" { j += 1; break }
                    if s[j] == "/" && j + 1 < s.count && s[j + 1] == ">" { selfClosing = true; j += 2; break }
                    if closing { return "attributes in closing tag \(name)" }
                    var attr = ""
                    while j < s.count && isNameChar(s[j]) { attr.unicodeScalars.append(s[j]); j += 1 }
                    if attr.isEmpty || j >= s.count || s[j] != "=" { return "bad attribute in \(name)" }
                    if !attrs.insert(attr).inserted { return "duplicate attribute \(attr) in \(name)" }
                    j += 1
                    guard j < s.count, s[j] == "\"" else { return "unquoted attribute \(attr)" }
                    j += 1
                    while j < s.count && s[j] != "\"" {
                        if s[j] == "<" { return "< in attribute \(attr)" }
                        j += 1
                    }
                    j += 1
                }
                if closing {
                    guard stack.last == name else { return "</\(name)> closes \(stack.last ?? "nothing")" }
                    stack.removeLast()
                } else if !selfClosing {
                    if stack.isEmpty { roots += 1 }
                    stack.append(name)
                } else if stack.isEmpty {
                    roots += 1
                }
                i = j
            } else {
                if s[i] == "&" {
                    let rest = String(String.UnicodeScalarView(s[i..<min(i + 6, s.count)]))
                    if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(where: { rest.hasPrefix($0) }) { return "bad entity at \(i)" }
                }
                if s[i] == ">" && stack.isEmpty { return "stray > at \(i)" }
                if !stack.isEmpty || s[i] == "\n" || s[i] == " " { i += 1; continue }
                return "text outside the root at \(i)"
            }
        }
        if !stack.isEmpty { return "unclosed \(stack.last!)" }
        return roots == 1 ? nil : "\(roots) root elements"
    }

    static func attribute(_ name: String, in s: Substring) -> String? {
        guard let r = s.firstRange(of: name + "=\"") else { return nil }
        let rest = s[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

@Suite struct SVGCheckTests {
    @Test func checkerCatchesMistakes() {
        #expect(SVGCheck.wellFormed("<svg><g></g></svg>") == nil)
        #expect(SVGCheck.wellFormed("<svg><g></svg>") != nil)
        #expect(SVGCheck.wellFormed("<svg a=1/>") != nil)
        #expect(SVGCheck.wellFormed("<svg>a & b</svg>") != nil)
        #expect(SVGCheck.wellFormed("<svg/><svg/>") != nil)
    }
}
