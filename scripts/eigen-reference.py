#!/usr/bin/env python3
"""Independent reference values for lstm-grad's eigen-solver (issue 14).

Generates real square matrices from a fixed seed -- random symmetric and non-symmetric ones of
sizes 2 to 12, powers W^n of RNN-like weights (n up to 40), clustered and tiny eigenvalues,
complex pairs, defective Jordan blocks and the cases named in the issue -- and writes each
matrix with its eigenvalues from numpy.linalg.eigvals (LAPACK dgeev) to
fixtures/analysis/eigen-reference.json, every double in full precision (Python's repr is the
shortest string that reads back as the same double).

Tests/LSTMGradTests/Analysis/EigenReferenceTests.swift reads that file; it never runs Python. Rerun this
script only to regenerate the file deliberately (review the diff):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python scripts/eigen-reference.py

Tolerances, per eigenvalue (stated in the file beside each case):
- a simple eigenvalue: 1e-12 * ||A||_2 * max(1, kappa_i), kappa_i = ||x_i|| ||y_i|| / |y_i^H x_i|
  the eigenvalue's condition number (right and left eigenvectors from numpy.linalg.eig), so
  that "well-conditioned" (kappa_i near 1) means 1e-12 * ||A||_2;
- an eigenvalue of a Jordan block of size m (constructed, so m is known):
  10 * eps^(1/m) * ||A||_2, the size of the split that rounding causes (both solvers see it).
"""

import json
import os
import sys

import numpy as np

SEED = 20240514
EPS = np.finfo(float).eps
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "analysis", "eigen-reference.json")

rng = np.random.default_rng(SEED)
cases = []


