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

/// `LSTM_GRAD_KERNELS` picks the build of the kernels; every variant this CPU runs prints the
/// same summary to 1e−12 relative (the AVX2 build fuses its multiply-adds, so the last digits
/// may differ).
@Suite struct KernelVariantCLITests {
    @Test func everyVariantPrintsTheSameSummary() throws {
        try withTemporaryDirectory { dir in
            let spec = dir + "/spec.json"
            try OutputFile.write(spec, SummaryAndStreamingTests.specText(H: 132, X: 7, T: 5))
            var runs: [(String, [Double])] = []
            for v in KernelVariant.available {
                let r = try CLIRunner.run(["run", spec, "--summary", "--format", "json"], environment: ["LSTM_GRAD_KERNELS": v.name])
                #expect(r.status == 0, "\(v): \(r.stderr)")
                let root = try JSONParser.parse(Array(r.stdout.utf8))
                let blocks = try #require(root.members?.first { $0.key == "blocks" }?.value.members)
                var numbers = [try #require(root.members?.first { $0.key == "loss" }?.value.number)]
                for b in blocks { numbers += (b.value.members ?? []).filter { $0.key != "count" }.compactMap(\.value.number) }
                runs.append((v.name, numbers))
            }
            for (name, numbers) in runs.dropFirst() {
                #expect(numbers.count == runs[0].1.count)
                for (a, b) in zip(numbers, runs[0].1) {
                    #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(name) vs portable: \(a) vs \(b)")
                }
            }
        }
    }
}
