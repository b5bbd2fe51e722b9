#!/usr/bin/env python3
"""The batched benchmark spec (bench/gen_spec.py H X T SEED B) through PyTorch's nn.LSTM in
float64 on the CPU: forward, the loss ½Σ‖h − label‖², backward by autograd. Prints JSON: the
best compute seconds over --repeat runs (forward + backward, after one warm-up; the median beside it), the loss and
every gradient block's sum (gates a, i, f, o as the spec names them).

usage: reference_torch_batched.py SPEC [--repeat N]
"""
import json
import statistics
import sys
import time

import torch


def main():
    path = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    torch.set_default_dtype(torch.float64)
    with open(path) as f:
        spec = json.load(f)
    w = spec["weights"]
    order = ["i", "f", "a", "o"]  # PyTorch's rows i, f, g, o
    x = torch.tensor(spec["inputs"])
    labels = torch.tensor(spec["labels"])
    B, T, X = x.shape
    H = len(w["U"]["a"])
    net = torch.nn.LSTM(X, H, batch_first=True)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.cat([torch.tensor(w["W"][g]) for g in order]))
        net.weight_hh_l0.copy_(torch.cat([torch.tensor(w["U"][g]) for g in order]))
        net.bias_ih_l0.copy_(torch.cat([torch.tensor(w["b"][g]) for g in order]))
        net.bias_hh_l0.zero_()
    times = []
    for k in range(repeat + 1):
        net.zero_grad()
        t0 = time.perf_counter()
        out, _ = net(x)
        loss = 0.5 * ((out - labels) ** 2).sum()
        loss.backward()
        if k > 0:
            times.append(time.perf_counter() - t0)
    sums = {}
    for j, g in enumerate(order):
        rows = slice(j * H, (j + 1) * H)
        sums["dW." + g] = float(net.weight_ih_l0.grad[rows].sum())
        sums["dU." + g] = float(net.weight_hh_l0.grad[rows].sum())
        sums["db." + g] = float(net.bias_ih_l0.grad[rows].sum())
    print(json.dumps({"compute_seconds": min(times), "median_seconds": statistics.median(times), "loss": float(loss.detach()), "sums": sums,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
