/// Points per answer for `check --rubric FILE`: a JSON object
///
///     {"default": 1, "points": {"forward": 2, "delta_state": 3, "dW.a": 4, "δout_0": 2}}
///
/// Each key of `points` is, most specific first: one quantity (any name an answers file may
/// use), a symbol at every timestep or block (`delta_state`, `dW`), or a section of the report
/// (`forward`, `loss`, `backward`, `gradients`, `updates`). Every other answer weighs `default`
/// (1 when absent). A quantity the rubric names by itself is expected of every submission
/// (missing when not answered).
public struct Rubric: Sendable {
    public static let groups = ["forward", "loss", "backward", "gradients", "updates"]

    public var defaultPoints: Double
    var quantities: [QuantityName: Double]
    var families: [String: Double]
    var groupPoints: [String: Double]
    /// The group of every quantity of the report.
    var groupOf: [QuantityName: String]

    /// Every answer weighs 1.
    public static func equal(report: Report) -> Rubric {
        Rubric(defaultPoints: 1, quantities: [:], families: [:], groupPoints: [:], groupOf: [:])
    }

    /// The quantities the rubric names one by one, in the report's order.
    public func named(in report: Report) -> [QuantityName] {
        report.answerable.map(\.name).filter { quantities[$0] != nil }
    }

    /// The points an answer to `name` is worth.
    public func points(for name: QuantityName) -> Double {
        if let p = quantities[name] { return p }
        if let p = families[name.symbol.base] { return p }
        if let g = groupOf[name], let p = groupPoints[g] { return p }
        return defaultPoints
    }

    /// Reads a rubric, resolving its names against the report; an unknown name is an error
    /// with a did-you-mean, at its place in the file.
    public static func decode(_ source: SourceText, report: Report, notation: Notation) throws(SpecErrors) -> Rubric {
        let root = try AnswerSheet.parse(source)
        let reader = SpecReader(source: source)
        var rubric = Rubric(defaultPoints: 1, quantities: [:], families: [:], groupPoints: [:], groupOf: groups(of: report))
        guard let fields = reader.object(root, .root, allowed: ["default", "points"], what: "a rubric object") else {
            throw SpecErrors(reader.diagnostics)
        }
        func points(_ node: JSONNode, _ path: JSONPath) -> Double? {
            guard let p = reader.number(node, path) else { return nil }
            guard p >= 0 else {
                reader.fail(.invalidValue(expected: "points ≥ 0", found: "\(p)"), node, path)
                return nil
            }
            return p
        }
        if let d = fields["default"], let p = points(d, .root / "default") { rubric.defaultPoints = p }
        if let node = fields["points"] {
            let path = JSONPath.root / "points"
            if let members = node.members {
                var names = AnswerNames(report.answerable, notation: notation, layoutBlocks: report.layoutBlocks)
                let bases = Set(report.answerable.map(\.name.symbol.base))
                for m in members {
                    guard let p = points(m.value, path / m.key) else { continue }
                    if Self.groups.contains(m.key) {
                        rubric.groupPoints[m.key] = p
                    } else if bases.contains(m.key) {
                        rubric.families[m.key] = p
                    } else if let q = names.resolve(m.key) {
                        rubric.quantities[q.name] = p
                    } else {
                        let near = names.suggestion(for: m.key) ?? suggestion(for: m.key, among: Self.groups)
                        reader.fail(.unknownQuantity(m.key, suggestion: near), at: m.keyOffset, path / m.key)
                    }
                }
            } else {
                reader.fail(.wrongType(expected: "an object of names to points", found: node.kindDescription), node, path)
            }
        }
        if reader.hasErrors { throw SpecErrors(reader.diagnostics, omitted: reader.omitted) }
        return rubric
    }

    /// The section each quantity is printed in (`Forward @ t=0` → forward, `Updated
    /// parameters` → updates); one the report does not print (δgates_t) is in backward.
    static func groups(of report: Report) -> [QuantityName: String] {
        var out: [QuantityName: String] = [:]
        for s in report.sections {
            let first = s.title.split(separator: " ").first.map { $0.lowercased() } ?? ""
            var group = first == "updated" ? "updates" : first
            // A network prints its head apart from the layers: forward, and backward from it.
            if first == "head" { group = s.title.hasPrefix("Head backward") ? "backward" : "forward" }
            for q in s.quantities where out[q.name] == nil { out[q.name] = group }
        }
        for q in report.answerable where out[q.name] == nil { out[q.name] = "backward" }
        return out
    }
}
