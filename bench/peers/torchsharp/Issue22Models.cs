// Issue 22's workloads, as bench/peers/pytorch_cnn_lstm_bench.py defines them (same layers, same initialization, same
// trainable-parameter counts as InitLab's src/InitLab.Engine/Performance/Workload.cs).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>R1: LSTM(features -> units, batch first) over the whole sequence, the last state into a linear classifier,
/// initialized as Keras's LSTM and Dense: weight_ih xavier_uniform, weight_hh orthogonal, bias_ih zero but the forget
/// gate's block at 1 (PyTorch's gate order i, f, g, o), bias_hh zero and frozen (Keras has one bias), head xavier_uniform
/// with zero bias.</summary>
sealed class LastStateLstm : nn.Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly Linear head;

    public LastStateLstm(int features, int units, int classes) : base(nameof(LastStateLstm))
    {
        lstm = nn.LSTM(features, units, batchFirst: true);
        head = nn.Linear(units, classes);
        RegisterComponents();
        var p = lstm.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (torch.no_grad())
        {
            nn.init.xavier_uniform_(p["weight_ih_l0"]);
            nn.init.orthogonal_(p["weight_hh_l0"]);
            nn.init.zeros_(p["bias_ih_l0"]);
            p["bias_ih_l0"][TensorIndex.Slice(units, 2 * units)].fill_(1f);
            nn.init.zeros_(p["bias_hh_l0"]);
            nn.init.xavier_uniform_(head.weight!);
            nn.init.zeros_(head.bias!);
        }
        p["bias_hh_l0"].requires_grad = false;
    }

    public override Tensor forward(Tensor x)
    {
        var (_, h, _) = lstm.forward(x);
        return head.forward(h[-1]);
    }
}

/// <summary>C1: conv 5x5x32 (padding 2 = "same"), ReLU, max-pool 2; conv 5x5x64 (padding 2), ReLU, max-pool 2; flatten
/// 7*7*64; Linear 3136->1024, ReLU; Linear 1024->10. Weights xavier_uniform (Keras's glorot_uniform), biases zero.</summary>
sealed class LeNetLike : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly Linear fc1, fc2;

    public LeNetLike() : base(nameof(LeNetLike))
    {
        conv1 = nn.Conv2d(1, 32, 5, padding: 2);
        conv2 = nn.Conv2d(32, 64, 5, padding: 2);
        fc1 = nn.Linear(7 * 7 * 64, 1024);
        fc2 = nn.Linear(1024, 10);
        RegisterComponents();
        using (torch.no_grad())
        {
            foreach (var (w, b) in new[] { (conv1.weight!, conv1.bias!), (conv2.weight!, conv2.bias!), (fc1.weight!, fc1.bias!), (fc2.weight!, fc2.bias!) })
            {
                nn.init.xavier_uniform_(w);
                nn.init.zeros_(b);
            }
        }
    }

    public override Tensor forward(Tensor x)
    {
        x = F.max_pool2d(F.relu(conv1.forward(x)), 2);
        x = F.max_pool2d(F.relu(conv2.forward(x)), 2);
        return fc2.forward(F.relu(fc1.forward(x.flatten(1))));
    }
}
