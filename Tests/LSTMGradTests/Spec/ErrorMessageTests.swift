import LSTMGrad
import Testing

/// One bad spec per kind of error a user can make (`fixtures/errors/NAME.json`), run through the
/// built binary: the exact stderr (file:line:column, JSON path, expected, found), the exit code,
/// and nothing on stdout when it fails. Positions were checked by hand against the files.
@Suite struct ErrorMessageTests {
    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var exit: Int32
        var stderr: String
        init(_ name: String, exit: Int32, _ stderr: String) {
            self.name = name
            self.exit = exit
            self.stderr = stderr
        }
        var testDescription: String { name }
    }

    static let cases: [ErrorCase] = [
        ErrorCase("choice-typo", exit: 2,
                  "fixtures/errors/choice-typo.json:2:12: error: model: expected one of \"lstm\", \"rnn\", \"gru\", found \"lstn\"; did you mean \"lstm\"?\n"),
        ErrorCase("deep-nesting", exit: 2,
                  "fixtures/errors/deep-nesting.json:1:75: error: invalid JSON: JSON nested deeper than 64 levels (the limit)\n"),
        ErrorCase("empty-array", exit: 2,
                  "fixtures/errors/empty-array.json:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found an empty array\n"),
        ErrorCase("empty-file", exit: 2,
                  "fixtures/errors/empty-file.json:1:1: error: invalid JSON: the file is empty, expected a JSON object\n"),
        ErrorCase("empty-inputs", exit: 2,
                  "fixtures/errors/empty-inputs.json:8:13: error: inputs: expected at least one timestep, found an empty array (T = 0)\n"),
        ErrorCase("gate-duplicate", exit: 2,
                  "fixtures/errors/gate-duplicate.json:5:53: error: weights.U.o: duplicate key \"o\" (first given on line 5)\n"),
        ErrorCase("gate-missing", exit: 2,
                  "fixtures/errors/gate-missing.json:5:10: error: weights.U: missing required field \"o\" (every gate a, i, f, o needs its U_o)\n"),
        ErrorCase("gradients-length", exit: 2,
                  "fixtures/errors/gradients-length.json:10:16: error: gradients: expected 2 gradients (one per timestep, T = 2 from inputs), found 3\n"),
        ErrorCase("huge-literal", exit: 2,
                  "fixtures/errors/huge-literal.json:9:19: error: labels[1]: expected a finite number, found 1e400 (out of the range of a double)\n"),
        ErrorCase("infinity", exit: 2,
                  "fixtures/errors/infinity.json:8:28: error: inputs[1][1]: invalid JSON: expected a finite number, found -Infinity (NaN and Infinity are not JSON numbers)\n"),
        ErrorCase("initial-size", exit: 2,
                  "fixtures/errors/initial-size.json:11:22: error: initial.out: expected 2 numbers (hidden size H = 2, from weights.b.a), found 3\n"),
        ErrorCase("label-class", exit: 2,
                  "fixtures/errors/label-class.json:10:17: error: labels[1]: expected a class index 0…2 (the softmax head has 3 classes), found the number 3\n"),
        ErrorCase("label-not-integer", exit: 2,
                  "fixtures/errors/label-not-integer.json:10:14: error: labels[0]: expected a class index 0…2 (the softmax head has 3 classes), found the number 0.5\n"),
        ErrorCase("labels-length", exit: 2,
                  "fixtures/errors/labels-length.json:9:13: error: labels: expected 2 labels (one per timestep, T = 2 from inputs), found 1\n"),
        ErrorCase("learning-rate-negative", exit: 0,
                  "fixtures/errors/learning-rate-negative.json:10:20: warning: learning_rate: the learning rate -0.1 is not positive: the SGD step climbs the loss instead of descending\n"),
        ErrorCase("learning-rate-zero", exit: 0,
                  "fixtures/errors/learning-rate-zero.json:10:20: warning: learning_rate: the learning rate 0 is not positive: the SGD step leaves every parameter unchanged\n"),
        ErrorCase("loss-needs-head", exit: 2,
                  "fixtures/errors/loss-needs-head.json:11:11: error: loss: cross-entropy needs a softmax head (\"head\": {\"type\": \"softmax\", …})\n"),
        ErrorCase("malformed-json", exit: 2,
                  "fixtures/errors/malformed-json.json:8:27: error: inputs[1]: invalid JSON: expected ',' or ']' in an array, found '3'\n"),
        ErrorCase("missing-block", exit: 2,
                  "fixtures/errors/missing-block.json:3:14: error: weights: missing required field \"U\" (recurrent weights U_g, H×H per gate)\n"),
        ErrorCase("missing-field", exit: 2,
                  "fixtures/errors/missing-field.json:1:1: error: missing required field \"inputs\" (the sequence x_0 … x_{T−1})\n"),
        ErrorCase("nan", exit: 2,
                  "fixtures/errors/nan.json:10:20: error: learning_rate: invalid JSON: expected a finite number, found NaN (NaN and Infinity are not JSON numbers)\n"),
        ErrorCase("not-an-object", exit: 2,
                  "fixtures/errors/not-an-object.json:1:1: error: expected a JSON object (the spec), found an array of 2\n"),
        ErrorCase("overflow-head", exit: 2,
                  "fixtures/errors/overflow-head.json: error: loss_0 (loss[0]) is +infinity (the first non-finite value, in Forward @ t=0): the computation overflowed (weights or inputs too large?)\n"),
        ErrorCase("overflow-weights", exit: 2,
                  "fixtures/errors/overflow-weights.json: error: a_0 (a[0]) is NaN (the first non-finite value, in Forward @ t=0): the computation overflowed (weights or inputs too large?)\n"),
        ErrorCase("ragged-inputs", exit: 2,
                  "fixtures/errors/ragged-inputs.json:8:22: error: inputs[1]: expected 2 numbers (input size X = 2, from inputs[0]), found 1\n"),
        ErrorCase("ragged-matrix", exit: 2,
                  "fixtures/errors/ragged-matrix.json:4:25: error: weights.U.a[1]: ragged matrix: row 1 has 1 number, row 0 has 2\n"),
        ErrorCase("several", exit: 2,
                  "fixtures/errors/several.json:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found 1×3: 3 columns, but input size X = 2 (from inputs[0])\n" +
                  "fixtures/errors/several.json:8:28: error: inputs[1][1]: expected a number, found the string \"3\"\n" +
                  "fixtures/errors/several.json:10:3: error: learning_rat: unknown key \"learning_rat\"; did you mean \"learning_rate\"?\n" +
                  "3 errors\n"),
        ErrorCase("shape-both", exit: 2,
                  "fixtures/errors/shape-both.json:3:85: error: weights.W.o: expected a 2×2 matrix (H×X), found 3×3: 3 rows, but hidden size H = 2 (from weights.b.a); 3 columns, but input size X = 2 (from inputs[0])\n"),
        ErrorCase("shape-cols", exit: 2,
                  "fixtures/errors/shape-cols.json:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found 1×3: 3 columns, but input size X = 2 (from inputs[0])\n"),
        ErrorCase("shape-head", exit: 2,
                  "fixtures/errors/shape-head.json:7:36: error: head.V: expected a 2×2 matrix (K×H), found 2×3: 3 columns, but hidden size H = 2 (from weights.b.a)\n"),
        ErrorCase("shape-rows", exit: 2,
                  "fixtures/errors/shape-rows.json:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found 2×2: 2 rows, but hidden size H = 1 (from weights.b.a)\n"),
        ErrorCase("truncated", exit: 2,
                  "fixtures/errors/truncated.json:5:32: error: weights.U: invalid JSON: unexpected end of input inside an object, expected a key\n"),
        ErrorCase("unknown-gate", exit: 2,
                  "fixtures/errors/unknown-gate.json:5:10: error: weights.U: missing required field \"a\" (every gate a, i, f, o needs its U_a)\n" +
                  "fixtures/errors/unknown-gate.json:5:11: error: weights.U.g: unknown key \"g\"; did you mean \"a\"?\n" +
                  "2 errors\n"),
        ErrorCase("unknown-key", exit: 2,
                  "fixtures/errors/unknown-key.json:10:3: error: learning_rat: unknown key \"learning_rat\"; did you mean \"learning_rate\"?\n"),
        ErrorCase("wrong-type", exit: 2,
                  "fixtures/errors/wrong-type.json:10:20: error: learning_rate: expected a number, found the string \"0.1\"\n"),
        ErrorCase("too-many", exit: 2, tooMany),
        // Training (torch.optim's arguments and checks, the optimizer's state, clipping,
        // frozen blocks) and PyTorch's losses.
        ErrorCase("clip-both", exit: 2,
                  "fixtures/errors/clip-both.json:6:38: error: clip.value: give \"max_norm\" (clip_grad_norm_) or \"value\" (clip_grad_value_), not both\n"),
        ErrorCase("clip-norm-type", exit: 2,
                  "fixtures/errors/clip-norm-type.json:6:42: error: clip.norm_type: expected a number > 0 or \"inf\", found 0\n"),
        ErrorCase("frozen-one-bias-copy", exit: 2,
                  "fixtures/errors/frozen-one-bias-copy.json:7:30: error: frozen[1]: bias_ih_l0 + bias_hh_l0 is one bias stored twice; freeze both copies (add \"bias_ih_l0\") or none\n"),
        ErrorCase("frozen-unknown", exit: 2,
                  "fixtures/errors/frozen-unknown.json:6:14: error: frozen[0]: expected a parameter block (W, U), found \"V\"; did you mean \"W\"?\n"),
        ErrorCase("loss-huber-delta", exit: 2,
                  "fixtures/errors/loss-huber-delta.json:6:38: error: loss.delta: expected a number > 0, found 0\n"),
        ErrorCase("loss-logits-head", exit: 2,
                  "fixtures/errors/loss-logits-head.json:7:11: error: loss: bce_with_logits reads logits: it needs a linear head (\"head\": {\"type\": \"linear\", …}); for a sigmoid head use \"bce\"\n"),
        ErrorCase("loss-parameter-conflict", exit: 2,
                  "fixtures/errors/loss-parameter-conflict.json:6:35: error: loss.beta: \"beta\" is a parameter of the smooth_l1 loss, not of mse\n"),
        ErrorCase("optimizer-betas", exit: 2,
                  "fixtures/errors/optimizer-betas.json:6:49: error: optimizer.betas[1]: expected a number in [0, 1), found 1\n"),
        ErrorCase("optimizer-learning-rate", exit: 2,
                  "fixtures/errors/optimizer-learning-rate.json:6:20: error: learning_rate: with \"optimizer\" the learning rate is the optimizer's \"lr\" (torch's name); remove \"learning_rate\"\n"),
        ErrorCase("optimizer-nesterov", exit: 2,
                  "fixtures/errors/optimizer-nesterov.json:6:55: error: optimizer.nesterov: Nesterov momentum requires a momentum > 0 and zero dampening (as torch.optim.SGD does)\n"),
        ErrorCase("optimizer-state-missing", exit: 2,
                  "fixtures/errors/optimizer-state-missing.json:6:42: error: optimizer.state: missing required field \"exp_avg_sq\" (Adam's exp_avg_sq after step 2)\n"),
        ErrorCase("optimizer-state-shape", exit: 2,
                  "fixtures/errors/optimizer-state-shape.json:6:70: error: optimizer.state.sum.W: expected a 1×1 matrix (the shape of W), found 1×2\n"),
        ErrorCase("optimizer-unknown-argument", exit: 2,
                  "fixtures/errors/optimizer-unknown-argument.json:6:45: error: optimizer.momentum: unknown key \"momentum\"; expected one of: type, state, lr, betas, eps, weight_decay, amsgrad, maximize\n"),
        ErrorCase("frozen-part-of-tensor", exit: 2,
                  "fixtures/errors/frozen-part-of-tensor.json:8:13: error: frozen: W.a is part of the tensor weight_ih_l0, which the optimizer steps whole (as torch does): freeze \"weight_ih_l0\" or none of it\n"),
        // Found by `make fuzz`: the size H read from a block that is not a matrix or vector, in
        // the stacked and concatenated layouts, was rejected without a message.
        ErrorCase("stacked-size-unreadable", exit: 2,
                  "fixtures/errors/stacked-size-unreadable.json:3:19: error: weights.U: expected a matrix (a list of rows), found the string \"\"\n"),
        ErrorCase("concat-size-unreadable", exit: 2,
                  "fixtures/errors/concat-size-unreadable.json:3:26: error: weights.b.f: expected an array of numbers, found the string \"softmax\"\n"),
    ]

    /// 25 unknown keys and 3 missing fields: the first 20 are listed, then how many were left out.
    static let tooMany: String = {
        let allowed = "model, description, weights, head, inputs, labels, gradients, loss, learning_rate, initial, notation, optimizer, clip, frozen"
        var s = ""
        var column = 2
        for k in 0..<20 {
            s += "fixtures/errors/too-many.json:1:\(column): error: x\(k): unknown key \"x\(k)\"; expected one of: \(allowed)\n"
            column += "\"x\(k)\": 1, ".count
        }
        return s + "20 errors shown, 8 more not shown; fix these and run again\n"
    }()

    @Test(arguments: cases)
    func exactDiagnostic(_ c: ErrorCase) throws {
        let output = try CLIRunner.run(["run", "fixtures/errors/\(c.name).json"])
        #expect(output.signal == nil)
        #expect(output.status == c.exit, "\(c.name): exit \(output.status)")
        #expect(output.stderr == c.stderr)
        if c.exit == 0 {
            #expect(!output.stdout.isEmpty, "\(c.name): a warning must not stop the report")
        } else {
            #expect(output.stdout.isEmpty, "\(c.name): nothing may reach stdout on failure")
        }
    }

    /// The same spec read from stdin is named <stdin>, at the same place.
    @Test func stdinIsNamed() throws {
        let bytes = try InputFile.read(Fixtures.path("errors/shape-rows.json"))
        let output = try CLIRunner.runBytes(["run", "-"], stdin: bytes)
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "<stdin>:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found 2×2: 2 rows, but hidden size H = 1 (from weights.b.a)\n")
    }

    /// Every file in fixtures/errors has a row in the table, so a new bad spec cannot go unchecked.
    @Test func everyErrorFixtureIsInTheTable() {
        let files = Set(listDirectory(Fixtures.root + "/fixtures/errors").filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
        #expect(files == Set(Self.cases.map(\.name)))
    }
}
