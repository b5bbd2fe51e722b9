@testable import LSTMGrad
import Testing

/// sign and clamp, the derivatives of the L1 and Huber losses: their values, how they print,
/// and their own derivatives (forward mode) against central differences.
@Suite struct ExprFunctionTests {
    static let d = QuantityName(Symbol("d"))
    static let x = Vector([-2, -0.5, 0, 0.25, 3])

    func value(_ e: Expr, _ v: Vector) throws -> [Double] {
        try e.evaluate { $0 == Self.d ? .vector(v) : nil }.numbers
    }

    @Test func signIsTorchSign() throws {
        #expect(try value(.function(.sign, .ref(Self.d)), Self.x) == [-1, -1, 0, 1, 1])
    }

    @Test func clampLimitsToTheBand() throws {
        #expect(try value(.clamp(.ref(Self.d), 0.5), Self.x) == [-0.5, -0.5, 0, 0.25, 0.5])
    }

    @Test func printedInSymbolsAndNumbers() {
        let e = Expr.scaled([.number(0.5), .clamp(.difference(.q(.y, 1), .q(.label, 1)), 1)])
        #expect(e.rendered(leaf: { $0.description }) == "0.5·clamp(y[1] − label[1], -1, 1)")
        #expect(Expr.function(.sign, .ref(Self.d)).rendered(leaf: { $0.description }) == "sign(d)")
    }

    /// d/dx clamp(x) = 1 inside the band, 0 outside; d/dx sign(x) = 0 (away from 0): forward
    /// mode against central differences at points away from the kinks.
    @Test func derivativesMatchFiniteDifferences() throws {
        let points = Vector([-2, -0.3, 0.25, 0.49, 3])
        let h = 1e-6
        for e in [Expr.clamp(.ref(Self.d), 0.5), .function(.sign, .ref(Self.d))] {
            let tangent = try e.evaluate({ $0 == Self.d ? .vector(points) : nil },
                                         tangent: { $0 == Self.d ? .vector(Vector([Double](repeating: 1, count: points.count))) : nil }).tangent
            let analytic = tangent?.numbers ?? [Double](repeating: 0, count: points.count)
            let up = try value(e, points.map { $0 + h }), down = try value(e, points.map { $0 - h })
            for k in 0..<points.count {
                #expect(abs(analytic[k] - (up[k] - down[k]) / (2 * h)) < 1e-9, "\(e) at \(points[k])")
            }
        }
    }
}
