#!/usr/bin/env python3
"""Writes fixtures/files/: small tensor files as PyTorch and NumPy write them, the specs that
read them, the same specs with the numbers written inline (what the files must decode to), and
PyTorch's own float64 autograd gradients for each; plus hand-made corrupt files for the error
messages. Run with a Python that has numpy, torch and safetensors:

    /work/venv-torch/bin/python scripts/tensor-file-fixtures.py

The tool and `make test` never run this; they read what it wrote.
"""
import io, json, os, struct, zipfile, zlib

import numpy as np
import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "files")
BAD = os.path.join(OUT, "bad")
os.makedirs(BAD, exist_ok=True)


def path(*parts):
    return os.path.join(OUT, *parts)


def exact(a):
    """Nested lists of Python floats: float32 values widened exactly, as the tool reads them."""
    return np.asarray(a, dtype=np.float64).tolist()


def write_json(name, obj):
    with open(path(name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def torch_reference(model_fn, params, x, labels, head):
    """PyTorch's float64 autograd: L = Σ_t ½‖V·h_t + c − label_t‖² (the spec's l2 loss)."""
    ps = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    hp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in head.items()}
    xs = torch.tensor(x, dtype=torch.float64).unsqueeze(1)  # T×1×X
    out = model_fn(ps, xs).squeeze(1)  # T×H
    y = out @ hp["V"].T + hp["c"]
    loss = 0.5 * ((y - torch.tensor(labels, dtype=torch.float64)) ** 2).sum()
    loss.backward()
    grads = {"d_" + k: v.grad.reshape(-1).tolist() for k, v in ps.items()}
    grads["dV"] = hp["V"].grad.reshape(-1).tolist()
    grads["dc"] = hp["c"].grad.reshape(-1).tolist()
    return {"loss": loss.item(), "gradients": grads}


def module_fn(cls, X, H, **kw):
    def run(ps, xs):
        m = cls(X, H, **kw).double()
        return torch.func.functional_call(m, ps, (xs,))[0]
    return run


torch.manual_seed(15)
T, X, H, K = 4, 3, 2, 2
x = np.random.default_rng(15).uniform(-1, 1, (T, X))
labels = np.random.default_rng(16).uniform(-1, 1, (T, K))

# 1. An nn.LSTM with a linear head, its state dict in float32 safetensors; inputs in a .npy
#    (float64, format 1.0), labels in an uncompressed .npz (float32, numpy.savez).
class LSTMModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(X, H)
        self.fc = torch.nn.Linear(H, K)

lstm = LSTMModel()
sd = {k: v.detach().float().contiguous() for k, v in lstm.state_dict().items()}
save_file(sd, path("lstm-model.safetensors"))
np.save(path("lstm-x.npy"), x)
np.savez(path("lstm-labels.npz"), y=labels.astype(np.float32))
def lstm_spec(description, model, inputs, labels):
    """The LSTM of (1) read from files: its state dict and head from `model`."""
    return {
        "model": "lstm",
        "description": description,
        "weights": {"file": model, "prefix": "lstm."},
        "head": {"type": "linear", "V": {"file": model, "key": "fc.weight"}, "c": {"file": model, "key": "fc.bias"}},
        "inputs": inputs,
        "labels": labels,
        "loss": "l2",
        "learning_rate": 0.1,
    }


def write_spec_lines(name, spec):
    """One top-level member a line, so that a message's line names the member."""
    with open(name, "w") as f:
        f.write("{\n" + ",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in spec.items()) + "\n}\n")


spec = lstm_spec("An nn.LSTM and its linear head from a float32 safetensors state dict; inputs from a .npy, labels from an .npz.",
                 "lstm-model.safetensors", {"file": "lstm-x.npy"}, {"file": "lstm-labels.npz", "key": "y"})
write_json("lstm-safetensors.json", spec)
inline = dict(spec, weights={k[5:]: exact(v) for k, v in sd.items() if k.startswith("lstm.")},
              head={"type": "linear", "V": exact(sd["fc.weight"]), "c": exact(sd["fc.bias"])},
              inputs=exact(x), labels=exact(labels.astype(np.float32)))
write_json("lstm-safetensors.inline.json", inline)
params = {k: exact(v) for k, v in inline["weights"].items()}
write_json("lstm-safetensors.torch.json", torch_reference(module_fn(torch.nn.LSTM, X, H), params, exact(x),
                                                          exact(labels.astype(np.float32)),
                                                          {"V": inline["head"]["V"], "c": inline["head"]["c"]}))

# 2. An nn.GRU's state dict, inputs and labels in one compressed .npz (float64,
#    numpy.savez_compressed); the head inline.
gru = torch.nn.GRU(X, H)
gsd = {"gru." + k: v.detach().double().numpy() for k, v in gru.state_dict().items()}
np.savez_compressed(path("gru-data.npz"), x=x, y=labels, **gsd)
V = np.random.default_rng(17).uniform(-1, 1, (K, H)).round(4).tolist()
c = [0.1, -0.2]
spec = {
    "model": "gru",
    "description": "An nn.GRU state dict, inputs and labels from one compressed .npz (numpy.savez_compressed, float64).",
    "weights": {"file": "gru-data.npz", "prefix": "gru.", "convention": "pytorch"},
    "head": {"type": "linear", "V": V, "c": c},
    "inputs": {"file": "gru-data.npz", "key": "x"},
    "labels": {"file": "gru-data.npz", "key": "y"},
    "loss": "l2",
    "learning_rate": 0.1,
}
write_json("gru-npz.json", spec)
inline = dict(spec, weights=dict({"convention": "pytorch"}, **{k[4:]: exact(v) for k, v in gsd.items()}),
              inputs=exact(x), labels=exact(labels))
write_json("gru-npz.inline.json", inline)
params = {k: v for k, v in inline["weights"].items() if k != "convention"}
write_json("gru-npz.torch.json", torch_reference(module_fn(torch.nn.GRU, X, H), params, exact(x), exact(labels), {"V": V, "c": c}))

# 3. An nn.RNN (tanh) state dict in float64 safetensors; inputs in a .npy of format 2.0
#    (float32), labels in a .npy of format 3.0 (float64).
rnn = torch.nn.RNN(X, H, nonlinearity="tanh")
rsd = {"rnn." + k: v.detach().double().contiguous() for k, v in rnn.state_dict().items()}
save_file(rsd, path("rnn-model.safetensors"), metadata={"format": "pt"})
with open(path("rnn-x-v2.npy"), "wb") as f:
    np.lib.format.write_array(f, x.astype(np.float32), version=(2, 0))
with open(path("rnn-y-v3.npy"), "wb") as f:
    np.lib.format.write_array(f, labels, version=(3, 0))
spec = {
    "model": "rnn",
    "description": "An nn.RNN (tanh) state dict from float64 safetensors; inputs from a float32 .npy (format 2.0), labels from a .npy of format 3.0.",
    "weights": {"file": "rnn-model.safetensors", "prefix": "rnn.", "activation": "tanh"},
    "head": {"type": "linear", "V": V, "c": c},
    "inputs": {"file": "rnn-x-v2.npy"},
    "labels": {"file": "rnn-y-v3.npy"},
    "loss": "l2",
    "learning_rate": 0.1,
}
write_json("rnn-safetensors.json", spec)
inline = dict(spec, weights=dict({"activation": "tanh"}, **{k[4:]: exact(v) for k, v in rsd.items()}),
              inputs=exact(x.astype(np.float32)), labels=exact(labels))
write_json("rnn-safetensors.inline.json", inline)
params = {k: v for k, v in inline["weights"].items() if k != "activation"}
write_json("rnn-safetensors.torch.json", torch_reference(module_fn(torch.nn.RNN, X, H, nonlinearity="tanh"), params,
                                                         exact(x.astype(np.float32)), exact(labels), {"V": V, "c": c}))


# 4. A zip64 archive (the central directory's sizes and offset in zip64 extra fields, a zip64
#    end record and locator), one stored and one deflated member: the RNN's inputs and labels.
def zip64(members):
    out = io.BytesIO()
    central = []
    for name, data, method in members:
        crc = zlib.crc32(data)
        body = data if method == 0 else zlib.compress(data, 9)[2:-4]  # raw deflate
        offset = out.tell()
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(body))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                              len(name), len(extra)) + name + extra + body)
        central.append((name, crc, len(body), len(data), offset, method))
    start = out.tell()
    for name, crc, csize, size, offset, method in central:
        extra = struct.pack("<HHQQQ", 1, 24, size, csize, offset)
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                              len(name), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + name + extra)
    size = out.tell() - start
    end64 = out.tell()
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(central), len(central), size, start))
    out.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    return out.getvalue()


