/// The spec format, as data: the one source of `lstm-grad help spec` (and of its parts, `help
/// lstm`, `help rnn`, `help gru`, `help layouts`, …), of the man page's SPEC FORMAT section and
/// of docs/spec.md. Renderers (text, markdown, roff) only format these blocks.
///
/// Every example is a complete spec; SpecReferenceTests runs each one through the binary and
/// checks the line it `shows`. A new model adds one `ModelEntry` to `models` (the entries sit
/// here for now; each can move next to its cell as `extension SpecReference { static let … }`).
public enum SpecReference {
    /// One block of reference text.
    public enum Block: Sendable {
        /// A paragraph of prose (renderers wrap it).
        case text(String)
        /// Lines shown exactly as written: equations, shapes.
        case lines([String])
        /// Names (keys or values) and what each means.
        case fields([Field])
        /// A complete spec that runs.
        case example(Example)
    }

    public struct Field: Sendable {
        public var name: String
        public var meaning: String
        public init(_ name: String, _ meaning: String) {
            self.name = name
            self.meaning = meaning
        }
    }

    public struct Example: Sendable {
        /// What the example is, e.g. "a softmax head with class labels".
        public var caption: String
        /// The spec, as it is printed.
        public var json: String
        /// Text that `lstm-grad run` on this spec prints (checked by the tests).
        public var shows: String
        public init(_ caption: String, shows: String, _ json: String) {
            self.caption = caption
            self.json = json
            self.shows = shows
        }
    }

    /// A part of the reference: a heading, a one-line summary and its blocks. `topic` is the
    /// name `lstm-grad help TOPIC` prints it by.
    public struct Section: Sendable {
        public var topic: String
        public var title: String
        public var summary: String
        public var blocks: [Block]
        public init(topic: String, title: String, summary: String, blocks: [Block]) {
            self.topic = topic
            self.title = title
            self.summary = summary
            self.blocks = blocks
        }

        public var examples: [Example] {
            blocks.compactMap { if case .example(let e) = $0 { return e } else { return nil } }
        }
    }

    /// The reference of one `"model"`: its equations, its `weights`, and an example each.
    public struct ModelEntry: Sendable {
        /// The value of `"model"`.
        public var name: String
        public var title: String
        public var summary: String
        public var blocks: [Block]

        public var section: Section { Section(topic: name, title: title, summary: summary, blocks: blocks) }
    }

    /// The title line of the whole reference.
    public static let title = "the spec format: one JSON object describing a network, its inputs and its loss"

    /// Said once, before the sections.
    public static let introduction: [Block] = [
        .text("A spec is one JSON object: the model and its weights, the input sequence, the targets, an optional output head and the loss. 'lstm-grad init' writes one of any size, model, layout, head and loss that runs as is; 'lstm-grad examples' lists complete ones to start from. Every array is checked against the sizes it implies, and a mistake is reported as file:line:column with its JSON path (for example weights.W.a) and what was expected; an unknown key is an error with a \"did you mean\"."),
    ]

    /// Every part, in the order `help spec` prints them.
    public static var sections: [Section] {
        [topLevel, shapes] + models.map(\.section) + [layouts, heads, losses, training, notations, files]
    }

    /// The part named `topic` (`lstm-grad help TOPIC`), if any.
    public static func section(_ topic: String) -> Section? {
        sections.first { $0.topic == topic }
    }

    /// Every example of every part.
    public static var examples: [Example] { sections.flatMap(\.examples) }

    // MARK: - Top-level keys and shapes

    public static let topLevel = Section(topic: "keys", title: "Top-level keys", summary: "what every key of a spec means", blocks: [
        .fields([
            Field("model", "\"lstm\" (the default), \"rnn\" or \"gru\": the cell, and how \"weights\" is read (see the models below)."),
            Field("description", "Free text, ignored by the calculator."),
            Field("weights", "The cell's parameters; their keys depend on the model and, for the LSTM, on the layout. Any array (or the whole weights object) may instead name a safetensors, .npz or .npy file (see Tensor files)."),
            Field("inputs", "Required: the sequence x_0 … x_{T−1}, an array of T vectors of X numbers. T and X are read from it."),
            Field("labels", "One target per timestep (T entries): a vector of K numbers with a head, of H without one; a class index or a probability vector for \"ce\"."),
            Field("gradients", "With \"loss\": \"upstream\", instead of labels: ∂L/∂y_t for every t (for example from PyTorch)."),
            Field("head", "An optional output layer on the cell's output; without it y_t is the cell's output (see Heads)."),
            Field("loss", "\"l2\" (the default), \"ce\", \"bce\", \"upstream\", PyTorch's \"mse\", \"l1\", \"huber\", \"smooth_l1\", \"bce_with_logits\", or an object with the scale (see Losses)."),
            Field("learning_rate", "λ of the SGD step θ ← θ − λ·δθ (default 0.1; a warning when it is not positive). With \"optimizer\" the optimizer's \"lr\" takes its place."),
            Field("optimizer", "A torch.optim optimizer instead of plain SGD: {\"type\": \"sgd\"|\"adagrad\"|\"rmsprop\"|\"adam\"|\"adamw\", torch's arguments…, \"state\": …} (see Training)."),
            Field("clip", "Gradient clipping before each step: {\"max_norm\": M, \"norm_type\": P} (clip_grad_norm_) or {\"value\": V} (clip_grad_value_) (see Training)."),
            Field("frozen", "Parameter blocks not updated: canonical names (\"W.a\", \"V\"), a symbol for all its blocks (\"U\"), or a tensor of the weights' layout (\"weight_hh_l0\") (see Training)."),
            Field("initial", "The initial state, H numbers each: {\"out\": …, \"state\": …} for the LSTM (out_{−1}, state_{−1}), {\"out\": …} (h_{−1}) for the RNN and the GRU. Default zeros."),
            Field("notation", "The symbols of the LSTM's report: " + Notation.builtIn.map { "\"\($0.name)\"" }.joined(separator: ", ") + " (default \"published\"; see Notations)."),
        ]),
    ])

