import LSTMGrad

/// `lstm-grad help TOPIC`: references that are not a command. A topic is a name, a one-line
/// summary and its text; add one by appending to `helpTopics`.
struct HelpTopic: Sendable {
    var name: String
    var summary: String
    var text: String
}

extension CLI {
    static let helpTopics: [HelpTopic] = [
        HelpTopic(name: "spec", summary: "the spec file format", text: specReference),
    ]

    static let specReference = """
        lstm-grad spec format: one JSON object describing a network, its inputs and its loss.
        Start from 'lstm-grad init' or 'lstm-grad examples gomez'.

        TOP-LEVEL KEYS
          model          "lstm" (default). Picks the cell and how "weights" is read.
          description    free text, ignored by the calculator.
          weights        the cell's parameters (see WEIGHTS).
          inputs         required: the sequence x_0 … x_{T−1}, an array of T vectors of X numbers.
                         T and X are read from it.
          labels         one target per timestep (T entries); see LOSS for their shape.
          gradients      with "loss": "upstream" instead of labels: ∂L/∂y_t for every t.
          head           optional output layer on out_t (see HEAD); without it y_t = out_t.
          loss           "l2" (default), "ce", "bce", "upstream", or an object (see LOSS).
          learning_rate  λ of the SGD step θ ← θ − λ·δθ (default 0.1; a warning if not positive).
          initial        {"out": [H numbers], "state": [H numbers]}: out_{−1} and state_{−1}
                         (default zeros).
          notation       how labels are printed: \(Notation.builtIn.map { "\"\($0.name)\"" }.joined(separator: ", ")) (default "published").

        SHAPES
          A vector is an array of numbers; a 1-vector may be a bare number. A matrix is an array
          of rows; an H×1 or 1×X matrix may be written as one flat array, a 1×1 as a number.
          Every shape is checked and a mismatch is reported as file:line:col with the path
          (e.g. weights.W.a) and the expected size.

        WEIGHTS (model "lstm", per-gate layout)
          {"W": {"a": H×X, "i": H×X, "f": H×X, "o": H×X},
           "U": {"a": H×H, "i": H×H, "f": H×H, "o": H×H},
           "b": {"a": H,   "i": H,   "f": H,   "o": H}}        ("b" optional: zeros)
          a is the candidate (tanh), i, f, o the input, forget and output gates (σ):
            a_t = tanh(W_a·x_t + U_a·out_{t−1} + b_a)     i_t, f_t, o_t likewise with σ
            state_t = a_t ⊙ i_t + f_t ⊙ state_{t−1}       out_t = tanh(state_t) ⊙ o_t
          H is read from b (else from U).

        OTHER LSTM WEIGHT LAYOUTS (converted to per-gate on the way in; the candidate gate may be
        named a, c, C or g; 'lstm-grad init --layout NAME' writes each one)
          seed000       {"Wx": {f, i, o, c}: H×X, "Wh": {…}: H×H, "W0": {…}: H}
          concatenated  {"z": "hx" | "xh", "Wz": {gate: H×(H+X)}, "b": {gate: H}}
                        (z = [h_{t−1}, x_t] for "hx")
          stacked       {"order": "aifo", "W": 4H×X, "U": 4H×H, "b": 4H}, gates stacked in order
          pytorch       {"weight_ih_l0": 4H×X, "weight_hh_l0": 4H×H, "bias_ih_l0": 4H,
                         "bias_hh_l0": 4H}, gate order i, f, g, o, b = bias_ih + bias_hh
          keras         {"kernel": X×4H, "recurrent_kernel": H×4H, "bias": 4H}, order i, f, c, o

        HEAD
          {"type": "none" | "linear" | "sigmoid" | "softmax", "V": K×H, "c": K}   ("c" optional)
            v_t = V·out_t + c;  y_t = v_t (linear), σ(v_t) (sigmoid), softmax(v_t) (softmax).
          "none" takes no V or c.

        LOSS
          "l2"        Σ_t ½‖y_t − label_t‖²; labels are vectors of K (with a head) or H numbers.
          "ce"        cross-entropy; needs a softmax head; labels are class indices 0…K−1 or
                      probability vectors of K.
          "bce"       binary cross-entropy; needs a sigmoid head; labels are vectors of K in [0, 1].
          "upstream"  no loss: "gradients" gives ∂L/∂y_t for every t (e.g. from PyTorch).
          As an object: {"type": "l2", "half": true|false, "reduction": "sum"|"mean"}
          ("half": false drops the ½ of l2; "mean" divides by T).

        EXAMPLE (the published example: lstm-grad examples gomez)
        \(BuiltInExample.named("gomez")?.text ?? "")
        """
}
