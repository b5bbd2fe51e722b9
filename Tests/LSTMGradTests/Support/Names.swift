import LSTMGrad

/// Tests name quantities by their canonical keys, as users write them in answers files and
/// read them in JSON output: the keys go through the one parser.
func name(_ key: String) -> QuantityName {
    guard let n = QuantityName(parsing: key) else { preconditionFailure("not a canonical key: \(key)") }
    return n
}

extension Report {
    func quantity(_ key: String) -> Quantity? { quantity(name(key)) }
}

extension ParameterSet {
    subscript(block key: String) -> [Double] {
        get { self[block: name(key)] }
        set { self[block: name(key)] = newValue }
    }

    func value(of key: String) -> Value { value(of: name(key)) }
}

extension Trace {
    subscript(key: String) -> Value? { self[name(key)] }
}

extension Quantity {
    /// The quantity's equation evaluated from the operands' values in the report (a check that
    /// the value printed is what its printed equation gives, e.g. for values the fast kernel
    /// computed).
    func evaluated(in report: Report) throws -> Value? {
        guard let e = equation, let values = report.values else { return nil }
        return try e.rhs.evaluate { values[$0] }
    }
}

extension UpdatedSpec {
    /// `run --write-updated`'s text: the spec with the parameters after one update.
    static func json(_ spec: Spec) throws -> String? {
        guard let parameters = try spec.report().finalParameters else { return nil }
        return json(spec, parameters: parameters)
    }
}