    public static let shapes = Section(topic: "shapes", title: "Shapes", summary: "how vectors and matrices are written", blocks: [
        .text("A vector is an array of numbers; a matrix is an array of rows. As homework writes them, a 1-vector may be a bare number, a 1×1 matrix a number, and a matrix with one row or one column a flat array. H×X means H rows of X numbers. The sizes are read once (T and X from the inputs, H from the weights, K from the head's V) and every other array is checked against them; the error names the size and where it was read."),
    ])

    // MARK: - Models

    /// One entry per value of `"model"`, in the order `help spec` prints them.
    public static let models: [ModelEntry] = [lstm, rnn, gru]

    public static let lstm = ModelEntry(name: "lstm", title: "Model \"lstm\"", summary: "the LSTM of the published example: gates a, i, f, o", blocks: [
        .text("The LSTM as the published example writes it (see 'lstm-grad examples gomez'): a is the candidate (tanh), i, f and o the input, forget and output gates (σ). W_g multiplies the input x_t and U_g the previous output out_{t−1}."),
        .lines([
            "a_t = tanh(W_a·x_t + U_a·out_{t−1} + b_a)     i_t, f_t, o_t: the same with σ",
            "state_t = a_t ⊙ i_t + f_t ⊙ state_{t−1}       out_t = tanh(state_t) ⊙ o_t",
        ]),
        .text("Weights per gate (the default layout; five other layouts are under Weight layouts):"),
        .fields([
            Field("W", "{\"a\": H×X, \"i\": H×X, \"f\": H×X, \"o\": H×X}: the input weights."),
            Field("U", "{\"a\": H×H, …}: the recurrent weights, acting on out_{t−1}."),
            Field("b", "{\"a\": H, …}: the biases (optional: zeros). H is read from b, else from U."),
        ]),
        .text("\"initial\" takes \"out\" and \"state\". The report prints every gate, state and out forward; backward Δ_t (through the loss), Δout_t (through step t+1), δout_t, δstate_t and its two terms, the gate gradients after and before the activation, δx_t; then δW, δU, δb per gate and stacked, and the SGD update."),
        .example(Example("X = 1, H = 1, T = 2, per-gate weights", shows: "LSTM (gates a, i, f, o)   X = 1, H = 1, T = 2", """
            {"model": "lstm",
             "weights": {"W": {"a": 0.5, "i": 0.3, "f": -0.2, "o": 0.1},
                         "U": {"a": 0.4, "i": -0.1, "f": 0.2, "o": 0.3},
                         "b": {"a": 0.1, "i": 0.2, "f": 0.3, "o": -0.1}},
             "inputs": [1.0, 0.5], "labels": [0.2, -0.1]}
            """)),
    ])

