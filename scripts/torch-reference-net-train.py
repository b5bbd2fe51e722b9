#!/usr/bin/env python3
"""PyTorch's own numbers for training stacked, bidirectional and batched networks (float64).

Writes fixtures/torch/net-train-cases.json: randomized nn.LSTM / nn.GRU / nn.RNN (tanh, relu)
networks (1–3 layers, one or two directions, B = 1–4, batch_first, h0/c0) as their state dicts,
a linear head nn.Linear(D·H, K), each loss (nn.MSELoss, L1Loss, HuberLoss, SmoothL1Loss,
BCEWithLogitsLoss, CrossEntropyLoss with class indices and with probabilities; mean or sum over
every element of the batch) and each torch.optim optimizer over 5 steps, with and without
clipping (clip_grad_norm_ over model.parameters() in the 2-, 3- and ∞-norm, clip_grad_value_),
some with a frozen tensor. Each case holds the spec lstm-grad reads (as JSON text) and what
torch computed, by lstm-grad's names at their place: the gradients before the first step
(dW.a@l1.reverse, dV, …), the loss before training and after each step (loss_step[k]), the
parameters after the last step and the optimizer's state after it (exp_avg.W.a@l0, …). A
bias stored twice (bias_ih + bias_hh of the LSTM and the RNN) is lstm-grad's one bias b: its
gradient and state are those of either copy (the same), its value their sum.
The cases after those (names ending in -decay) train nn.LSTM, nn.RNN and nn.GRU state dicts with
a weight decay > 0 (AdamW also at its default 0.01), each bias copy a parameter of its own:
they also give every state-dict tensor after the last step (bias_hh_l1_reverse, …) and the
optimizer's state per tensor by the state dict's names (exp_avg.bias_ih_l1_reverse, …; the
head's as exp_avg.V, exp_avg.c).
NetworkTorchReferenceTrainTests compares them to 1e−9 relative.

Run once with the venv that has torch (not needed by the tool or by `make test`):
    /work/venv-torch/bin/python scripts/torch-reference-net-train.py [SEED]
"""
import importlib.util
import json
import os
import random
import sys

import torch