def npy(a, version=(1, 0)):
    f = io.BytesIO()
    np.lib.format.write_array(f, a, version=version)
    return f.getvalue()


with open(path("rnn-zip64.npz"), "wb") as f:
    f.write(zip64([(b"x.npy", npy(x.astype(np.float32)), 0), (b"y.npy", npy(labels), 8)]))
# Python's zipfile reads it back: the archive is valid.
with zipfile.ZipFile(path("rnn-zip64.npz")) as z:
    assert np.array_equal(np.load(io.BytesIO(z.read("y.npy"))), labels)
spec = dict(json.load(open(path("rnn-safetensors.json"))))
spec["description"] = "The RNN of rnn-safetensors.json, its inputs and labels from a zip64 .npz (one stored, one deflated member)."
spec["inputs"] = {"file": "rnn-zip64.npz", "key": "x"}
spec["labels"] = {"file": "rnn-zip64.npz", "key": "y"}
write_json("rnn-zip64.json", spec)

# 5. Corrupt and unsupported files, and a spec for each (fixtures/files/bad/NAME.json reads
#    NAME's file); the test holds the exact message for each.
good = open(path("lstm-model.safetensors"), "rb").read()
header_len = struct.unpack("<Q", good[:8])[0]
bad = {}
bad["truncated.safetensors"] = good[:len(good) - 10]
bad["header-length.safetensors"] = struct.pack("<Q", 1 << 40) + good[8:]
hdr = json.loads(good[8:8 + header_len])
def with_header(h):
    text = json.dumps(h).encode()
    data = good[8 + header_len:]
    return struct.pack("<Q", len(text)) + text + data
