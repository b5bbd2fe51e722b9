import LSTMGrad

/// Reads the documents `lstm-grad` prints with `--format json` and the specs it writes, as
/// plain JSON (the boundary a script sees): no library type in between.
enum JSONOutput {
    /// The `quantities` object: canonical key → its numbers, row-major, in output order.
    static func quantities(_ text: String) throws -> [(key: String, numbers: [Double])] {
        let root = try JSONParser.parse(Array(text.utf8))
        guard let members = root.members?.first(where: { $0.key == "quantities" })?.value.members else {
            throw CLIRunner.SpawnError(description: "no \"quantities\" object in:\n\(text.prefix(400))")
        }
        return members.map { ($0.key, flatten($0.value)) }
    }

    /// The same as a dictionary.
    static func quantityTable(_ text: String) throws -> [String: [Double]] {
        Dictionary(try quantities(text).map { ($0.key, $0.numbers) }, uniquingKeysWith: { a, _ in a })
    }

    /// A member of an object by a path of keys (`["weights", "W", "a"]`).
    static func member(_ node: JSONNode, _ path: [String]) -> JSONNode? {
        var n = node
        for key in path {
            guard let next = n.members?.first(where: { $0.key == key })?.value else { return nil }
            n = next
        }
        return n
    }

    static func flatten(_ node: JSONNode) -> [Double] {
        if let x = node.number { return [x] }
        return (node.array ?? []).flatMap(flatten)
    }
}