    public static let rnn = ModelEntry(name: "rnn", title: "Model \"rnn\"", summary: "the vanilla RNN h_t = act(W·h_{t−1} + U·x_t + b)", blocks: [
        .lines(["h_t = act(W·h_{t−1} + U·x_t + b)"]),
        .text("Written as the vanilla RNN BPTT sheet writes it, so that its numbers can be typed in as printed: here W is the recurrent H×H matrix and U the H×X input matrix, the opposite of the LSTM's W_g (input) and U_g (recurrent). It is also the W whose eigenvalues 'lstm-grad analyze' studies."),
        .fields([
            Field("activation", "\"sigmoid\" (the default, σ as in the sheet), \"tanh\" or \"relu\". 'lstm-grad init --model rnn' writes it explicitly, with the same default."),
            Field("W", "H×H: the recurrent weights, acting on h_{t−1}. H is read from its rows."),
            Field("U", "H×X: the input weights, acting on x_t."),
            Field("b", "H: the bias (optional: without it the cell has no bias and none is learned, as in the sheet)."),
        ]),
        .text("Or, instead of W, U and b, PyTorch's nn.RNN state dict: weight_ih_l0 (H×X, the U above), weight_hh_l0 (H×H, the W above), bias_ih_l0 and bias_hh_l0 (H each, optional; b = bias_ih_l0 + bias_hh_l0, and without either the cell has no bias). With a state dict \"activation\" defaults to \"tanh\", nn.RNN's nonlinearity. Gradients and updated parameters are then also given in the state dict's names, and --write-updated writes the state dict back."),
        .text("\"initial\" takes only \"out\" (h_{−1}). The report prints z_t (the pre-activation) and h_t forward; backward it splits δh_t into the loss term Δ_t and the recurrent term Δh_t = Wᵀ·δz_{t+1}, then δz_t = δh_t ⊙ act′(z_t), δx_t and Δh_{t−1}; then δW, δU, δb summed over t and the SGD update."),
        .example(Example("X = 1, H = 2, T = 2, tanh, with a bias", shows: "RNN h_t = tanh(W·h_{t−1} + U·x_t + b)   X = 1, H = 2, T = 2", """
            {"model": "rnn",
             "weights": {"activation": "tanh",
                         "W": [[0.5, -0.2], [0.1, 0.4]], "U": [[1.0], [-0.5]], "b": [0.1, 0]},
             "inputs": [1.0, 0.5], "labels": [[0.2, -0.1], [0.1, 0.3]]}
            """)),
        .example(Example("the same RNN as nn.RNN's state dict", shows: "weight_hh_l0", """
            {"model": "rnn",
             "weights": {"weight_ih_l0": [[1.0], [-0.5]], "weight_hh_l0": [[0.5, -0.2], [0.1, 0.4]],
                         "bias_ih_l0": [0.05, 0], "bias_hh_l0": [0.05, 0]},
             "inputs": [1.0, 0.5], "labels": [[0.2, -0.1], [0.1, 0.3]]}
            """)),
    ])

    public static let gru = ModelEntry(name: "gru", title: "Model \"gru\"", summary: "the GRU with gates r, z, n, in PyTorch's or the other convention", blocks: [
        .text("PyTorch's gates r (reset), z (update) and n (new); as in the LSTM, W acts on the input and U on h_{t−1}, and there are two biases per gate:"),
        .lines([
            "r_t = σ(W_r·x_t + b_r + U_r·h_{t−1} + bh_r)     z_t: the same with W_z, b_z, U_z, bh_z",
            "n_t = tanh(W_n·x_t + b_n + r_t ⊙ (U_n·h_{t−1} + bh_n))",
        ]),
        .text("The update h_t depends on the convention, given in \"weights\":"),
        .fields([
            Field("convention", "\"pytorch\" (the default, as nn.GRU): h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}. \"z_new\": h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}. The two are mirror images (z ↔ 1 − z)."),
            Field("W", "{\"r\": H×X, \"z\": H×X, \"n\": H×X}: PyTorch's W_ir, W_iz, W_in."),
            Field("U", "{\"r\": H×H, …}: PyTorch's W_hr, W_hz, W_hn. H is read from U."),
            Field("b", "{\"r\": H, …}: PyTorch's b_i· (optional: zeros)."),
            Field("bh", "{\"r\": H, …}: PyTorch's b_h· (optional: zeros); bh_n sits inside r ⊙ (…)."),
        ]),
        .text("Or, instead of W, U, b and bh, PyTorch's nn.GRU state dict: weight_ih_l0 (3H×X, rows r, z, n), weight_hh_l0 (3H×H), bias_ih_l0 and bias_hh_l0 (3H, optional); the gradients and the updated parameters are then also given in the state dict's names, and --write-updated writes the state dict back. \"initial\" takes only \"out\" (h_{−1}). The report prints r, z, hn = U_n·h_{t−1} + bh_n, n and h forward; backward ∂L/∂n, ∂L/∂z, ∂L/∂r, every δ of a pre-activation, δhn = δn ⊙ r, δx and Δh_{t−1}; the gradients per gate and again in the state-dict layout."),
        .example(Example("per gate, PyTorch's convention", shows: "GRU (gates r, z, n; h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1})", """
            {"model": "gru",
             "weights": {"W": {"r": 0.5, "z": -0.3, "n": 0.8},
                         "U": {"r": 0.2, "z": 0.4, "n": -0.6},
                         "b": {"r": 0.1, "z": 0, "n": 0.2}, "bh": {"r": 0, "z": 0.1, "n": -0.1}},
             "inputs": [1.0, 0.5], "labels": [0.2, -0.1]}
            """)),
        .example(Example("the same network as a state dict, in the other convention", shows: "GRU (gates r, z, n; h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1})", """
            {"model": "gru",
             "weights": {"convention": "z_new",
                         "weight_ih_l0": [[0.5], [-0.3], [0.8]], "weight_hh_l0": [[0.2], [0.4], [-0.6]],
                         "bias_ih_l0": [0.1, 0, 0.2], "bias_hh_l0": [0, 0.1, -0.1]},
             "inputs": [1.0, 0.5], "labels": [0.2, -0.1]}
            """)),
    ])

