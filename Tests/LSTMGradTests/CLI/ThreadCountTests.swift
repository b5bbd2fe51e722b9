import LSTMGrad
import Testing

/// The same spec prints byte-identical output on one core and on two (`LSTM_GRAD_THREADS`): the
/// kernel reduces its sums in a fixed order, whatever the number of threads. H = 129, 130, 132
/// split the hidden units unevenly (the halves are cut at a multiple of 4) and leave tails.
@Suite struct ThreadCountTests {
    @Test(arguments: [129, 130, 132])
    func outputDoesNotDependOnTheThreadCount(_ H: Int) throws {
        try withTemporaryDirectory { dir in
            let spec = dir + "/spec.json"
            try OutputFile.write(spec, SummaryAndStreamingTests.specText(H: H, X: 5, T: 6, seed: UInt64(H)))
            for args in [["--summary"], ["--summary", "--format", "json"], []] {
                let one = try CLIRunner.run(["run", spec] + args, environment: ["LSTM_GRAD_THREADS": "1"])
                let two = try CLIRunner.run(["run", spec] + args, environment: ["LSTM_GRAD_THREADS": "2"])
                #expect(one.status == 0 && two.status == 0, "H = \(H) \(args): \(one.stderr) \(two.stderr)")
                #expect(!one.stdout.isEmpty)
                #expect(one.stdout == two.stdout, "H = \(H) run \(args.joined(separator: " ")): one and two threads differ")
            }
        }
    }
}
