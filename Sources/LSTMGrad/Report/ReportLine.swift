/// A line of the report: the quantity, and the note printed after its value.
public struct ReportLine: Sendable {
    public var name: QuantityName
    public var note: String?
    /// A label that is not the notation's (`Δout_2 (dropped)`).
    public var label: String?

    public init(_ name: QuantityName, note: String? = nil, label: String? = nil) {
        self.name = name
        self.note = note
        self.label = label
    }
}