    // MARK: - LSTM weight layouts

    /// The tail every layout example shares: the network of the "lstm" example.
    static let layoutTail = "\"inputs\": [1.0, 0.5], \"labels\": [0.2, -0.1]}"

    public static let layouts = Section(topic: "layouts", title: "Weight layouts of the LSTM", summary: "the six ways an LSTM's weights can be written, and the peephole LSTM's", blocks: [
        .text("Sheets, tutorials and frameworks write the same LSTM differently. The layout is recognised from the keys of \"weights\", converted once to per-gate W_g, U_g, b_g, and the gradients and updated parameters are given back in it as well ('lstm-grad init --layout NAME' writes each one; --write-updated keeps it). In a gate object the candidate may be called a, c, C or g. Every example below is the network of the \"lstm\" example ('lstm-grad help lstm') and gives the same numbers."),
        .fields([
            Field("per-gate", "{\"W\": {gate: H×X}, \"U\": {gate: H×H}, \"b\": {gate: H}}, as the published example; b optional."),
            Field("seed000", "{\"Wx\": {gate: H×X}, \"Wh\": {gate: H×H}, \"W0\": {gate: H}}: the names W^{xg}, W^{hg}, W^g_0 of the univariate LSTM sheet; the candidate is c."),
            Field("concatenated", "{\"z\": \"hx\" or \"xh\", \"Wz\": {gate: H×(H+X)}, \"b\": {gate: H}}: each gate acts on z = [h_{t−1}, x_t] (\"hx\") or [x_t, h_{t−1}] (\"xh\"), as the softmax sheet does; b optional."),
            Field("stacked", "{\"order\": \"aifo\", \"W\": 4H×X, \"U\": 4H×H, \"b\": 4H}: the gate blocks of H rows stacked in the declared order (a string such as \"ifgo\", or an array [\"i\", \"f\", \"c\", \"o\"]; required), as in the stacked-form question z = [W U]·[x; h]; b optional."),
            Field("pytorch", "{\"weight_ih_l0\": 4H×X, \"weight_hh_l0\": 4H×H, \"bias_ih_l0\": 4H, \"bias_hh_l0\": 4H}: nn.LSTM's state dict, gate order i, f, g, o; b = bias_ih_l0 + bias_hh_l0, both optional. One SGD step moves the effective bias by 2λ·δb."),
            Field("keras", "{\"kernel\": X×4H, \"recurrent_kernel\": H×4H, \"bias\": 4H}: a Keras LSTM layer, gate order i, f, c, o, rows of the row-vector convention z = x·kernel + h·recurrent_kernel + bias; bias optional."),
            Field("peephole", "the per-gate layout with \"peepholes\": {\"i\": H, \"f\": H, \"o\": H}: the peephole LSTM (Gers & Schmidhuber 2000, as in Greff et al., \"LSTM: A Search Space Odyssey\", 2015), i_t = σ(W_i·x_t + U_i·out_{t−1} + p_i ⊙ state_{t−1} + b_i), f_t likewise with p_f, o_t = σ(W_o·x_t + U_o·out_{t−1} + p_o ⊙ state_t + b_o); its gradients are dp.i, dp.f, dp.o and the updated p.i' …; without \"peepholes\" the cell is the plain LSTM."),
        ]),
        .example(Example("seed000: the univariate LSTM sheet's names", shows: "weights: seed000 layout", """
            {"weights": {"Wx": {"f": -0.2, "i": 0.3, "o": 0.1, "c": 0.5},
                         "Wh": {"f": 0.2, "i": -0.1, "o": 0.3, "c": 0.4},
                         "W0": {"f": 0.3, "i": 0.2, "o": -0.1, "c": 0.1}},
             \(layoutTail)
            """)),
        .example(Example("concatenated, z = [h_{t−1}, x_t]", shows: "weights: concatenated [h, x] layout", """
            {"weights": {"z": "hx",
                         "Wz": {"f": [0.2, -0.2], "i": [-0.1, 0.3], "C": [0.4, 0.5], "o": [0.3, 0.1]},
                         "b": {"f": 0.3, "i": 0.2, "C": 0.1, "o": -0.1}},
             \(layoutTail)
            """)),
        .example(Example("stacked, in PyTorch's order i, f, g, o", shows: "weights: stacked (order i, f, g, o) layout", """
            {"weights": {"order": "ifgo",
                         "W": [[0.3], [-0.2], [0.5], [0.1]], "U": [[-0.1], [0.2], [0.4], [0.3]],
                         "b": [0.2, 0.3, 0.1, -0.1]},
             \(layoutTail)
            """)),
        .example(Example("a PyTorch state dict (the two biases add up)", shows: "weights: pytorch layout", """
            {"weights": {"weight_ih_l0": [[0.3], [-0.2], [0.5], [0.1]],
                         "weight_hh_l0": [[-0.1], [0.2], [0.4], [0.3]],
                         "bias_ih_l0": [0.1, 0.1, 0.05, -0.05], "bias_hh_l0": [0.1, 0.2, 0.05, -0.05]},
             \(layoutTail)
            """)),
        .example(Example("a Keras layer", shows: "weights: keras layout", """
            {"weights": {"kernel": [[0.3, -0.2, 0.5, 0.1]], "recurrent_kernel": [[-0.1, 0.2, 0.4, 0.3]],
                         "bias": [0.2, 0.3, 0.1, -0.1]},
             \(layoutTail)
            """)),
        .example(Example("the peephole LSTM", shows: "LSTM with peepholes (gates a, i, f, o; p_i, p_f, p_o)", """
            {"weights": {"W": {"a": 0.5, "i": 0.3, "f": -0.2, "o": 0.1},
                         "U": {"a": 0.4, "i": -0.1, "f": 0.2, "o": 0.3},
                         "b": {"a": 0.1, "i": 0.2, "f": 0.3, "o": -0.1},
                         "peepholes": {"i": 0.2, "f": -0.3, "o": 0.4}},
             \(layoutTail)
            """)),
        .text("The GRU takes its weights per gate or as PyTorch's state dict (see Model \"gru\"); the RNN has one layout."),
    ])

