#!/usr/bin/env python3
"""PyTorch's own numbers for lstm-grad's losses, optimizers and clipping (float64).

Writes fixtures/torch/train-cases.json: randomized small nn.LSTM / nn.GRU / nn.RNN (tanh, relu)
networks with a head, each loss (nn.MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCEWithLogitsLoss,
CrossEntropyLoss with class indices and with probabilities, in both reductions) and each
torch.optim optimizer over 5 steps, with and without gradient clipping (clip_grad_norm_ in the
2-, 3- and ∞-norm, clip_grad_value_), some with frozen tensors. Each case holds the spec
lstm-grad reads (as JSON text) and what torch computed, by lstm-grad's canonical names: the gradients before
the first step (dW.a, dV, …), the loss before training and after each step (loss_step[k]), the
parameters after the last step (W.a, V, …) and the optimizer's state after it (exp_avg.W.a, …).
The cases after those (names ending in -decay) train nn.LSTM and nn.RNN state dicts with a
weight decay > 0 (AdamW also at its default 0.01): each stored bias copy is a parameter of its
own, so the copies drift apart; these cases also give every state-dict tensor after the last
step (weight_ih_l0, bias_ih_l0, bias_hh_l0, …) and the optimizer's state per tensor, by the
state dict's names (exp_avg.bias_hh_l0, …; the head's as exp_avg.V, exp_avg.c).
TorchReferenceTrainTests compares them to 1e−9 relative.

Run once with the venv that has torch (not needed by the tool or by `make test`):
    /work/venv-torch/bin/python scripts/torch-reference-train.py [SEED]
"""
import json
import random
import sys

import torch

torch.set_default_dtype(torch.float64)
STEPS = 5
GATES_LSTM = ["i", "f", "a", "o"]  # PyTorch's row order i, f, g, o; g is lstm-grad's a
GATES_GRU = ["r", "z", "n"]


def rows(t, k, H):
    return t[k * H:(k + 1) * H]


def tolist(t):
    return t.detach().tolist()