# The one-cell reference's optimizer arguments, torch.optim calls and training loop, reused.
_spec = importlib.util.spec_from_file_location("reference_train", os.path.join(os.path.dirname(__file__), "torch-reference-train.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

torch.set_default_dtype(torch.float64)
GATES = {"lstm": ["i", "f", "a", "o"], "gru": ["r", "z", "n"]}  # PyTorch's row order; g is lstm-grad's a


def nested(t):
    return t.detach().tolist()


class Case(base.Case):
    """A network: base.Case's training loop (run) over this network's spec, loss and names."""

    def __init__(self, rng, index, model, loss, optimizer, clip, frozen):
        self.model, self.loss_name = model, loss
        self.L, self.D, self.B = rng.randint(1, 3), rng.choice([1, 2]), rng.randint(1, 4)
        X, H, T = rng.randint(1, 3), rng.randint(1, 3), rng.randint(2, 3)
        K = rng.randint(2, 3) if loss.startswith("cross_entropy") else rng.randint(1, 3)
        self.X, self.H, self.T, self.K = X, H, T, K
        g = torch.Generator().manual_seed(2000 + index)
        u = lambda *shape: (torch.rand(*shape, generator=g) * 1.6 - 0.8)
        kind = model.split("-")[0]
        common = dict(num_layers=self.L, bidirectional=self.D == 2, batch_first=True)
        if kind == "lstm":
            self.net = torch.nn.LSTM(X, H, **common)
        elif kind == "gru":
            self.net = torch.nn.GRU(X, H, **common)
        else:
            self.net = torch.nn.RNN(X, H, nonlinearity=model.split("-")[1], **common)
        self.head = torch.nn.Linear(self.D * H, K)
        with torch.no_grad():
            for p in list(self.net.parameters()) + list(self.head.parameters()):
                p.copy_(u(*p.shape))
        self.frozen = [f for f in frozen if f == "weight" or hasattr(self.net, f)]
        self.frozen_tensors, self.layout = self.frozen, "pytorch"
        for name in self.frozen:
            (self.head.weight if name == "weight" else getattr(self.net, name)).requires_grad_(False)
        B, LD = self.B, self.L * self.D
        self.x = u(B, T, X)
        self.h0 = u(LD, B, H)
        self.c0 = u(LD, B, H) if kind == "lstm" else None
        if loss == "cross_entropy-classes":
            self.labels = torch.tensor([[rng.randrange(K) for _ in range(T)] for _ in range(B)])
        elif loss == "cross_entropy-probs":
            self.labels = torch.softmax(u(B, T, K) * 3, dim=2)
        elif loss == "bce_with_logits":
            self.labels = torch.rand(B, T, K, generator=g)
        else:
            self.labels = u(B, T, K) * 2.5  # wide, so that huber and smooth_l1 meet both branches
        self.reduction = rng.choice(["mean", "sum"])
        self.delta = round(rng.uniform(0.2, 1.5), 3)
        self.beta = rng.choice([0.0, round(rng.uniform(0.2, 1.5), 3)])
        self.optimizer, self.clip = optimizer, clip

    def forward_loss(self):
        out, _ = self.net(self.x, (self.h0, self.c0) if self.c0 is not None else self.h0)
        v = self.head(out)
        K = self.K
        if self.loss_name == "cross_entropy-classes":
            return torch.nn.CrossEntropyLoss(reduction=self.reduction)(v.reshape(-1, K), self.labels.reshape(-1))
        if self.loss_name == "cross_entropy-probs":
            return torch.nn.CrossEntropyLoss(reduction=self.reduction)(v.reshape(-1, K), self.labels.reshape(-1, K))
        fn = {"mse": lambda: torch.nn.MSELoss(reduction=self.reduction),
              "l1": lambda: torch.nn.L1Loss(reduction=self.reduction),
              "huber": lambda: torch.nn.HuberLoss(reduction=self.reduction, delta=self.delta),
              "smooth_l1": lambda: torch.nn.SmoothL1Loss(reduction=self.reduction, beta=self.beta),
              "bce_with_logits": lambda: torch.nn.BCEWithLogitsLoss(reduction=self.reduction)}[self.loss_name]()
        return fn(v, self.labels)

    def canonical(self, tensors):
        """{state-dict name: tensor, "_sum_biases": bool} → {lstm-grad name at its place: nested list}."""
        H, out, kind = self.H, {}, self.model.split("-")[0]
        sum_biases = tensors.get("_sum_biases", True)
        for l in range(self.L):
            for d in range(self.D):
                suffix, place = f"_l{l}" + ("_reverse" if d else ""), f"@l{l}" + (".reverse" if d else "")
                t = {b: tensors.get(b + suffix) for b in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]}
                if kind == "rnn":
                    if t["weight_hh"] is not None: out["W" + place] = nested(t["weight_hh"])
                    if t["weight_ih"] is not None: out["U" + place] = nested(t["weight_ih"])
                    if t["bias_ih"] is not None:
                        out["b" + place] = nested(t["bias_ih"] + t["bias_hh"] if sum_biases else t["bias_ih"])
                    continue
                for j, gate in enumerate(GATES[kind]):
                    rows = slice(j * H, (j + 1) * H)
                    if t["weight_ih"] is not None: out[f"W.{gate}{place}"] = nested(t["weight_ih"][rows])
                    if t["weight_hh"] is not None: out[f"U.{gate}{place}"] = nested(t["weight_hh"][rows])
                    if kind == "gru":
                        if t["bias_ih"] is not None: out[f"b.{gate}{place}"] = nested(t["bias_ih"][rows])
                        if t["bias_hh"] is not None: out[f"bh.{gate}{place}"] = nested(t["bias_hh"][rows])
                    elif t["bias_ih"] is not None:
                        b = t["bias_ih"][rows] + t["bias_hh"][rows] if sum_biases else t["bias_ih"][rows]
                        out[f"b.{gate}{place}"] = nested(b)
        if tensors.get("weight") is not None: out["V"] = nested(tensors["weight"])
        if tensors.get("bias") is not None: out["c"] = nested(tensors["bias"])
        return out

    def spec(self):
        kind = self.model.split("-")[0]
        weights = {name: nested(p) for name, p in self.net.state_dict().items()}
        if kind == "rnn":
            weights["activation"] = self.model.split("-")[1]
        s = {"model": kind, "weights": weights,
             "head": {"type": "softmax" if self.loss_name.startswith("cross_entropy") else "linear",
                      "V": nested(self.head.weight), "c": nested(self.head.bias)},
             "inputs": nested(self.x), "labels": nested(self.labels)}
        loss = {"type": "cross_entropy" if self.loss_name.startswith("cross_entropy") else self.loss_name, "reduction": self.reduction}
        if self.loss_name == "huber":
            loss["delta"] = self.delta
        if self.loss_name == "smooth_l1":
            loss["beta"] = self.beta
        s["loss"] = loss
        s["initial"] = {"out": nested(self.h0)}
        if self.c0 is not None:
            s["initial"]["state"] = nested(self.c0)
        s["optimizer"] = self.optimizer
        if self.clip:
            s["clip"] = self.clip
        if self.frozen:
            s["frozen"] = ["V" if f == "weight" else f for f in self.frozen]
        return s

    def run(self):
        out = super().run()
        # base names a case model[-layout]-loss-…; a network's name gives its shape instead.
        prefix = {"lstm": "lstm-pytorch", "gru": "gru-pytorch"}.get(self.model, self.model + "-pytorch")
        out["name"] = f"{self.model}-L{self.L}-D{self.D}-B{self.B}" + out["name"][len(prefix):]
        return out


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    rng = random.Random(seed)
    torch.manual_seed(seed)
    models = ["lstm", "gru", "rnn-tanh", "rnn-relu"]
    losses = ["mse", "l1", "huber", "smooth_l1", "bce_with_logits", "cross_entropy-classes", "cross_entropy-probs"]
    optimizers = ["sgd", "adagrad", "rmsprop", "adam", "adamw"]
    clips = [{"max_norm": 0.5}, {"max_norm": 0.3, "norm_type": "inf"}, {"max_norm": 0.4, "norm_type": 3}, {"value": 0.05}]
    cases = []
    # Every loss with every optimizer (35), clipped or not in turn, models in turn; and five
    # more so that each optimizer runs both with and without clipping on a second model.
    plan = [(li, oi) for li in range(len(losses)) for oi in range(len(optimizers))] + [(li, li % 5) for li in range(5)]
    for index, (li, oi) in enumerate(plan):
        model = models[(li + 2 * oi + index // 35) % len(models)]
        clipped = (li + oi + index // 35) % 2 == 1
        clip = clips[(li + oi) % 4] if clipped else None
        frozen = rng.choice([[], [], [], ["weight_hh_l0"], ["weight"], ["weight_ih_l0_reverse"]])
        # A bias stored twice (LSTM, RNN) cannot decay each copy by its own value in lstm-grad.
        o = base.optimizer_config(rng, optimizers[oi], weight_decay_ok=model == "gru")
        cases.append(Case(rng, index, model, losses[li], o, clip, frozen).run())

    def decayed(i, model, loss, o, clip):
        c = Case(rng, i, model, loss, o, clip, [])
        c.by_tensor = True
        return c.run()
    cases += base.decay_cases(rng, len(plan), decayed)
    # nn.GRU as well: its state per tensor, with a weight decay.
    for k, kind in enumerate(optimizers):
        clip = clips[k % 4] if k % 2 else None
        cases.append(decayed(len(cases), "gru", losses[(k + 2) % len(losses)], base.decay_config(rng, kind, k), clip))
    json.dump({"generator": "scripts/torch-reference-net-train.py " + str(seed), "torch": torch.__version__, "cases": cases},
              open("fixtures/torch/net-train-cases.json", "w"), indent=0)
    print(f"wrote fixtures/torch/net-train-cases.json: {len(cases)} cases (torch {torch.__version__})")


if __name__ == "__main__":
    main()
