#!/usr/bin/env python3
"""PyTorch float64 reference values for stacked, bidirectional and batched networks.

Writes fixtures/torch-net/case-NN.json: a spec (nn.LSTM / nn.GRU / nn.RNN state dict, a
linear or softmax head, B×T×X inputs, h0/c0) and "expected": the total loss and every gradient
under the calculator's canonical names (dW.a@l1.reverse, dV, ...), from torch.autograd.
Run once with /work/venv-torch/bin/python scripts/torch-reference-net.py; the tool and
`make test` never run it.
"""
import json, os, random
import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "torch-net")
GATES = {"lstm": ["i", "f", "a", "o"], "gru": ["r", "z", "n"]}  # PyTorch's row order, our gate names


def rnd(*shape):
    return (torch.rand(*shape) * 1.6 - 0.8)


def nested(t):
    return [nested(x) for x in t] if t.dim() > 0 else float(t)


def gradient_names(model, H, l, d, g):
    """One layer's and direction's gradients (g: the state dict's four tensors' .grad) under
    the calculator's canonical names at their place (dW.a@l1.reverse)."""
    place = f"@l{l}" + (".reverse" if d else "")
    if model == "rnn":
        return {"dU" + place: nested(g["weight_ih"]), "dW" + place: nested(g["weight_hh"]), "db" + place: nested(g["bias_ih"])}
    out = {}
    for j, gate in enumerate(GATES[model]):
        rows = slice(j * H, (j + 1) * H)
        out[f"dW.{gate}{place}"] = nested(g["weight_ih"][rows])
        out[f"dU.{gate}{place}"] = nested(g["weight_hh"][rows])
        out[f"db.{gate}{place}"] = nested(g["bias_ih"][rows])
        if model == "gru":
            out[f"dbh.{gate}{place}"] = nested(g["bias_hh"][rows])
    return out


def case(k, rng):
    model = ["lstm", "gru", "rnn", "rnn"][k % 4]
    act = "relu" if (model == "rnn" and k % 8 == 3) else "tanh"
    L, D, B = rng.randint(1, 3), rng.choice([1, 2]), rng.randint(1, 4)
    if k < 3:
        L, D, B = [(2, 1, 1), (1, 2, 1), (1, 1, 3)][k]
    X, H, T, K = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 4), rng.randint(1, 3)
    if k >= 16:
        # Large enough for the LSTM's fast kernel (H·(H + X)·T ≥ 4096) in every layer and direction.
        model, L, D, B, X, H, T, K = "lstm", 2, 2, 2, 8, 16, 20, 3
    softmax = k % 3 == 2
    torch.manual_seed(1000 + k)
    if model == "lstm":
        net = torch.nn.LSTM(X, H, num_layers=L, bidirectional=D == 2, batch_first=True)
    elif model == "gru":
        net = torch.nn.GRU(X, H, num_layers=L, bidirectional=D == 2, batch_first=True)
    else:
        net = torch.nn.RNN(X, H, num_layers=L, bidirectional=D == 2, batch_first=True, nonlinearity=act)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(rnd(*p.shape))
    head = torch.nn.Linear(D * H, K)
    with torch.no_grad():
        head.weight.copy_(rnd(K, D * H))
        head.bias.copy_(rnd(K))
    x = rnd(B, T, X)
    h0 = rnd(L * D, B, H)
    c0 = rnd(L * D, B, H)
    out, _ = net(x, (h0, c0)) if model == "lstm" else net(x, h0)
    v = head(out)
    if softmax:
        labels = torch.randint(0, K, (B, T))
        loss = torch.nn.functional.cross_entropy(v.reshape(-1, K), labels.reshape(-1), reduction="sum")
    else:
        labels = rnd(B, T, K)
        loss = ((v - labels) ** 2).sum()
    loss.backward()

    weights = {name: nested(p.detach()) for name, p in net.state_dict().items()}
    if model == "rnn":
        weights["activation"] = act
    spec = {
        "model": model,
        "description": f"reference case {k}: {model} ({act}), {L} layer(s), {'bidirectional' if D == 2 else 'one direction'}, B = {B}",
        "weights": weights,
        "head": {"type": "softmax" if softmax else "linear", "V": nested(head.weight.detach()), "c": nested(head.bias.detach())},
        "inputs": nested(x),
        "labels": nested(labels) if softmax else nested(labels),
        "loss": {"type": "ce", "reduction": "sum"} if softmax else {"type": "l2", "half": False, "reduction": "sum"},
        "learning_rate": 0.1,
        "initial": {"out": nested(h0), **({"state": nested(c0)} if model == "lstm" else {})},
    }
    if softmax:
        spec["labels"] = [[int(c) for c in row] for row in labels]
    expected = {"loss": float(loss)}
    for l in range(L):
        for d in range(D):
            suffix = f"_l{l}" + ("_reverse" if d else "")
            g = {b: getattr(net, b + suffix).grad for b in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]}
            expected.update(gradient_names(model, H, l, d, g))
    expected["dV"] = nested(head.weight.grad)
    expected["dc"] = nested(head.bias.grad)
    write(f"case-{k:02d}", spec, expected)
    if model == "gru" and L > 1 and D == 2:
        # The same network in the per-gate layout: "layers", each {"forward", "reverse"}.
        layers = []
        for l in range(L):
            dirs = []
            for d in range(D):
                suffix = f"_l{l}" + ("_reverse" if d else "")
                sd = {b: getattr(net, b + suffix).detach() for b in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]}
                blocks = {}
                for key, src in [("W", "weight_ih"), ("U", "weight_hh"), ("b", "bias_ih"), ("bh", "bias_hh")]:
                    blocks[key] = {g: nested(sd[src][j * H:(j + 1) * H]) for j, g in enumerate(GATES["gru"])}
                dirs.append(blocks)
            layers.append({"forward": dirs[0], "reverse": dirs[1]})
        per_gate = dict(spec, weights={"layers": layers}, description=spec["description"] + ", per-gate layers")
        write(f"case-{k:02d}-layers", per_gate, expected)


def write(name, spec, expected):
    spec_path = os.path.join(OUT, name + ".json")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
        f.write("\n")
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(15)
    for k in range(17):
        case(k, rng)
    print(f"wrote 17 cases to {os.path.normpath(OUT)} (torch {torch.__version__})")