    // MARK: - Heads, losses, notations

    /// The base of the head and loss examples: a scalar RNN (X = H = 1, T = 2).
    static let smallRNN = "{\"model\": \"rnn\", \"weights\": {\"W\": 0.5, \"U\": 1.0}, \"inputs\": [1.0, 0.5],"

    public static let heads = Section(topic: "heads", title: "Heads", summary: "the optional output layer on the cell's output", blocks: [
        .text("\"head\": {\"type\": …, \"V\": K×H, \"c\": K} puts an output layer on the cell's output h_t (out_t for the LSTM): v_t = V·h_t + c, then y_t from v_t. c is optional (zeros); K is read from V's rows. The report prints v_t and y_t forward, ∂L/∂y_t (dy) and ∂L/∂v_t (dv) backward, δV, δc and their update. Any head works on any model."),
        .fields([
            Field("none", "y_t = h_t (the default; takes no V or c)."),
            Field("linear", "y_t = v_t."),
            Field("sigmoid", "y_t = σ(v_t), as the univariate LSTM sheet's output; goes with \"bce\" (or \"l2\")."),
            Field("softmax", "ŷ_t = softmax(v_t); goes with \"ce\" (or \"l2\"), as the softmax sheet's characters."),
        ]),
        .example(Example("a linear head with K = 2 outputs", shows: "head: linear (2 outputs)",
                         smallRNN + "\n \"head\": {\"type\": \"linear\", \"V\": [[0.8], [-0.4]], \"c\": [0.1, 0]},\n \"labels\": [[0.2, -0.1], [0.1, 0.3]]}")),
        .example(Example("a sigmoid head with binary cross-entropy", shows: "head: sigmoid (1 outputs)",
                         smallRNN + "\n \"head\": {\"type\": \"sigmoid\", \"V\": [[0.8]]}, \"loss\": \"bce\",\n \"labels\": [1, 0]}")),
        .example(Example("a softmax head over 3 classes, labels as class indices", shows: "head: softmax (3 outputs)",
                         smallRNN + "\n \"head\": {\"type\": \"softmax\", \"V\": [[0.8], [-0.4], [0.3]]}, \"loss\": \"ce\",\n \"labels\": [2, 0]}")),
    ])

