"""numba is optional: with it blocked, ivanet imports and every fused path's NumPy twin
(conv incl. Winograd-sized layers, batch norm + residual + ReLU, LSTM, GRU, embedding
fold) gives the numbers the numba build gives."""
import json
import subprocess
import sys
import textwrap

import numpy as np

SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import ivanet
    from ivanet import nn
    from ivanet.ops import jit

    def run():
        rng = np.random.default_rng(0)
        conv = nn.Conv2d(32, 32, 3, padding=1, rng=rng)
        bn = nn.BatchNorm2d(32)
        x = ivanet.Tensor(rng.standard_normal((2, 32, 6, 6)).astype(np.float32),
                          requires_grad=True)
        y = bn(conv(x), residual=x, relu=True)
        embed = nn.Embedding(7, 8, rng=rng)
        lstm, gru = nn.LSTM(8, 16, rng=rng), nn.GRU(8, 16, rng=rng)
        ids = rng.integers(0, 7, (20, 3))
        h_lstm, _ = lstm(embed(ids))
        h_gru, _ = gru(embed(ids))
        loss = (y * y).mean() + (h_lstm * h_lstm).mean() + (h_gru * h_gru).mean()
        loss.backward()
        grads = [conv.weight.grad, x.grad, embed.weight.grad,
                 lstm.weight_ih_l0.grad, gru.weight_hh_l0.grad]
        return [float(loss.data)] + [float(np.abs(g).sum()) for g in grads]

    if __name__ == "__main__":
        print(json.dumps({"numba": jit.numba is not None, "values": run()}))
""")


def _run(block_numba: bool) -> dict:
    prefix = "import sys; sys.modules['numba'] = None\n" if block_numba else ""
    done = subprocess.run([sys.executable, "-c", prefix + SCRIPT], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_package_runs_and_agrees_without_numba():
    without, with_ = _run(block_numba=True), _run(block_numba=False)
    assert without["numba"] is False
    np.testing.assert_allclose(without["values"], with_["values"], rtol=2e-4)
