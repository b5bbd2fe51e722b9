#!/usr/bin/env python3
"""The numpy program an engineer would write instead of lstm-grad: the same spec JSON, the same
math (LSTM gates a, i, f, o; L2 loss with ½ summed over t; no head), float64, one forward pass
and full BPTT with W·x_t and the weight gradients batched as matrix products and only U·out and
Uᵀ·δ per step.

usage: reference_numpy.py SPEC.json
prints one JSON object: loss, the norm and sum of every gradient block, and the seconds spent
in parse (json.load + arrays) and compute.
"""
import json
import sys
import time

import numpy as np


def main():
    t0 = time.perf_counter()
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    gates = "aifo"
    w = spec["weights"]
    W = np.vstack([np.atleast_2d(np.array(w["W"][g], dtype=np.float64)) for g in gates])  # 4H×X
    H = W.shape[0] // 4
    U = np.vstack([np.array(w["U"][g], dtype=np.float64).reshape(H, H) for g in gates])  # 4H×H
    b = np.concatenate([np.atleast_1d(np.array(w["b"][g], dtype=np.float64)) for g in gates])
    xs = np.array(spec["inputs"], dtype=np.float64)  # T×X
    labels = np.array(spec["labels"], dtype=np.float64).reshape(xs.shape[0], H)
    init = spec.get("initial", {})
    h0 = np.array(init.get("out", [0.0] * H), dtype=np.float64)
    c0 = np.array(init.get("state", [0.0] * H), dtype=np.float64)
    if spec.get("loss") not in ("l2", None) or "head" in spec:
        sys.exit("reference_numpy.py handles the benchmark specs only (l2, no head)")
    t1 = time.perf_counter()

    T = xs.shape[0]
    pre = xs @ W.T + b  # T×4H, all W·x_t at once
    G = np.empty((T, 4 * H))
    cs = np.empty((T, H))
    tcs = np.empty((T, H))
    hs = np.empty((T, H))
    h, c = h0, c0
    for t in range(T):
        z = pre[t] + U @ h
        a = np.tanh(z[:H])
        s = 1.0 / (1.0 + np.exp(-z[H:]))
        i, f, o = s[:H], s[H:2 * H], s[2 * H:]
        c = a * i + f * c
        tc = np.tanh(c)
        h = tc * o
        G[t, :H], G[t, H:] = a, s
        cs[t], tcs[t], hs[t] = c, tc, h
    diff = hs - labels
    loss = 0.5 * float(np.sum(diff * diff))
    dG = np.empty((T, 4 * H))
    dh_next = np.zeros(H)
    dc_next = np.zeros(H)
    for t in range(T - 1, -1, -1):
        a, i, f, o = G[t, :H], G[t, H:2 * H], G[t, 2 * H:3 * H], G[t, 3 * H:]
        c_prev = cs[t - 1] if t > 0 else c0
        dout = diff[t] + dh_next
        dc = dout * o * (1 - tcs[t] ** 2) + dc_next
        dG[t, :H] = dc * i * (1 - a * a)
        dG[t, H:2 * H] = dc * a * i * (1 - i)
        dG[t, 2 * H:3 * H] = dc * c_prev * f * (1 - f)
        dG[t, 3 * H:] = dout * tcs[t] * o * (1 - o)
        dh_next = U.T @ dG[t]
        dc_next = dc * f
    h_prev = np.vstack([h0[None, :], hs[:-1]])
    dW = dG.T @ xs
    dU = dG.T @ h_prev
    db = dG.sum(axis=0)
    dx = dG @ W
    t2 = time.perf_counter()

    blocks = {}
    for name, m in (("dW", dW), ("dU", dU), ("db", db)):
        for k, g in enumerate(gates):
            part = m[k * H:(k + 1) * H]
            blocks["%s.%s" % (name, g)] = {"norm": float(np.linalg.norm(part)), "sum": float(part.sum())}
    blocks["Delta_out[-1]"] = {"norm": float(np.linalg.norm(dh_next)), "sum": float(dh_next.sum())}
    blocks["delta_state[-1]"] = {"norm": float(np.linalg.norm(dc_next)), "sum": float(dc_next.sum())}
    blocks["delta_x"] = {"norm": float(np.linalg.norm(dx)), "sum": float(dx.sum())}
    json.dump({"loss": loss, "blocks": blocks, "parse_seconds": t1 - t0, "compute_seconds": t2 - t1}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
