/// A spec embedded in the binary: `lstm-grad examples NAME` prints it and
/// `lstm-grad run --example NAME` runs it. The texts are generated from the fixtures listed in
/// `fixtures/examples.manifest` (`make examples`), so the two cannot drift.
public struct BuiltInExample: Sendable {
    public var name: String
    /// The fixture it was generated from.
    public var file: String
    /// One line for `lstm-grad examples`.
    public var summary: String
    /// The spec, byte for byte the fixture.
    public var text: String

    public init(name: String, file: String, summary: String, text: String) {
        self.name = name
        self.file = file
        self.summary = summary
        self.text = text
    }

    public static func named(_ name: String) -> BuiltInExample? {
        all.first { $0.name == name }
    }

    /// How diagnostics and the report header name an example's source.
    public var sourceName: String { "example:\(name)" }
}
