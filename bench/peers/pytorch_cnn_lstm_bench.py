#!/usr/bin/python3
"""PyTorch CPU peer for issue 22's workloads, which ../shared/peers/pytorch_mlp_bench.py (read-only, W1-W4) does not
define. Same timing method as that script, line for line: seed 1234, a pool of 8 Gaussian batches with labels 0..9
(step i uses batch i mod 8), 5 untimed warm-up steps on a fresh model, then the timed steps of zero_grad,
cross_entropy on logits, backward and SGD 0.01.

R1: nn.LSTM(32 -> 128, batch_first) over sequences of 50 steps, its last state h_50 into Linear 128->10; batch 64,
50 timed steps. Initialized as InitLab's (Keras's) LSTM and Dense defaults (src/InitLab.Engine/Performance/Workload.cs):
weight_ih xavier_uniform_ (fans 32 and 4*128, the whole matrix as Keras), weight_hh orthogonal_ (Keras's orthogonal
(128, 512) transposed), bias_ih zero except the forget gate's block at 1 (unit_forget_bias; PyTorch's gate order
i, f, g, o is Keras's i, f, c, o), and bias_hh zero and frozen: PyTorch's second bias only duplicates the first (Keras has
one), so with it trainable the step would train 512 more parameters and move the effective bias at twice the rate.
Trainable parameters: 83722 in both engines (asserted below). Linear: xavier_uniform_ (Keras's glorot_uniform), zero bias.

C1: LeNet-like on 28x28x1 images (TensorFlow's "Deep MNIST" network, as its PyTorch ports write it): Conv2d(1, 32, 5,
padding=2) ReLU, max_pool2d 2; Conv2d(32, 64, 5, padding=2) ReLU, max_pool2d 2; flatten 7*7*64 = 3136; Linear 3136->1024
ReLU; Linear 1024->10; batch 64, 20 timed steps. "same" padding in InitLab (src/InitLab.Engine/Performance/
ConvolutionFront.cs); xavier_uniform_ weights (PyTorch's conv fans, C*k*k and filters*k*k, are Keras's) and zero biases.
Trainable parameters: 3274634 in both engines (asserted below). Images NCHW (PyTorch's default layout; InitLab's rows are
channels-last, which for one channel is the same order of pixels).

Usage: OPENBLAS_NUM_THREADS=N OMP_NUM_THREADS=N python3 pytorch_cnn_lstm_bench.py --threads N [--repeats R]
       [--workloads R1,C1] [--steps S]
Prints CSV lines: peer,workload,threads,repeat,ms_per_step,samples_per_s,final_loss"""
import argparse, time, torch, torch.nn as nn, torch.nn.functional as F

SEED, POOL, WARMUP, LR = 1234, 8, 5, 0.01
LABEL = "pytorch"


class LastStateLstm(nn.Module):
    """LSTM over the whole sequence, the last state into a linear classifier (Keras: LSTM(return_sequences=False), Dense)."""

    def __init__(self, features, units, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.head = nn.Linear(units, classes)
        with torch.no_grad():
            nn.init.xavier_uniform_(self.lstm.weight_ih_l0)
            nn.init.orthogonal_(self.lstm.weight_hh_l0)
            nn.init.zeros_(self.lstm.bias_ih_l0)
            self.lstm.bias_ih_l0[units:2 * units] = 1.0
            nn.init.zeros_(self.lstm.bias_hh_l0)
            nn.init.xavier_uniform_(self.head.weight)
            nn.init.zeros_(self.head.bias)
        self.lstm.bias_hh_l0.requires_grad_(False)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


class LeNetLike(nn.Module):
    """conv 5x5x32 same, pool, conv 5x5x64 same, pool, dense 1024, dense 10 (ReLU between, logits out)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(7 * 7 * 64, 1024)
        self.fc2 = nn.Linear(1024, 10)
        with torch.no_grad():
            for m in (self.conv1, self.conv2, self.fc1, self.fc2):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


WORKLOADS = {  # name: (build, input shape per sample, classes, batch, timed steps, trainable parameters)
    "R1": (lambda: LastStateLstm(32, 128, 10), (50, 32), 10, 64, 50, 83722),
    "C1": (LeNetLike, (1, 28, 28), 10, 64, 20, 3274634),
}


def run(name, threads, rep, steps_override):
    build, shape, classes, batch, steps, params = WORKLOADS[name]
    steps = steps_override or steps
    torch.manual_seed(SEED)
    model = build()
    trainable = [p for p in model.parameters() if p.requires_grad]
    count = sum(p.numel() for p in trainable)
    assert count == params, f"{name}: {count} trainable parameters, InitLab's model has {params}"
    X = torch.randn(POOL * batch, *shape)
    Y = torch.randint(0, classes, (POOL * batch,))
    xs = [X[j * batch:(j + 1) * batch].contiguous() for j in range(POOL)]
    ys = [Y[j * batch:(j + 1) * batch].contiguous() for j in range(POOL)]
    opt = torch.optim.SGD(trainable, lr=LR)
    def step(i):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[i % POOL]), ys[i % POOL])
        loss.backward()
        opt.step()
        return loss
    for i in range(WARMUP):
        step(i)
    t0 = time.perf_counter()
    for i in range(steps):
        loss = step(WARMUP + i)
    dt = time.perf_counter() - t0
    print(f"{LABEL},{name},{threads},{rep},{dt / steps * 1e3:.4f},{steps * batch / dt:.1f},{loss.item():.4f}", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--first-repeat", type=int, default=1)
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--label", default="pytorch")
    ap.add_argument("--steps", type=int, default=0, help="timed steps instead of the workload's (smoke runs only)")
    a = ap.parse_args()
    LABEL = a.label
    torch.set_num_threads(a.threads)
    for r in range(a.first_repeat, a.first_repeat + a.repeats):
        for w in a.workloads.split(","):
            if w not in WORKLOADS:
                raise SystemExit(f"unknown workload {w!r}: this script defines {', '.join(WORKLOADS)}")
            run(w, a.threads, r, a.steps)
