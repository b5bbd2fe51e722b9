import LSTMGrad
import Testing

/// `run` estimates what it will hold before it starts and refuses, with the option that lifts
/// the limit, rather than abort half way (issue 17: T = 10⁶ at H = 1 used to abort allocating
/// 1.2 GB under a 2 GB cap).
@Suite struct RunMemoryLimitTests {
    /// An RNN with H = X = 1 over T steps.
    static func spec(steps T: Int) -> String {
        let xs = (0..<T).map { t in shortest(Double((t * 37) % 200 - 100) / 100) }.joined(separator: ",")
        return "{\"model\": \"rnn\", \"weights\": {\"activation\": \"tanh\", \"W\": 0.5, \"U\": 0.3, \"b\": 0.1}, "
            + "\"inputs\": [\(xs)], \"labels\": [\(xs)], \"loss\": \"l2\"}"
    }

    @Test func refusesBeforeStartingAndTheOptionLiftsTheLimit() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/long.json"
            try writeFile(path, Self.spec(steps: 300_000))
            let refused = try CLIRunner.run(["run", path])
            #expect(refused.status == 2)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.contains("this run would hold about") && refused.stderr.contains("raise the limit with --max-memory BYTES"),
                    "\(refused.stderr)")
            // A small run passes under a small limit, and a limit below its estimate refuses it.
            try writeFile(dir + "/short.json", Self.spec(steps: 3))
            #expect(try CLIRunner.run(["run", dir + "/short.json", "--max-memory", "1000000"]).status == 0)
            let tight = try CLIRunner.run(["run", dir + "/short.json", "--max-memory", "100"])
            #expect(tight.status == 2 && tight.stderr.contains("over the limit of 100 bytes"), "\(tight.stderr)")
        }
    }
}
