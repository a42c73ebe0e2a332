#!/usr/bin/python3
"""PyTorch CPU peer for W5 (issue 21), the residual workload that ../shared/peers/pytorch_mlp_bench.py (read-only, W1-W4)
does not define. Same timing method as that script, line for line: seed 1234, a pool of 8 Gaussian batches with labels
0..9 (step i uses batch i mod 8), 5 untimed warm-up steps on a fresh model, then the timed steps of zero_grad,
cross_entropy on logits, backward and SGD 0.01.

W5: Linear 784->256, ReLU; 50 pre-norm residual blocks x + Linear(ReLU(Linear(LayerNorm(x)))) at width 256 (identity
shortcut, alpha 1); Linear 256->10; batch 128, 50 timed steps. As InitLab's definition (src/InitLab.Engine/Performance/
Workload.cs): every Linear He-normal (kaiming_normal_, fan_in, relu) with zero bias, LayerNorm with Keras's eps 1e-3,
gamma 1, beta 0.

Usage: OPENBLAS_NUM_THREADS=N OMP_NUM_THREADS=N python3 pytorch_resnet_bench.py --threads N [--repeats R] [--workloads W5]
Prints CSV lines: peer,workload,threads,repeat,ms_per_step,samples_per_s,final_loss"""
import argparse, time, torch, torch.nn as nn, torch.nn.functional as F

WORKLOADS = {  # name: (input, width, blocks, classes, batch, timed steps)
    "W5": (784, 256, 50, 10, 128, 50),
}
SEED, POOL, WARMUP, LR, LN_EPS = 1234, 8, 5, 0.01, 1e-3
LABEL = "pytorch"


def he_linear(n_in, n_out):
    lin = nn.Linear(n_in, n_out)
    nn.init.kaiming_normal_(lin.weight, mode="fan_in", nonlinearity="relu")
    nn.init.zeros_(lin.bias)
    return lin


class PreNormBlock(nn.Module):
    """x + Linear(ReLU(Linear(LayerNorm(x))))."""

    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width, eps=LN_EPS)
        self.inner = he_linear(width, width)
        self.outer = he_linear(width, width)

    def forward(self, x):
        return x + self.outer(F.relu(self.inner(self.norm(x))))


def build(n_in, width, blocks, classes):
    return nn.Sequential(he_linear(n_in, width), nn.ReLU(), *[PreNormBlock(width) for _ in range(blocks)],
                         he_linear(width, classes))


def run(name, threads, rep):
    n_in, width, blocks, classes, batch, steps = WORKLOADS[name]
    torch.manual_seed(SEED)
    model = build(n_in, width, blocks, classes)
    X = torch.randn(POOL * batch, n_in)
    Y = torch.randint(0, classes, (POOL * batch,))
    xs = [X[j * batch:(j + 1) * batch].contiguous() for j in range(POOL)]
    ys = [Y[j * batch:(j + 1) * batch].contiguous() for j in range(POOL)]
    opt = torch.optim.SGD(model.parameters(), lr=LR)
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
    ap.add_argument("--workloads", default="W5")
    ap.add_argument("--label", default="pytorch")
    a = ap.parse_args()
    LABEL = a.label
    torch.set_num_threads(a.threads)
    for r in range(a.first_repeat, a.first_repeat + a.repeats):
        for w in a.workloads.split(","):
            if w not in WORKLOADS:
                raise SystemExit(f"unknown workload {w!r}: this script defines {', '.join(WORKLOADS)}")
            run(w, a.threads, r)
