#!/usr/bin/env python3
"""Writes an LSTM spec of size (H, X, T) with numbers from a fixed seed (no numpy needed).

usage: gen_spec.py H X T [SEED [B]] > spec.json
Weights are uniform in ±1/sqrt(H+X), inputs in ±1, labels in ±0.5, L2 loss with ½, no head.
With B: a batch of B sequences (inputs B×T×X, labels B×T×H) and zero initial states.
"""
import random
import sys


def main():
    if len(sys.argv) not in (4, 5, 6):
        sys.exit(__doc__)
    H, X, T = (int(a) for a in sys.argv[1:4])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) >= 5 else 2026)
    B = int(sys.argv[5]) if len(sys.argv) == 6 else None
    s = 1 / (H + X) ** 0.5

    def vec(n, scale):
        return "[" + ", ".join(repr(round(rng.uniform(-scale, scale), 6)) for _ in range(n)) + "]"

    def mat(r, c, scale):
        return "[" + ",\n  ".join(vec(c, scale) for _ in range(r)) + "]"

    def gates(make):
        return "{" + ", ".join('"%s": %s' % (g, make()) for g in "aifo") + "}"

    out = sys.stdout
    out.write('{"model": "lstm",\n "description": "benchmark H=%d X=%d T=%d%s",\n' % (H, X, T, "" if B is None else " B=%d" % B))
    out.write(' "weights": {"W": %s,\n' % gates(lambda: mat(H, X, s)))
    out.write(' "U": %s,\n' % gates(lambda: mat(H, H, s)))
    out.write(' "b": %s},\n' % gates(lambda: vec(H, 0.5)))
    if B is not None:
        out.write(' "inputs": [%s],\n' % ",\n".join(mat(T, X, 1.0) for _ in range(B)))
        out.write(' "labels": [%s],\n' % ",\n".join(mat(T, H, 0.5) for _ in range(B)))
        out.write(' "loss": "l2", "learning_rate": 0.1}\n')
        return
    out.write(' "inputs": %s,\n' % mat(T, X, 1.0))
    out.write(' "labels": %s,\n' % mat(T, H, 0.5))
    out.write(' "loss": "l2", "learning_rate": 0.1,\n')
    out.write(' "initial": {"out": %s, "state": %s}}\n' % (vec(H, 0.3), vec(H, 0.3)))


if __name__ == "__main__":
    main()
