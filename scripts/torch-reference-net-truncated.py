#!/usr/bin/env python3
"""PyTorch float64 reference values for `--no-recurrent-terms` on stacked, bidirectional and
batched networks: the truncated gradient, in which every layer's and direction's own recurrent
inputs (h_{t-1}, and c_{t-1} for the LSTM; h_{t+1}, c_{t+1} in the reverse direction) are
constants (`.detach()`), while layer l+1 still reads layer l's outputs (so Δ_t from the layer
above, through δx_t, flows) and the head reads the top layer's.

The cells are written out with torch ops in PyTorch's own equations; without the detach they
reproduce nn.LSTM / nn.GRU / nn.RNN's gradients (asserted below), so the only change is the
stopped recurrence. Writes fixtures/torch-net-truncated/NAME.json (a spec: the state dict,
linear head, B×T×X inputs, h0/c0) and NAME.expected.json (the loss and every truncated gradient
under the calculator's canonical names). Run once with
/work/venv-torch/bin/python scripts/torch-reference-net-truncated.py; the tool and
`make test` never run it.
"""
import importlib.util, os
import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "torch-net-truncated")
# The canonical names of a layer's and direction's gradients, as scripts/torch-reference-net.py writes them.
_spec = importlib.util.spec_from_file_location("reference", os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch-reference-net.py"))
REFERENCE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REFERENCE)
REFERENCE.OUT = OUT  # its write() puts the spec and the expected values there


def nested(t):
    return [nested(x) for x in t] if t.dim() > 0 else float(t)


def step(model, act, p, x, h, c):
    """One step of PyTorch's cell; p: the state dict's four tensors of one layer and direction."""
    wi, wh, bi, bh = p
    if model == "lstm":
        i, f, g, o = (x @ wi.T + bi + h @ wh.T + bh).chunk(4, -1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    if model == "gru":
        xr, xz, xn = (x @ wi.T + bi).chunk(3, -1)
        hr, hz, hn = (h @ wh.T + bh).chunk(3, -1)
        r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
        n = torch.tanh(xn + r * hn)
        return (1 - z) * n + z * h, c
    z = x @ wi.T + bi + h @ wh.T + bh
    return (torch.tanh(z) if act == "tanh" else torch.relu(z)), c


def forward(model, act, params, x, h0, c0, L, D, truncated):
    """The network's top output, B×T×D·H; `truncated`: each step's recurrent inputs detached."""
    B, T, _ = x.shape
    inp = x
    for l in range(L):
        outs = []
        for d in range(D):
            p = params[(l, d)]
            h, c = h0[2 * l + d if D == 2 else l], c0[2 * l + d if D == 2 else l]
            seq = [None] * T
            for t in (range(T - 1, -1, -1) if d else range(T)):
                if truncated:
                    h, c = h.detach(), c.detach()
                h, c = step(model, act, p, inp[:, t], h, c)
                seq[t] = h
            outs.append(torch.stack(seq, 1))
        inp = torch.cat(outs, -1)
    return inp


def case(name, model, act, L, D, B, T, X, H, K, seed):
    torch.manual_seed(seed)
    kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[model]
    extra = {"nonlinearity": act} if model == "rnn" else {}
    net = kind(X, H, num_layers=L, bidirectional=D == 2, batch_first=True, **extra)
    with torch.no_grad():
        for q in net.parameters():
            q.copy_(torch.rand(*q.shape) * 1.6 - 0.8)
    V, cb = torch.rand(K, D * H) * 1.6 - 0.8, torch.rand(K) * 1.6 - 0.8
    x = torch.rand(B, T, X) * 1.6 - 0.8
    h0, c0 = torch.rand(L * D, B, H) * 1.6 - 0.8, torch.rand(L * D, B, H) * 1.6 - 0.8
    labels = torch.rand(B, T, K) * 1.6 - 0.8
    keys = lambda l, d: [f"{b}_l{l}" + ("_reverse" if d else "") for b in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]]

    def run(truncated):
        params = {(l, d): [getattr(net, k).detach().clone().requires_grad_() for k in keys(l, d)] for l in range(L) for d in range(D)}
        head = [V.clone().requires_grad_(), cb.clone().requires_grad_()]
        top = forward(model, act, params, x, h0, c0, L, D, truncated)
        loss = ((top @ head[0].T + head[1] - labels) ** 2).sum()
        loss.backward()
        return loss, params, head

    # Without the detach the written-out cells are nn.LSTM/GRU/RNN.
    full, fp, fh = run(False)
    out, _ = net(x, (h0, c0)) if model == "lstm" else net(x, h0)
    ref = ((out @ V.T + cb - labels) ** 2).sum()
    ref.backward()
    assert abs(float(full.detach() - ref.detach())) < 1e-12
    for (l, d), ps in fp.items():
        for k, q in zip(keys(l, d), ps):
            assert torch.allclose(q.grad, getattr(net, k).grad, rtol=1e-12, atol=1e-13), k
    loss, params, head = run(True)

    weights = {k: nested(v.detach()) for k, v in net.state_dict().items()}
    if model == "rnn":
        weights["activation"] = act
    spec = {
        "model": model,
        "description": f"truncated-gradient reference {name}: nn.{kind.__name__}({X}, {H}, num_layers={L}"
                       + (", bidirectional=True" if D == 2 else "") + f") with nn.Linear({D * H}, {K}), B = {B}, T = {T}",
        "weights": weights,
        "head": {"type": "linear", "V": nested(V), "c": nested(cb)},
        "inputs": nested(x),
        "labels": nested(labels),
        "loss": {"type": "l2", "half": False, "reduction": "sum"},
        "learning_rate": 0.1,
        "initial": {"out": nested(h0), **({"state": nested(c0)} if model == "lstm" else {})},
    }
    expected = {"loss": float(loss.detach())}
    for (l, d), ps in params.items():
        expected.update(REFERENCE.gradient_names(model, H, l, d, dict(zip(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], [q.grad for q in ps]))))
    expected["dV"] = nested(head[0].grad)
    expected["dc"] = nested(head[1].grad)
    gap = sum(float(((a.grad - b.grad) ** 2).sum()) for k in params for a, b in zip(params[k], fp[k]))
    print(f"{name}: loss {float(loss.detach()):.12g}, ‖truncated − full‖ over the cells' blocks = {gap ** 0.5:.6g}")
    REFERENCE.write(name, spec, expected)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("lstm-2l-bi-b2", "lstm", "tanh", 2, 2, 2, 3, 2, 2, 1, 1501)
    case("gru-2l-bi-b2", "gru", "tanh", 2, 2, 2, 3, 2, 2, 2, 1502)
    case("rnn-relu-3l-b3", "rnn", "relu", 3, 1, 3, 4, 3, 2, 2, 1503)
    case("rnn-tanh-2l-bi-b1", "rnn", "tanh", 2, 2, 1, 4, 2, 3, 1, 1504)
    print(f"wrote 4 cases to {os.path.normpath(OUT)} (torch {torch.__version__})")