h = json.loads(json.dumps(hdr)); h["lstm.weight_ih_l0"]["dtype"] = "BF16"
bad["bf16.safetensors"] = with_header(h)
h = json.loads(json.dumps(hdr)); h["lstm.weight_ih_l0"]["shape"] = [8, 4]
bad["shape.safetensors"] = with_header(h)
bad["header-json.safetensors"] = struct.pack("<Q", 5) + b"{\"a\":" + good[8 + header_len:]
bad["big-endian.npy"] = npy(x.astype(">f8"))
bad["fortran.npy"] = npy(np.asfortranarray(x))
bad["int64.npy"] = npy(np.arange(12, dtype="<i8").reshape(4, 3))
bad["truncated.npy"] = npy(x)[:-8]
bad["not-numpy.npy"] = b"hello, world, this is text\n"
stored = open(path("lstm-labels.npz"), "rb").read()
k = stored.index(b"\x93NUMPY") + 140  # a byte of the data
bad["crc.npz"] = stored[:k] + bytes([stored[k] ^ 0xFF]) + stored[k + 1:]
compressed = open(path("gru-data.npz"), "rb").read()
with zipfile.ZipFile(path("gru-data.npz")) as z:
    info = z.getinfo("x.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    # The local extra field may differ from the central one: read the local header's lengths.
    n, e = struct.unpack("<HH", compressed[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + n + e
k = start + 40
bad["deflate.npz"] = compressed[:k] + bytes([compressed[k] ^ 0x5A]) + compressed[k + 1:]
bad["not-zip.npz"] = b"PK but not a zip archive at all" * 3
bad["nan.npy"] = npy(np.array([[1.0, float("nan"), 0.5]] * 4))
for name, data in bad.items():
    with open(os.path.join(BAD, name), "wb") as f:
        f.write(data)

base = json.load(open(path("lstm-safetensors.inline.json")))
def bad_spec(name, **fields):
    s = dict(base)
    s.pop("description")
    s.update(fields)
    write_spec_lines(os.path.join(BAD, name + ".json"), s)

for name in ["truncated", "header-length", "bf16", "shape", "header-json"]:
    bad_spec(name, weights={"file": name + ".safetensors", "prefix": "lstm."})
for name in ["big-endian", "fortran", "int64", "truncated-npy", "not-numpy", "nan"]:
    bad_spec(name, inputs={"file": name.replace("-npy", "") + ".npy"})
for name in ["crc", "deflate", "not-zip"]:
    bad_spec(name, labels={"file": name + ".npz", "key": "y" if name != "deflate" else "x"})
bad_spec("missing-file", inputs={"file": "nowhere.npy"})
bad_spec("missing-key", labels={"file": "../lstm-labels.npz", "key": "labels"})
bad_spec("no-prefix-match", weights={"file": "../lstm-model.safetensors", "prefix": "gru."})
bad_spec("key-and-prefix", weights={"file": "../lstm-model.safetensors", "prefix": "lstm.", "key": "x"})
bad_spec("key-on-npy", inputs={"file": "../lstm-x.npy", "key": "x"})
bad_spec("extension", inputs={"file": "../lstm-x.txt"})
bad_spec("wrong-shape", inputs={"file": "../rnn-y-v3.npy"})
bad_spec("unknown-member", inputs={"file": "../lstm-x.npy", "kye": "x"})
print("wrote", OUT)

# 6. docs/tensor-files.md's example (run from docs/examples/): the LSTM of (1), its files
#    under the names a reader would use.
DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "examples")
import shutil
shutil.copy(path("lstm-model.safetensors"), os.path.join(DOCS, "model.safetensors"))
np.savez_compressed(os.path.join(DOCS, "data.npz"), x=x, y=labels.astype(np.float32))
spec = lstm_spec("An nn.LSTM with a linear head saved by safetensors.torch.save_file(model.state_dict(), ...), data by numpy.savez_compressed.",
                 "model.safetensors", {"file": "data.npz", "key": "x"}, {"file": "data.npz", "key": "y"})
del spec["learning_rate"]
write_spec_lines(os.path.join(DOCS, "from-files.json"), spec)
spec["labels"] = {"file": "data.npz", "key": "labels"}
write_spec_lines(os.path.join(DOCS, "from-files-typo.json"), spec)