    public static let losses = Section(topic: "losses", title: "Losses", summary: "the loss and its scale", blocks: [
        .text("\"loss\" is a name, or an object {\"type\": NAME, \"half\": true|false, \"reduction\": \"sum\"|\"mean\", \"delta\": δ, \"beta\": β}; the scale is explicit because a factor 2 or 1/T is the usual reason two implementations disagree, and the report's header states the formula and the count it divides by. \"half\": false drops the ½ of l2; \"reduction\": \"mean\" divides the sum by B·T (l2, ce, bce: over the timesteps of the B sequences, B = 1) or, for PyTorch's elementwise losses (mse, l1, huber, smooth_l1, bce_with_logits), by B·T·K, every element, as torch.nn does; those default to \"mean\", the others to \"sum\"."),
        .fields([
            Field("l2", "L = Σ_t ½‖y_t − label_t‖² (the default); labels are vectors of K numbers (H without a head)."),
            Field("ce", "Cross-entropy (also \"cross_entropy\"), −Σ_k label_tk·log ŷ_tk from the log-softmax; needs a softmax head; labels are class indices 0…K−1 or probability vectors of K."),
            Field("bce", "Binary cross-entropy (also \"binary_cross_entropy\"), −Σ_k [label·log y + (1 − label)·log(1 − y)]; needs a sigmoid head; labels are vectors of K numbers in [0, 1]."),
            Field("mse", "nn.MSELoss(): (1/(B·T·K)) Σ_t Σ_k (y_tk − label_tk)², no ½; \"reduction\": \"sum\" sums. ∂L/∂y_t = 2·(y_t − label_t)/N."),
            Field("l1", "nn.L1Loss(): the mean of |y_tk − label_tk|; ∂L/∂y_t = sign(y_t − label_t)/N (sign(0) = 0, as torch)."),
            Field("huber", "nn.HuberLoss(delta=δ): ½d² where |d| ≤ δ, else δ·(|d| − ½δ), d = y − label; \"delta\" > 0, default 1. ∂L/∂y_t = clamp(d, −δ, δ)/N."),
            Field("smooth_l1", "nn.SmoothL1Loss(beta=β): ½d²/β where |d| < β, else |d| − ½β; \"beta\" ≥ 0, default 1 (0 is the L1 loss). ∂L/∂y_t = clamp(d, −β, β)/(β·N)."),
            Field("bce_with_logits", "nn.BCEWithLogitsLoss() on a linear head's logits y: softplus(y) − label·y per element; labels in [0, 1]. ∂L/∂y_t = (σ(y_t) − label_t)/N."),
            Field("upstream", "No loss: \"gradients\" gives ∂L/∂y_t for every t (the univariate LSTM sheet's ∇y_t; Δ_t without a head); the loss the report prints is the linear surrogate Σ_t ∇y_t·y_t."),
        ]),
        .example(Example("l2 without the ½, averaged over t", shows: "loss: L = (1/T) Σ_t ‖y_t − label_t‖²",
                         smallRNN + "\n \"loss\": {\"type\": \"l2\", \"half\": false, \"reduction\": \"mean\"},\n \"labels\": [0.2, -0.1]}")),
        .example(Example("cross-entropy against probability vectors", shows: "loss: L = Σ_t −Σ_k label_tk · log ŷ_tk",
                         smallRNN + "\n \"head\": {\"type\": \"softmax\", \"V\": [[0.8], [-0.4], [0.3]]}, \"loss\": \"ce\",\n \"labels\": [[0.1, 0.2, 0.7], [1, 0, 0]]}")),
        .example(Example("gradients given from upstream", shows: "loss: L = given ∂L/∂y_t",
                         smallRNN + "\n \"loss\": \"upstream\", \"gradients\": [0.5, -1.0]}")),
        .example(Example("nn.MSELoss() on a linear head with K = 2: the mean over B·T·K = 4 elements", shows: "N = B·T·K = 1·2·2 = 4",
                         smallRNN + "\n \"head\": {\"type\": \"linear\", \"V\": [[0.8], [-0.4]]}, \"loss\": \"mse\",\n \"labels\": [[0.2, -0.1], [0.1, 0.3]]}")),
        .example(Example("nn.L1Loss(reduction=\"sum\")", shows: "nn.L1Loss(reduction=\"sum\")",
                         smallRNN + "\n \"loss\": {\"type\": \"l1\", \"reduction\": \"sum\"},\n \"labels\": [0.2, -0.1]}")),
        .example(Example("nn.HuberLoss(delta=0.5)", shows: "δ = 0.5",
                         smallRNN + "\n \"loss\": {\"type\": \"huber\", \"delta\": 0.5},\n \"labels\": [2.0, -1.0]}")),
        .example(Example("nn.SmoothL1Loss(beta=0.5)", shows: "β = 0.5",
                         smallRNN + "\n \"loss\": {\"type\": \"smooth_l1\", \"beta\": 0.5},\n \"labels\": [2.0, -1.0]}")),
        .example(Example("nn.BCEWithLogitsLoss() on a linear head", shows: "nn.BCEWithLogitsLoss",
                         smallRNN + "\n \"head\": {\"type\": \"linear\", \"V\": [[0.8]]}, \"loss\": \"bce_with_logits\",\n \"labels\": [1, 0]}")),
    ])

