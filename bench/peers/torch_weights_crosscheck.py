"""Cross-check of `initlab export/import --layout pytorch` against PyTorch (run by torch-weights-crosscheck.sh).

Usage: torch_weights_crosscheck.py MODEL EXPORTED_NPZ INITLAB_PROBA_CSV DATA_CSV TORCH_NPZ_OUT
  1. Rebuilds MODEL (a zip: model.json gives layers, activations and the feature scaler) as a torch nn.Sequential,
     loads EXPORTED_NPZ (written by `initlab export --layout pytorch`) into it with load_state_dict(strict=True),
     and compares torch's log-softmax of the logits on DATA_CSV with InitLab's (`initlab predict --proba`).
  2. Draws new weights in torch (seed 0), writes them to TORCH_NPZ_OUT in the same state_dict naming, and prints
     torch's probabilities for them as a CSV on stderr-free stdout section for the shell script to compare after
     `initlab import`.
"""
import csv, json, sys, zipfile
import numpy as np
import torch

torch.set_default_dtype(torch.float32)
model_path, exported, initlab_csv, data_csv, torch_out = sys.argv[1:6]
desc = json.loads(zipfile.ZipFile(model_path).read("model.json"))


def activation(name):
    base, _, arg = name.partition("(")
    arg = float(arg.rstrip(")")) if arg else None
    return {
        "linear": lambda: torch.nn.Identity(),
        "relu": lambda: torch.nn.ReLU(),
        "tanh": lambda: torch.nn.Tanh(),
        "sigmoid": lambda: torch.nn.Sigmoid(),
        "elu": lambda: torch.nn.ELU(alpha=arg if arg is not None else 1.0),
        "selu": lambda: torch.nn.SELU(),
        "gelu": lambda: torch.nn.GELU(),  # exact (erf) form, as InitLab's
        "softplus": lambda: torch.nn.Softplus(),
        "leaky_relu": lambda: torch.nn.LeakyReLU(arg if arg is not None else 0.2),
        "softmax": lambda: torch.nn.Identity(),  # the head: compared as log-softmax of the logits below
    }[base]()


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        width = desc["input_dim"]
        self.layers = torch.nn.ModuleDict()
        self.acts = []
        for layer in desc["layers"]:
            self.layers[layer["name"]] = torch.nn.Linear(width, layer["units"], bias=layer["use_bias"])
            self.acts.append(activation(layer["activation"]))
            width = layer["units"]

    def forward(self, x):
        for linear, act in zip(self.layers.values(), self.acts):
            x = act(linear(x))
        return x  # logits of the softmax head


def state_dict_from(npz):
    arrays = np.load(npz)
    # InitLab names arrays dense_0.weight, dense_0.bias, …; ModuleDict keys them as layers.dense_0.weight.
    return {"layers." + k: torch.from_numpy(arrays[k]) for k in arrays.files}


def features():
    with open(data_csv) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    names = desc["features"]["names"]
    x = np.array([[float(r[header.index(n)]) for n in names] for r in body], dtype=np.float64)
    scaler = desc["features"]["scaler"]
    if scaler is not None:  # InitLab scales in double and rounds once to float32
        x = (x - np.array(scaler["offset"])) / np.array(scaler["scale"])
    return torch.from_numpy(x.astype(np.float32))


def initlab_log_proba(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    cols = [i for i, h in enumerate(rows[0]) if h.startswith("p_")]
    return np.log(np.array([[float(r[i]) for i in cols] for r in rows[1:]], dtype=np.float64))


net = Net()
net.load_state_dict(state_dict_from(exported), strict=True)
x = features()
with torch.no_grad():
    torch_log_p = torch.log_softmax(net(x), dim=1).double().numpy()
ours = initlab_log_proba(initlab_csv)
print(f"export: {len(x)} rows, {torch_log_p.shape[1]} classes; max |log p(torch) - log p(initlab)| = {np.abs(torch_log_p - ours).max():.3e}; "
      f"argmax agreement {np.mean(torch_log_p.argmax(1) == ours.argmax(1)) * 100:.1f}%")

torch.manual_seed(0)
fresh = Net()
np.savez(torch_out, **{k.removeprefix("layers."): v.detach().numpy() for k, v in fresh.state_dict().items()})
with torch.no_grad():
    np.save(torch_out + ".logp.npy", torch.log_softmax(fresh(x), dim=1).double().numpy())
