#!/usr/bin/env python3
"""The PyTorch program an engineer might write instead of lstm-grad: the same spec JSON, the same
math as bench/reference_numpy.py (LSTM gates a, i, f, o; L2 loss with ½ summed over t; no head),
float64 tensors on the CPU, one forward pass and autograd's backward.

usage: reference_torch.py SPEC.json
prints one JSON object: loss, the norm and sum of every gradient block, and the seconds spent
in parse (json.load + tensors) and compute (forward + backward).
"""
import json
import sys
import time

import torch


def main():
    torch.set_default_dtype(torch.float64)
    t0 = time.perf_counter()
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    gates = "aifo"
    w = spec["weights"]
    W = torch.cat([torch.tensor(w["W"][g]).reshape(len(w["b"][g]), -1) for g in gates]).requires_grad_()  # 4H×X
    H = W.shape[0] // 4
    U = torch.cat([torch.tensor(w["U"][g]).reshape(H, H) for g in gates]).requires_grad_()  # 4H×H
    b = torch.cat([torch.tensor(w["b"][g]).reshape(H) for g in gates]).requires_grad_()
    xs = torch.tensor(spec["inputs"]).reshape(len(spec["inputs"]), -1).requires_grad_()  # T×X
    labels = torch.tensor(spec["labels"]).reshape(xs.shape[0], H)
    init = spec.get("initial", {})
    h0 = torch.tensor(init.get("out", [0.0] * H)).requires_grad_()
    c0 = torch.tensor(init.get("state", [0.0] * H)).requires_grad_()
    if spec.get("loss") not in ("l2", None) or "head" in spec:
        sys.exit("reference_torch.py handles the benchmark specs only (l2, no head)")
    t1 = time.perf_counter()

    T = xs.shape[0]
    pre = xs @ W.T + b
    h, c = h0, c0
    outs = []
    for t in range(T):
        z = pre[t] + U @ h
        a = torch.tanh(z[:H])
        s = torch.sigmoid(z[H:])
        i, f, o = s[:H], s[H:2 * H], s[2 * H:]
        c = a * i + f * c
        h = torch.tanh(c) * o
        outs.append(h)
    diff = torch.stack(outs) - labels
    loss = 0.5 * (diff * diff).sum()
    loss.backward()
    t2 = time.perf_counter()

    blocks = {}
    for name, m in (("dW", W.grad), ("dU", U.grad), ("db", b.grad)):
        for k, g in enumerate(gates):
            part = m[k * H:(k + 1) * H]
            blocks["%s.%s" % (name, g)] = {"norm": float(part.norm()), "sum": float(part.sum())}
    blocks["Delta_out[-1]"] = {"norm": float(h0.grad.norm()), "sum": float(h0.grad.sum())}
    blocks["delta_state[-1]"] = {"norm": float(c0.grad.norm()), "sum": float(c0.grad.sum())}
    blocks["delta_x"] = {"norm": float(xs.grad.norm()), "sum": float(xs.grad.sum())}
    json.dump({"loss": loss.item(), "blocks": blocks, "parse_seconds": t1 - t0, "compute_seconds": t2 - t1}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
