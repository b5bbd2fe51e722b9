#!/usr/bin/env python3
"""Independent reference values for `analyze` on RNN networks: each layer's and direction's
recurrent matrix (the state dict's weight_hh_l{l}[_reverse], the sheet's W), its eigenvalues
(numpy.linalg.eigvals, LAPACK dgeev), singular values (numpy.linalg.svd) and spectral radius.

Reads the specs in fixtures/torch-net-truncated/ and writes fixtures/analysis/network-rnn-eigen.json;
Tests/LSTMGradTests/Analysis/NetworkAnalysisTests.swift reads it and never runs Python. Run with
/work/venv-torch/bin/python scripts/network-eigen-reference.py (any Python with numpy).
"""
import json
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SPECS = ["rnn-tanh-2l-bi-b1", "rnn-relu-3l-b3"]

out = {}
for name in SPECS:
    with open(os.path.join(ROOT, "fixtures", "torch-net-truncated", name + ".json")) as f:
        spec = json.load(f)
    bands = {}
    for key, value in spec["weights"].items():
        if not key.startswith("weight_hh_l"):
            continue
        rest = key[len("weight_hh_l"):]
        layer, reverse = (rest[: -len("_reverse")], True) if rest.endswith("_reverse") else (rest, False)
        W = np.array(value, dtype=np.float64)
        eig = sorted(np.linalg.eigvals(W), key=lambda z: (z.real, z.imag))
        sv = np.linalg.svd(W, compute_uv=False)
        place = f"l{layer}" + (".reverse" if reverse else "")
        bands[place] = {
            "W": W.tolist(),
            "eigenvalues": [[float(z.real), float(z.imag)] for z in eig],
            "singular_values": [float(s) for s in sv],
            "spectral_radius": float(max(abs(z) for z in eig)),
        }
    out[name] = bands

path = os.path.join(ROOT, "fixtures", "analysis", "network-rnn-eigen.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {os.path.normpath(path)}: " + ", ".join(f"{k} ({len(v)} recurrent matrices)" for k, v in out.items()))