    public static let training = Section(topic: "training", title: "Training", summary: "torch.optim's optimizers, gradient clipping, frozen blocks", blocks: [
        .text("Without \"optimizer\" the update is plain SGD at \"learning_rate\". \"optimizer\": {\"type\": NAME, …} replaces it by torch.optim's optimizer of that name, step for step, with torch's argument names and defaults (\"lr\" replaces \"learning_rate\"); 'run' reports the parameters after one step and the optimizer's state after it, 'run --steps N' replays N steps, and '--write-updated' writes the parameters and the state, so that a rerun continues the same training exactly."),
        .fields([
            Field("sgd", "torch.optim.SGD: \"lr\" (0.001), \"momentum\" (0), \"dampening\" (0), \"nesterov\" (false; needs momentum > 0 and dampening 0), \"weight_decay\" (0), \"maximize\" (false). State: momentum_buffer when momentum ≠ 0."),
            Field("adagrad", "torch.optim.Adagrad: \"lr\" (0.01), \"lr_decay\" (0), \"weight_decay\" (0), \"initial_accumulator_value\" (0), \"eps\" (1e-10), \"maximize\". State: sum."),
            Field("rmsprop", "torch.optim.RMSprop: \"lr\" (0.01), \"alpha\" (0.99), \"eps\" (1e-8), \"weight_decay\" (0), \"momentum\" (0), \"centered\" (false), \"maximize\". State: square_avg, momentum_buffer when momentum > 0, grad_avg when centered."),
            Field("adam", "torch.optim.Adam: \"lr\" (0.001), \"betas\" ([0.9, 0.999]), \"eps\" (1e-8), \"weight_decay\" (0, added to the gradient), \"amsgrad\" (false), \"maximize\". State: exp_avg, exp_avg_sq, max_exp_avg_sq with amsgrad."),
            Field("adamw", "torch.optim.AdamW: as Adam, with \"weight_decay\" (0.01) decoupled: θ ← θ·(1 − lr·weight_decay) before the Adam step."),
        ]),
        .text("\"state\": {\"step\": N, BUFFER: {BLOCK: value, …}, …} is the optimizer's state after N steps, each buffer given for every trained tensor in its shape: a block under its canonical name (\"W.a\", \"U.f\", \"V\", \"c\"), or, for weights given as a PyTorch state dict, each of the state dict's tensors under its own name (\"weight_ih_l0\", \"bias_ih_l0\", \"bias_hh_l0\"), as torch's optimizer.state_dict() keeps it per parameter; 'run --write-updated' writes it. Without it the optimizer starts at step 0, as a new torch optimizer does."),
        .text("\"clip\": {\"max_norm\": M, \"norm_type\": P} scales every gradient by min(1, M/(‖g‖_P + 1e−6)) before each step, ‖g‖_P over all trained blocks together (P a number > 0, default 2, or \"inf\" for the largest |g|), as torch.nn.utils.clip_grad_norm_; {\"value\": V} clamps each gradient entry to [−V, V], as clip_grad_value_. Clipping applies to plain SGD too."),
        .text("\"frozen\": [\"W.a\", \"U\", …] lists blocks that are not updated (requires_grad=False in torch): they take no step, keep no state and do not count in the clipping norm. A symbol alone (\"U\", \"b\") freezes all its blocks, a tensor of the weights' layout (\"weight_hh_l0\", \"kernel\") the blocks it holds; PyTorch's two LSTM biases are frozen together or not at all, and a state dict's tensor whole (not one gate's rows of it)."),
        .text("A stacked, bidirectional or batched network trains the same way over every parameter of the network: the clipping norm is taken over all layers, directions and the head together (clip_grad_norm_(model.parameters(), …)); \"frozen\" takes a block at its place (\"W.a@l1.reverse\"), a symbol for that block in every layer and direction (\"U\"), or a tensor of the state dict (\"weight_hh_l1_reverse\"); the optimizer's state names each block at its place (\"exp_avg\": {\"W.a@l1.reverse\": …}), or each tensor of a state dict (\"exp_avg\": {\"weight_ih_l1_reverse\": …}). 'run --steps N' trains the whole batch and --write-updated writes the network back in its layout with the state."),
        .text("PyTorch's LSTM and RNN state dicts store the bias twice (bias_ih_l0, bias_hh_l0; b = b_ih + b_hh): each copy is trained as a tensor of its own, as in torch: both receive the gradient δb, each takes its own step with its own state and its own weight decay, and the bias of the next pass is their sum; the clipping norm counts both. --write-updated writes each copy as trained, so a rerun continues bit for bit."),
        .example(Example("Adam with amsgrad and clipping by the global norm", shows: "torch.optim.Adam(lr=0.01, amsgrad=True)",
                         smallRNN + "\n \"labels\": [0.2, -0.1],\n \"optimizer\": {\"type\": \"adam\", \"lr\": 0.01, \"amsgrad\": true},\n \"clip\": {\"max_norm\": 0.5}}")),
        .example(Example("AdamW continuing from its state after one step", shows: "Optimizer state after step 2",
                         smallRNN + "\n \"labels\": [0.2, -0.1],\n \"optimizer\": {\"type\": \"adamw\", \"lr\": 0.01, \"betas\": [0.8, 0.99],\n   \"state\": {\"step\": 1, \"exp_avg\": {\"W\": 0.02, \"U\": -0.01}, \"exp_avg_sq\": {\"W\": 0.0004, \"U\": 0.0001}}}}")),
        .example(Example("SGD with Nesterov momentum, the recurrent weight frozen", shows: "frozen: W",
                         smallRNN + "\n \"labels\": [0.2, -0.1],\n \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1, \"momentum\": 0.9, \"nesterov\": true},\n \"frozen\": [\"W\"]}")),
        .example(Example("Adagrad with gradients clamped to [−1, 1] (seed 002's training)", shows: "clip_grad_value_(params, clip_value=1)",
                         smallRNN + "\n \"labels\": [0.2, -0.1],\n \"optimizer\": {\"type\": \"adagrad\", \"lr\": 0.1},\n \"clip\": {\"value\": 1}}")),
        .example(Example("centered RMSprop with momentum, clipped in the ∞-norm", shows: "norm_type=inf",
                         smallRNN + "\n \"labels\": [0.2, -0.1],\n \"optimizer\": {\"type\": \"rmsprop\", \"momentum\": 0.5, \"centered\": true},\n \"clip\": {\"max_norm\": 0.1, \"norm_type\": \"inf\"}}")),
    ])