def orthogonal(n):
    """A random orthogonal matrix (QR of a Gaussian one, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def well_conditioned(n):
    """A random invertible V with a small condition number (an orthogonal Q times I + a small
    upper triangle)."""
    return orthogonal(n) @ (np.eye(n) + np.triu(0.3 * rng.standard_normal((n, n)) / n, 1))


def sort_key(z):
    return (z.real, abs(z.imag), -z.imag)


def add(name, kind, a, exact=None, jordan=None, power=None, note=None):
    """Records one case. `exact`: the eigenvalues the construction put in (if any);
    `jordan`: {eigenvalue: [block sizes]} for a defective matrix; `power`: n for W^n."""
    a = np.array(a, dtype=float)
    n = a.shape[0]
    values = np.linalg.eigvals(a)
    order = sorted(range(n), key=lambda i: sort_key(values[i]))
    values = values[order]
    norm = float(np.linalg.norm(a, 2))
    tol = []
    if jordan is None:
        w, v = np.linalg.eig(a)
        left = np.linalg.inv(v)
        kappa = np.linalg.norm(left, axis=1) * np.linalg.norm(v, axis=0)
        # Match each sorted eigenvalue to eig's own (same LAPACK call, same values).
        used = set()
        for z in values:
            j = min((k for k in range(n) if k not in used), key=lambda k: abs(w[k] - z))
            used.add(j)
            tol.append(1e-12 * norm * max(1.0, float(kappa[j])))
        rule = "1e-12*||A||_2*max(1, kappa_i)"
        kappas = [float(kappa[k]) for k in range(n)]
    else:
        sizes = {}
        for lam, blocks in jordan.items():
            for m in blocks:
                sizes.setdefault(lam, []).append(m)
        wr, vr = np.linalg.eig(a)
        wl, vl = np.linalg.eig(a.T)
        for z in values:
            lam = min(sizes, key=lambda l: abs(l - z))
            m = sum(sizes[lam])
            if m == 1:
                # A simple eigenvalue beside Jordan blocks: its own condition number, from its
                # right and left eigenvectors.
                x = vr[:, int(np.argmin(abs(wr - z)))]
                y = vl[:, int(np.argmin(abs(wl - z)))]
                kappa = np.linalg.norm(x) * np.linalg.norm(y) / abs(np.vdot(y, x))
                tol.append(1e-12 * norm * max(1.0, float(kappa)))
            else:
                tol.append(10 * EPS ** (1.0 / max(sizes[lam])) * norm)
        rule = "10*eps^(1/m)*||A||_2 for an eigenvalue in a Jordan block of size m; 1e-12*||A||_2*max(1, kappa_i) for a simple one"
        kappas = None
    case = {
        "name": name,
        "kind": kind,
        "n": n,
        "matrix": [[float(x) for x in row] for row in a],
        "norm2": norm,
        "eigenvalues": [[float(z.real), float(z.imag)] for z in values],
        "tolerance": tol,
        "tolerance_rule": rule,
    }
    if kappas is not None:
        case["max_condition"] = max(kappas)
    if exact is not None:
        e = sorted((complex(z) for z in exact), key=sort_key)
        case["constructed"] = [[float(z.real), float(z.imag)] for z in e]
    if jordan is not None:
        case["jordan"] = [{"eigenvalue": float(l), "blocks": b} for l, b in sorted(jordan.items())]
    if power is not None:
        case["power"] = power
    if note is not None:
        case["note"] = note
    cases.append(case)


# 1. Random non-symmetric matrices, sizes 2..12.
for n in range(2, 13):
    add(f"random-{n}", "nonsymmetric", rng.standard_normal((n, n)) / np.sqrt(n))

# 2. Random symmetric matrices.
for n in (2, 3, 4, 5, 6, 8, 10, 12):
    b = rng.standard_normal((n, n))
    add(f"symmetric-{n}", "symmetric", (b + b.T) / 2)

# 3. Powers W^n of RNN-like weights: W = 0.95 * B / rho(B), so rho(W) = 0.95 and the other
#    eigenvalues of W^n fall over many orders of magnitude. W^n by repeated multiplication,
#    as `analyze --power n` computes it (the matrix itself is stored, so both solvers see the
#    same numbers).
for n, p in ((3, 5), (4, 10), (5, 20), (6, 30), (8, 40), (10, 40), (12, 25), (7, 15)):
    b = rng.standard_normal((n, n))
    w = 0.95 * b / max(abs(np.linalg.eigvals(b)))
    m = w.copy()
    for _ in range(p - 1):
        m = m @ w
    add(f"rnn-power-{n}x{n}^{p}", "power", m, power=p)
# and of a symmetric W (seed 004's shape, larger): W = Q diag(0.1 … 0.9) Q^T.
for n, p in ((6, 30), (9, 40)):
    q = orthogonal(n)
    lam = np.linspace(0.1, 0.9, n)
    w = q @ np.diag(lam) @ q.T
    w = (w + w.T) / 2
    m = w.copy()
    for _ in range(p - 1):
        m = m @ w
    add(f"symmetric-power-{n}x{n}^{p}", "power", m, power=p)

# 4. Clustered eigenvalues (distinct, 1e-6 to 1e-4 apart), V well-conditioned.
for n, base, gap in ((4, 0.5, 1e-6), (5, 0.9, 1e-5), (6, -0.3, 1e-4), (8, 0.7, 2e-6), (3, 1.0, 5e-7), (7, 0.2, 3e-5)):
    lam = base + gap * np.arange(n)
    v = well_conditioned(n)
    add(f"cluster-{n}-gap{gap:g}", "clustered", v @ np.diag(lam) @ np.linalg.inv(v), exact=lam)

# 5. Tiny eigenvalues beside eigenvalues of order 1 (a well-conditioned V keeps them
#    well-conditioned).
for n, tiny in ((3, [1e-10]), (4, [1e-10, 3e-10]), (5, [2e-12, 1e-9, 5e-8]), (6, [1e-10, -4e-10, 7e-11]),
                (8, [1e-10, 2e-10, 3e-10, 4e-10]), (10, [5e-11, 1e-9])):
    big = list(np.linspace(0.3, 1.0, n - len(tiny)))
    lam = np.array(big + tiny)
    v = well_conditioned(n)
    add(f"tiny-{n}", "tiny", v @ np.diag(lam) @ np.linalg.inv(v), exact=lam)

# 6. Complex pairs: rotation-scalings r[[cos, −sin], [sin, cos]] mixed by a well-conditioned V.
for n, pairs in ((2, [(0.8, 0.6)]), (4, [(0.9, 1.1), (0.5, 0.3)]), (5, [(0.7, 2.0)]), (6, [(1.2, 0.4), (0.3, 2.5), (0.6, 1.0)]),
                 (9, [(0.95, 0.2), (0.5, 1.3), (1e-3, 0.7)])):
    d = np.zeros((n, n))
    exact = []
    k = 0
    for r, th in pairs:
        c, s = r * np.cos(th), r * np.sin(th)
        d[k:k + 2, k:k + 2] = [[c, -s], [s, c]]
        exact += [complex(c, s), complex(c, -s)]
        k += 2
    for j in range(k, n):
        d[j, j] = 0.2 + 0.1 * j
        exact.append(0.2 + 0.1 * j)
    v = well_conditioned(n)
    add(f"complex-{n}", "complex", v @ d @ np.linalg.inv(v), exact=exact)

# 7. Defective: Jordan blocks, exact and mixed by an orthogonal similarity.
add("jordan-2-exact", "defective", [[1.0, 1.0], [0.0, 1.0]], exact=[1, 1], jordan={1.0: [2]})
add("jordan-3-exact", "defective", [[0.5, 1.0, 0.0], [0.0, 0.5, 1.0], [0.0, 0.0, 0.5]], exact=[0.5] * 3, jordan={0.5: [3]})
for n, blocks in ((3, [(0.7, 2), (0.2, 1)]), (4, [(0.5, 2), (-0.4, 2)]), (5, [(0.9, 3), (0.1, 1), (0.3, 1)]),
                  (6, [(0.6, 2), (0.6, 1), (0.25, 3)]), (4, [(0.8, 3), (0.1, 1)])):
    j = np.zeros((n, n))
    exact = []
    jordan = {}
    k = 0
    for lam, m in blocks:
        for i in range(m):
            j[k + i, k + i] = lam
            if i + 1 < m:
                j[k + i, k + i + 1] = 1.0
        exact += [lam] * m
        jordan.setdefault(lam, []).append(m)
        k += m
    q = orthogonal(n)
    add(f"jordan-mixed-{n}-" + "-".join(f"{l:g}x{m}" for l, m in blocks), "defective", q @ j @ q.T, exact=exact,
        jordan=jordan)

# 8. The cases named in issue 14, and seed 004's matrices.
add("issue-close-pair", "issue", [[0.5, 0.1], [0.0, 0.5000005]], exact=[0.5, 0.5000005],
    note="0.5 and 0.5000005: distinct, not defective")
add("issue-tiny-pair", "issue", [[0.1, 0.02, 0.0], [0.0, 1e-7, 0.0], [0.0, 0.0, 3e-7]], exact=[0.1, 1e-7, 3e-7],
    note="1e-7 and 3e-7 stay apart")
add("seed004-W", "issue", [[0.58, 0.24], [0.24, 0.72]], exact=[0.4, 0.9])
add("sigmoid-case-W", "issue", [[1.2, 0.3], [0.3, 0.9]])

# 9. Structured matrices.
add("cyclic-permutation-3", "special", [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
    exact=[1, complex(-0.5, np.sqrt(0.75)), complex(-0.5, -np.sqrt(0.75))])
add("repeated-diagonalizable", "special", [[2.0, 0.0, 1.0], [0.0, 2.0, 1.0], [0.0, 0.0, 3.0]], exact=[2, 2, 3])
add("upper-triangular-4", "special", [[1.0, 2.0, 3.0, 4.0], [0.0, -2.0, 1.0, 0.5], [0.0, 0.0, 0.5, 7.0], [0.0, 0.0, 0.0, 3.0]],
    exact=[1, -2, 0.5, 3])
# Companion matrix of (x − 0.1)(x − 0.2)…(x − 0.6): badly conditioned eigenvalues (kappa up to 1e4).
coef = np.poly(np.linspace(0.1, 0.6, 6))
comp = np.zeros((6, 6))
comp[0, :] = -coef[1:]
comp[1:, :-1] = np.eye(5)
add("companion-6", "special", comp, exact=np.linspace(0.1, 0.6, 6))
add("graded-5", "special", np.diag([1.0, 1e-3, 1e-6, 1e-9, 1e-12]) + np.diag([1e-2, 1e-5, 1e-8, 1e-11], 1),
    exact=[1.0, 1e-3, 1e-6, 1e-9, 1e-12])

os.makedirs(os.path.dirname(OUT), exist_ok=True)
doc = {
    "generator": "scripts/eigen-reference.py",
    "reference": "numpy.linalg.eigvals (LAPACK dgeev, with balancing)",
    "numpy": np.__version__,
    "python": sys.version.split()[0],
    "seed": SEED,
    "eps": EPS,
    "cases": cases,
}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)}: {len(cases)} matrices")
