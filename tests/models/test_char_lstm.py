"""``char_lstm``: shapes, parameter count, equality with a torch twin, stateful steps,
and "overfits one small batch"."""
import numpy as np
import torch

from ivanet import Tensor
from ivanet.models import create_model
from ivanet.ops.losses import cross_entropy
from ivanet.optim import Adam


def test_shape_and_parameter_count(rng):
    model = create_model("char_lstm", rng=rng)
    ids = rng.integers(0, 65, (3, 7))
    assert model(ids).shape == (3, 65, 7)
    lstm = 4 * 256 * (64 + 256) + 2 * 4 * 256
    assert model.num_parameters() == 65 * 64 + lstm + 256 * 65 + 65


def test_matches_a_torch_twin(rng):
    model = create_model("char_lstm", num_classes=11, embedding_dim=5, hidden_size=7,
                         num_layers=2, rng=rng)
    twin = torch.nn.ModuleDict({"embedding": torch.nn.Embedding(11, 5),
                                "lstm": torch.nn.LSTM(5, 7, 2, batch_first=True),
                                "head": torch.nn.Linear(7, 11)})
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    ids = rng.integers(0, 11, (2, 6))
    out, _ = twin["lstm"](twin["embedding"](torch.from_numpy(ids)))
    expected = twin["head"](out).transpose(1, 2).detach().numpy()
    np.testing.assert_allclose(model(ids).data, expected, atol=1e-5)


def test_step_carries_the_state(rng):
    model = create_model("char_lstm", num_classes=9, embedding_dim=4, hidden_size=6, rng=rng)
    ids = rng.integers(0, 9, (2, 5))
    whole, _ = model.step(ids)
    first, state = model.step(ids[:, :3])
    rest, _ = model.step(ids[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([first.data, rest.data], 1), whole.data,
                               atol=1e-6)


def test_overfits_one_small_batch():
    rng = np.random.default_rng(0)
    model = create_model("char_lstm", num_classes=12, embedding_dim=8, hidden_size=32, rng=rng)
    ids = rng.integers(0, 12, (4, 13))
    x, y = ids[:, :-1], ids[:, 1:]
    optimizer = Adam(model.parameters(), lr=0.02)
    for _ in range(150):
        loss = cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert float(loss.data) < 0.05
    assert isinstance(model(Tensor(x)), Tensor)


def test_generate_continues_the_prompt_with_the_sampler(rng):
    model = create_model("char_lstm", num_classes=9, embedding_dim=4, hidden_size=6, rng=rng)
    prompt = rng.integers(0, 9, (2, 3))
    greedy = model.generate(prompt, 5, sampler=lambda z: z.argmax(-1))
    assert greedy.shape == (2, 5) and greedy.dtype == np.int64
    ids = prompt
    for t in range(5):  # the same as re-running the whole sequence each time
        next_ids = model.step(ids)[0].data[:, -1].argmax(-1)
        assert (next_ids == greedy[:, t]).all()
        ids = np.concatenate([ids, next_ids[:, None]], axis=1)