class Case:
    def __init__(self, rng, index, model, loss, optimizer, clip, frozen, layout):
        self.rng = rng
        self.model, self.loss_name, self.layout = model, loss, layout
        X, H, T = rng.randint(1, 3), rng.randint(1, 3), rng.randint(2, 4)
        K = rng.randint(2, 3) if loss.startswith("cross_entropy") else rng.randint(1, 3)
        self.X, self.H, self.T, self.K = X, H, T, K
        g = torch.Generator().manual_seed(1000 + index)
        u = lambda *shape: (torch.rand(*shape, generator=g) * 1.6 - 0.8)
        if model == "lstm":
            self.net = torch.nn.LSTM(X, H)
        elif model == "gru":
            self.net = torch.nn.GRU(X, H)
        else:
            self.net = torch.nn.RNN(X, H, nonlinearity=model.split("-")[1])
        self.head = torch.nn.Linear(H, K)
        with torch.no_grad():
            for p in list(self.net.parameters()) + list(self.head.parameters()):
                p.copy_(u(*p.shape))
            # One bias where lstm-grad's cell has one: bias_hh fixed at zero and not trained
            # (the RNN; the LSTM written per gate).
            if (model.startswith("rnn") and layout != "pytorch") or (model == "lstm" and layout == "per-gate"):
                self.net.bias_hh_l0.zero_()
                self.net.bias_hh_l0.requires_grad_(False)
        self.frozen_tensors = []
        for name in frozen:
            t = {"W": self.net.weight_hh_l0 if model.startswith("rnn") else self.net.weight_ih_l0,
                 "U": self.net.weight_ih_l0 if model.startswith("rnn") else self.net.weight_hh_l0,
                 "V": self.head.weight, "c": self.head.bias}[name]
            t.requires_grad_(False)
            self.frozen_tensors.append(name)
        self.x = u(T, 1, X)
        self.h0 = u(1, 1, H)
        self.c0 = u(1, 1, H) if model == "lstm" else None
        if loss == "cross_entropy-classes":
            self.labels = torch.tensor([rng.randrange(K) for _ in range(T)])
        elif loss == "cross_entropy-probs":
            self.labels = torch.softmax(u(T, K) * 3, dim=1)
        elif loss == "bce_with_logits":
            self.labels = torch.rand(T, K, generator=g)
        else:
            self.labels = u(T, K) * 2.5  # wide, so that huber and smooth_l1 meet both branches
        self.reduction = rng.choice(["mean", "sum"])
        self.delta = round(rng.uniform(0.2, 1.5), 3)
        self.beta = rng.choice([0.0, round(rng.uniform(0.2, 1.5), 3)])
        self.optimizer, self.clip = optimizer, clip

    def params(self):
        return [p for p in list(self.net.parameters()) + list(self.head.parameters()) if p.requires_grad]

    def forward_loss(self):
        out, _ = self.net(self.x, (self.h0, self.c0) if self.model == "lstm" else self.h0)
        y = self.head(out[:, 0, :])
        name = self.loss_name
        if name.startswith("cross_entropy"):
            return torch.nn.CrossEntropyLoss(reduction=self.reduction)(y, self.labels)
        fn = {"mse": lambda: torch.nn.MSELoss(reduction=self.reduction),
              "l1": lambda: torch.nn.L1Loss(reduction=self.reduction),
              "huber": lambda: torch.nn.HuberLoss(reduction=self.reduction, delta=self.delta),
              "smooth_l1": lambda: torch.nn.SmoothL1Loss(reduction=self.reduction, beta=self.beta),
              "bce_with_logits": lambda: torch.nn.BCEWithLogitsLoss(reduction=self.reduction)}[name]()
        return fn(y, self.labels)

    def torch_optimizer(self):
        o = dict(self.optimizer)
        kind = o.pop("type")
        if "betas" in o:
            o["betas"] = tuple(o["betas"])
        cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
               "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
        return cls(self.params(), **o)

    # lstm-grad's canonical blocks of a tensor of the network (the tensor itself, a state
    # buffer or a gradient of the same shape).
    def canonical(self, tensors):
        """tensors: {'weight_ih_l0': t, ...}; returns {canonical name: nested list}."""
        H, out = self.H, {}
        if self.model == "lstm":
            for k, gate in enumerate(GATES_LSTM):
                if "weight_ih_l0" in tensors: out[f"W.{gate}"] = tolist(rows(tensors["weight_ih_l0"], k, H))
                if "weight_hh_l0" in tensors: out[f"U.{gate}"] = tolist(rows(tensors["weight_hh_l0"], k, H))
                if "bias_ih_l0" in tensors:
                    b = rows(tensors["bias_ih_l0"], k, H)
                    if self.layout == "pytorch" and "bias_hh_l0" in tensors and tensors.get("_sum_biases", True):
                        b = b + rows(tensors["bias_hh_l0"], k, H)
                    out[f"b.{gate}"] = tolist(b)
        elif self.model == "gru":
            for k, gate in enumerate(GATES_GRU):
                if "weight_ih_l0" in tensors: out[f"W.{gate}"] = tolist(rows(tensors["weight_ih_l0"], k, H))
                if "weight_hh_l0" in tensors: out[f"U.{gate}"] = tolist(rows(tensors["weight_hh_l0"], k, H))
                if "bias_ih_l0" in tensors: out[f"b.{gate}"] = tolist(rows(tensors["bias_ih_l0"], k, H))
                if "bias_hh_l0" in tensors: out[f"bh.{gate}"] = tolist(rows(tensors["bias_hh_l0"], k, H))
        else:
            if "weight_hh_l0" in tensors: out["W"] = tolist(tensors["weight_hh_l0"])
            if "weight_ih_l0" in tensors: out["U"] = tolist(tensors["weight_ih_l0"])
            if "bias_ih_l0" in tensors:
                b = tensors["bias_ih_l0"]
                if self.layout == "pytorch" and "bias_hh_l0" in tensors and tensors.get("_sum_biases", True):
                    b = b + tensors["bias_hh_l0"]
                out["b"] = tolist(b)
        if "weight" in tensors: out["V"] = tolist(tensors["weight"])
        if "bias" in tensors: out["c"] = tolist(tensors["bias"])
        return out

    def named(self, f, trained_only=True):
        """{tensor name: f(tensor)} for the network's and the head's tensors (f may return None)."""
        out = {}
        for module in (self.net, self.head):
            for name, p in module.named_parameters():
                if trained_only and not p.requires_grad:
                    continue
                v = f(p)
                if v is not None:
                    out[name] = v
        return out

    def spec(self):
        s = {"model": "lstm" if self.model == "lstm" else self.model.split("-")[0]}
        n = self.net
        if self.model == "lstm" and self.layout == "pytorch":
            s["weights"] = {k: tolist(getattr(n, k)) for k in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]}
        elif self.model == "lstm":
            c = self.canonical({k: getattr(n, k) for k in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0"]})
            s["weights"] = {blk: {g: c[f"{blk}.{g}"] for g in ["a", "i", "f", "o"]} for blk in ["W", "U", "b"]}
        elif self.model.startswith("rnn") and self.layout == "pytorch":
            s["weights"] = {"activation": self.model.split("-")[1],
                            **{k: tolist(getattr(n, k)) for k in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]}}
        elif self.model == "gru":
            s["weights"] = {"convention": "pytorch", **{k: tolist(getattr(n, k)) for k in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]}}
        else:
            s["weights"] = {"activation": self.model.split("-")[1], "W": tolist(n.weight_hh_l0),
                            "U": tolist(n.weight_ih_l0), "b": tolist(n.bias_ih_l0)}
        s["head"] = {"type": "linear", "V": tolist(self.head.weight), "c": tolist(self.head.bias)}
        s["inputs"] = tolist(self.x[:, 0, :])
        s["labels"] = tolist(self.labels)
        loss = {"type": "cross_entropy" if self.loss_name.startswith("cross_entropy") else self.loss_name,
                "reduction": self.reduction}
        if self.loss_name.startswith("cross_entropy"):
            s["head"]["type"] = "softmax"
        if self.loss_name == "huber":
            loss["delta"] = self.delta
        if self.loss_name == "smooth_l1":
            loss["beta"] = self.beta
        s["loss"] = loss
        s["initial"] = {"out": tolist(self.h0[0, 0])}
        if self.c0 is not None:
            s["initial"]["state"] = tolist(self.c0[0, 0])
        s["optimizer"] = self.optimizer
        if self.clip:
            s["clip"] = self.clip
        if self.frozen_tensors:
            s["frozen"] = self.frozen_tensors
        return s

    def run(self):
        spec = self.spec()
        opt = self.torch_optimizer()
        expected = {}
        for k in range(STEPS):
            opt.zero_grad()
            loss = self.forward_loss()
            loss.backward()
            expected[f"loss_step[{k}]"] = loss.item()
            if k == 0:
                grads = self.named(lambda p: p.grad)
                for name, v in self.canonical(dict(grads, _sum_biases=False)).items():
                    expected["d" + name] = v
            if self.clip and "max_norm" in self.clip:
                nt = self.clip.get("norm_type", 2)
                torch.nn.utils.clip_grad_norm_(self.params(), self.clip["max_norm"], norm_type=float("inf") if nt == "inf" else nt)
            elif self.clip:
                torch.nn.utils.clip_grad_value_(self.params(), self.clip["value"])
            opt.step()
        with torch.no_grad():
            expected[f"loss_step[{STEPS}]"] = self.forward_loss().item()
        params = self.named(lambda p: p, trained_only=False)
        expected.update(self.canonical(params))
        # By the state dict's names: every tensor as trained (each bias copy apart).
        by_tensor = getattr(self, "by_tensor", False)
        if by_tensor:
            for name, p in self.net.named_parameters():
                expected[name] = tolist(p)
        buffers = ["momentum_buffer", "sum", "square_avg", "grad_avg", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
        for b in buffers:
            state = self.named(lambda p: opt.state[p].get(b) if p in opt.state else None)
            state = {k: v for k, v in state.items() if torch.is_tensor(v)}
            if by_tensor:
                for name, v in state.items():
                    expected[f"{b}.{ {'weight': 'V', 'bias': 'c'}.get(name, name) }"] = tolist(v)
                continue
            for name, v in self.canonical(dict(state, _sum_biases=False)).items():
                expected[f"{b}.{name}"] = v
        layout = {"lstm": f"-{self.layout}", "gru": "-pytorch"}.get(self.model, "-pytorch" if self.layout == "pytorch" else "")
        return {"name": f"{self.model}{layout}-{self.loss_name}-{self.reduction}-{self.optimizer['type']}"
                        + (f"-clip-{'norm' if 'max_norm' in self.clip else 'value'}" if self.clip else "")
                        + ("-frozen" if self.frozen_tensors else "") + ("-decay" if by_tensor else ""),
                "spec": json.dumps(spec), "steps": STEPS, "expected": expected}


def optimizer_config(rng, kind, weight_decay_ok):
    o = {"type": kind}
    wd = round(rng.uniform(0.001, 0.05), 4) if weight_decay_ok and rng.random() < 0.6 else 0.0
    if kind == "sgd":
        o["lr"] = round(rng.uniform(0.05, 0.3), 3)
        if rng.random() < 0.7:
            o["momentum"] = round(rng.uniform(0.5, 0.95), 3)
            if rng.random() < 0.5:
                o["nesterov"] = True
            else:
                o["dampening"] = round(rng.uniform(0, 0.5), 3)
    elif kind == "adagrad":
        o.update(lr=round(rng.uniform(0.05, 0.3), 3), lr_decay=round(rng.uniform(0, 0.1), 3),
                 initial_accumulator_value=round(rng.uniform(0, 0.2), 3))
        if rng.random() < 0.5:
            o["eps"] = 1e-6
    elif kind == "rmsprop":
        o.update(lr=round(rng.uniform(0.005, 0.05), 4), alpha=round(rng.uniform(0.8, 0.99), 3))
        if rng.random() < 0.6:
            o["momentum"] = round(rng.uniform(0.3, 0.9), 3)
        if rng.random() < 0.5:
            o["centered"] = True
    else:
        o.update(lr=round(rng.uniform(0.005, 0.05), 4), betas=[round(rng.uniform(0.7, 0.95), 3), round(rng.uniform(0.9, 0.999), 4)])
        if rng.random() < 0.5:
            o["amsgrad"] = True
    if kind == "adamw":
        o["weight_decay"] = wd if weight_decay_ok else 0.0
    elif wd:
        o["weight_decay"] = wd
    if rng.random() < 0.15:
        o["maximize"] = True
    return o


def decay_config(rng, kind, k):
    """An optimizer with a weight decay > 0: SGD with momentum; AdamW every other time at its
    default weight_decay (0.01, the key left out)."""
    o = optimizer_config(rng, kind, weight_decay_ok=True)
    if kind == "sgd" and "momentum" not in o:
        o["momentum"] = round(rng.uniform(0.5, 0.95), 3)
    if kind == "adamw" and k % 2 == 0:
        o.pop("weight_decay", None)
    else:
        o["weight_decay"] = round(rng.uniform(0.01, 0.2), 4)
    return o


def decay_cases(rng, first, make):
    """nn.LSTM and nn.RNN (tanh, relu) state dicts with a weight decay, every optimizer with
    and without clipping; `make(index, model, loss, optimizer, clip)` runs one."""
    losses = ["mse", "l1", "huber", "smooth_l1", "bce_with_logits", "cross_entropy-classes", "cross_entropy-probs"]
    optimizers = ["sgd", "adagrad", "rmsprop", "adam", "adamw"]
    clips = [{"max_norm": 0.5}, {"max_norm": 0.3, "norm_type": "inf"}, {"max_norm": 0.4, "norm_type": 3}, {"value": 0.05}]
    cases, index = [], first
    for mi, model in enumerate(["lstm", "rnn-tanh", "rnn-relu"]):
        for oi, kind in enumerate(optimizers):
            for clipped in (False, True):
                loss = losses[(3 * mi + oi + clipped) % len(losses)]
                clip = clips[(mi + oi) % 4] if clipped else None
                cases.append(make(index, model, loss, decay_config(rng, kind, mi + oi + clipped), clip))
                index += 1
    return cases


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    rng = random.Random(seed)
    torch.manual_seed(seed)
    models = ["lstm", "gru", "rnn-tanh", "rnn-relu"]
    losses = ["mse", "l1", "huber", "smooth_l1", "bce_with_logits", "cross_entropy-classes", "cross_entropy-probs"]
    optimizers = ["sgd", "adagrad", "rmsprop", "adam", "adamw"]
    clips = [None, {"max_norm": 0.5}, {"max_norm": 0.3, "norm_type": "inf"}, {"max_norm": 0.4, "norm_type": 3}, {"value": 0.05}]
    cases = []
    index = 0
    # Every loss with every optimizer, each with and without clipping; models and layouts in turn.
    for li, loss in enumerate(losses):
        for oi, kind in enumerate(optimizers):
            for clipped in (False, True):
                model = models[(li + oi + clipped) % len(models)]
                layout = "pytorch" if model == "lstm" and (oi + clipped) % 2 == 0 else "per-gate"
                clip = clips[1 + (li + oi) % 4] if clipped else None
                frozen = rng.choice([[], [], [], ["U"], ["c"], ["V", "W"]])
                o = optimizer_config(rng, kind, weight_decay_ok=not (model == "lstm" and layout == "pytorch"))
                cases.append(Case(rng, index, model, loss, o, clip, frozen, layout).run())
                index += 1

    def decayed(i, model, loss, o, clip):
        c = Case(rng, i, model, loss, o, clip, [], "pytorch")
        c.by_tensor = True
        return c.run()
    cases += decay_cases(rng, index, decayed)
    json.dump({"generator": "scripts/torch-reference-train.py " + str(seed), "torch": torch.__version__, "cases": cases},
              open("fixtures/torch/train-cases.json", "w"), indent=0)
    print(f"wrote fixtures/torch/train-cases.json: {len(cases)} cases (torch {torch.__version__})")


if __name__ == "__main__":
    main()