    public static let files = Section(topic: "files", title: "Tensor files", summary: "weights, inputs and labels from safetensors, .npz and .npy files", blocks: [
        .text("Any array of a spec (a weight block, the inputs, the labels, the head's V and c), or the whole weights object, may name a file that PyTorch or NumPy wrote instead of listing numbers: safetensors (safetensors.torch.save_file(model.state_dict(), …)), .npz (numpy.savez, numpy.savez_compressed) or .npy (numpy.save). The path is relative to the spec's directory. float32 and float64 little-endian tensors in C order are read, and computed in float64; the report's header says which members came from which file and when they were float32. Any other dtype, a big-endian or Fortran-order array, a truncated or corrupt file (a zip member whose CRC-32 fails) is an error naming the file, the tensor, what was expected and what was found (exit 2). --write-updated writes every number inline."),
        .fields([
            Field("file", "The file, e.g. {\"file\": \"x.npy\"}: an .npy file stands for its one array."),
            Field("key", "One array of an .npz or safetensors file, by name: {\"file\": \"data.npz\", \"key\": \"x\"}."),
            Field("prefix", "Without \"key\": an object of every array whose name starts with the prefix, the prefix dropped, e.g. \"weights\": {\"file\": \"model.safetensors\", \"prefix\": \"lstm.\"} for an nn.LSTM saved inside a module. Other members beside it are kept (\"convention\", \"activation\")."),
        ]),
    ])

    public static let notations = Section(topic: "notations", title: "Notations", summary: "the symbols the LSTM's report prints", blocks: [
        .text("\"notation\" picks the symbols of the LSTM's report, so that it reads like the sheet it comes from. The canonical names (JSON output, answers files) never change; each notation adds aliases for answers files, and an answers file may also use the labels the report prints (δout_0, ∇W^hi). The stacked vectors δgates_t, z_t, I_t, δI_t are answerable in every notation. The RNN and the GRU print their own symbols (h, z, r, n) whatever the notation."),
        .fields([
            Field("published", "The published example's: a, i, f, o, state, out, Δ, δ (the default), and δgates_t = [δa_t; δi_t; δf_t; δo_t] as the example stacks them. Aliases C → state, h → out."),
            Field("colah", "The univariate LSTM sheet's (after colah's blog): C̃, C, h, ∇; a gate's pre-activation is z^g, so ∇z^i is δi. Aliases Ctilde, C, h, grad_h, grad_C, grad_i, …"),
            Field("hat", "The stacked-form question's: c, h, δh, and a hat for a pre-activation (δî is δi); the stacked vectors I_t = [x_t; h_{t−1}], z_t = [â_t; î_t; f̂_t; ô_t], δz_t and δI_t = [δx_t; Δh_{t−1}] are printed too. Aliases c → state, h → out, delta_z → delta_gates."),
        ]),
        .example(Example("the \"lstm\" example in colah's symbols", shows: "C̃_0", """
            {"notation": "colah",
             "weights": {"W": {"a": 0.5, "i": 0.3, "f": -0.2, "o": 0.1},
                         "U": {"a": 0.4, "i": -0.1, "f": 0.2, "o": 0.3}},
             \(layoutTail)
            """)),
        .example(Example("the \"lstm\" example with hats", shows: "δî_1", """
            {"notation": "hat",
             "weights": {"W": {"a": 0.5, "i": 0.3, "f": -0.2, "o": 0.1},
                         "U": {"a": 0.4, "i": -0.1, "f": 0.2, "o": 0.3}},
             \(layoutTail)
            """)),
    ])
}
