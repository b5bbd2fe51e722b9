import LSTMGrad
import LSTMGradFuzz
import Testing

/// The decimals a student's number states, read with bounded arithmetic whatever its exponent.
@Suite struct WrittenNumberTests {
    @Test(arguments: [
        ("0.81775", 5), ("-0.0922", 4), ("1.5e-3", 4), ("1.5E-3", 4), ("8.1775e-1", 5), ("2e-3", 3),
        ("1e5", 0), ("1.5e2", 0), ("1.5e+1", 0), ("0.50", 2), ("12.0", 1),
        ("1e-399", 399), ("1e-400", 400), ("1e-401", 400),
        // The inputs that trapped (Int.min negated) and looped (10^14 divisions) before.
        ("1e-9223372036854775808", 400), ("0.5e-100000000000000", 400),
        ("1e-99999999999999999999999999", 400), ("1.5e+9223372036854775807", 0),
        ("-0.5e+99999999999999999999999999", 0),
    ] as [(String, Int)])
    func decimals(_ literal: String, _ expected: Int) throws {
        let n = try #require(WrittenNumber(literal))
        #expect(n.decimals == expected, "\(literal)")
        #expect(Answer.decimals(of: literal) == expected, "\(literal)")
    }

    /// A plain integer states no precision: only the significant digits hold it (GradingRules).
    @Test(arguments: ["0", "-3", "42", "5e0", "5E+0", "7e-0"])
    func integers(_ literal: String) throws {
        #expect(try #require(WrittenNumber(literal)).decimals == nil)
        #expect(Answer.decimals(of: literal) == nil)
    }

    @Test(arguments: ["", "-", "+1", ".5", "1.", "1e", "1e+", "1.5x", "0x10", "1e5.0", "--1", " 1", "1 "])
    func notNumbers(_ literal: String) {
        #expect(WrittenNumber(literal) == nil, "\(literal)")
    }

    /// The value is the double the literal names (0 when it underflows, inf when it overflows).
    @Test func values() throws {
        #expect(try #require(WrittenNumber("0.81775")).value == 0.81775)
        #expect(try #require(WrittenNumber("-1.5e-3")).value == -0.0015)
        #expect(try #require(WrittenNumber("1e-9223372036854775808")).value == 0)
        #expect(try #require(WrittenNumber("1e+9223372036854775808")).value == .infinity)
    }

    /// Half a unit of the last decimal, the same doubles as the repeated division the checker
    /// always used, and finite and positive for any count, however large or negative.
    @Test func toleranceSaturates() {
        for d in 0...30 {
            var unit = 1.0
            for _ in 0..<d { unit /= 10 }
            #expect(WrittenNumber.tolerance(decimals: d) == 0.5 * unit * (1 + 1e-9) + 1e-12, "\(d)")
        }
        #expect(WrittenNumber.tolerance(decimals: 5) > 5e-6 && WrittenNumber.tolerance(decimals: 5) < 5.001e-6)
        for d in [400, 401, 100_000_000_000_000, Int.max] {
            #expect(WrittenNumber.tolerance(decimals: d) == 1e-12, "\(d)")
        }
        for d in [-1, -400, Int.min] {
            #expect(WrittenNumber.tolerance(decimals: d) == WrittenNumber.tolerance(decimals: 0), "\(d)")
        }
    }

    /// The two answers files from the issue, end to end: a grade (exit 1), not a trap or a hang,
    /// with and without --tol and --rounded. (A time limit of 10 s catches a hang; the run
    /// itself takes a fraction of a second.)
    @Test(arguments: ["1e-9223372036854775808", "0.5e-100000000000000", "-1e-99999999999999999999"])
    func hugeExponentsAreGraded(_ literal: String) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/answers.json"
        try writeFile(path, "{\"a[0]\": \(literal), \"state[0]\": 0.78573}\n")
        for extra in [[], ["--tol", "1e-3"], ["--rounded", "3"]] {
            let o = FuzzRunner.run(CLIRunner.binary, ["check", "--example", "gomez", path] + extra, timeout: 10)
            #expect(!o.timedOut && o.signal == nil, "\(literal) \(extra)")
            #expect(o.status == 1, "\(literal) \(extra): \(String(decoding: o.stderr, as: UTF8.self))")
            let out = String(decoding: o.stdout, as: UTF8.self)
            #expect(out.hasPrefix("✗ a_0     = \(literal)   true 0.817754077970288\n"), "\(out)")
            #expect(out.hasSuffix("1 correct, 1 wrong\n"), "\(out)")
        }
    }
}
