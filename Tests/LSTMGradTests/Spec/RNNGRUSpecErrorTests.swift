import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Spec errors of the RNN and GRU decoders: exact stderr, exit 2, nothing on stdout.
@Suite struct RNNGRUSpecErrorTests {
    static let cases: [(String, String)] = [
        (#"{"model":"rnn","weights":{"activation":"softsign","W":[[1,0],[0,1]],"U":[[1],[1]]},"inputs":[[1]],"labels":[[0,0]]}"#,
         #"<stdin>:1:40: error: weights.activation: expected one of "sigmoid", "tanh", "relu", found "softsign""#),
        (#"{"model":"rnn","weights":{"W":[[1,0],[0,1]],"U":[[1,2],[1,2]]},"inputs":[[1]],"labels":[[0,0]]}"#,
         "<stdin>:1:49: error: weights.U: expected a 2×1 matrix (H×X: hidden size 2 × input size 1), found 2×2"),
        (#"{"model":"rnn","weights":{"W":[[1,0],[0,1]],"U":[[1],[1]],"b":[1,2,3]},"inputs":[[1]],"labels":[[0,0]]}"#,
         "<stdin>:1:63: error: weights.b: expected 2 numbers (hidden size H = 2), found 3"),
        (#"{"model":"rnn","weights":{"W":[[1]],"U":[[1]]},"inputs":[[1]],"labels":[[0]],"initial":{"out":[0],"state":[0]}}"#,
         #"<stdin>:1:99: error: initial.state: unknown key "state"; expected one of: out"#),
        (#"{"model":"gru","weights":{"weight_ih_l0":[[1],[1],[1],[1]],"weight_hh_l0":[[1],[1],[1],[1]]},"inputs":[[1]],"labels":[[0]]}"#,
         "<stdin>:1:75: error: weights.weight_hh_l0: expected 3H rows (r, z, n stacked), found 4 rows"),
        (#"{"model":"gru","weights":{"convention":"keras","W":{"r":1,"z":1,"n":1},"U":{"r":1,"z":1,"n":1}},"inputs":[[1]],"labels":[[0]]}"#,
         #"<stdin>:1:40: error: weights.convention: expected one of "pytorch", "z_new", found "keras""#),
        (#"{"model":"gru","weights":{"W":{"r":1,"z":1},"U":{"r":1,"z":1,"n":1}},"inputs":[[1]],"labels":[[0]]}"#,
         #"<stdin>:1:31: error: weights.W: missing required field "n" (every gate r, z, n needs its W_n)"#),
    ]

    /// Specs go through files, not stdin, and one at a time: CLIRunner's pipes are inherited by
    /// processes spawned concurrently by other tests, so a child reading stdin may never see EOF.
    @Test func exactMessages() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        for (k, (spec, expected)) in Self.cases.enumerated() {
            let path = dir + "/spec-\(k).json"
            try OutputFile.write(path, spec)
            let out = try CLIRunner.run(["run", path])
            #expect(out.status == 2)
            #expect(out.stdout.isEmpty)
            #expect(out.stderr == path + expected.dropFirst("<stdin>".count) + "\n")
        }
    }
}
