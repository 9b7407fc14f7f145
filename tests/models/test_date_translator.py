"""``date_translator``: shapes, attention weights, no peeking at the target in eval mode,
clear errors, gradients by finite differences, and learning a handful of dates."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.autograd.gradcheck import check_model_gradients
from ivanet.data import DataError
from ivanet.data.text import CharVocabulary, pad_sequences
from ivanet.models import ModelError, create_model
from ivanet.optim import Adam
from ivanet.training.resolve import resolve_loss, resolve_metrics
from ivanet.training.translation import translate

T = 10


def _model(rng, vocab_size=9, **options):
    values = dict(input_shape=(6 + T,), num_classes=vocab_size, vocab_size=vocab_size,
                  embedding_dim=4, hidden_size=5, attention_size=3, rng=rng)
    return create_model("date_translator", **{**values, **options})


def _batch(rng, N=3, S=6, V=9):
    source = rng.integers(2, V, (N, S))
    source[0, 4:] = 0                                   # a shorter input, padded
    return np.concatenate([source, rng.integers(2, V, (N, T))], axis=1)


def test_shapes_and_attention_weights(rng):
    model, x = _model(rng), _batch(rng)
    for mode in (model.train, model.eval):
        mode()
        assert model(Tensor(x)).shape == (3, 9, T)
        weights = model.last_attention                             # (N, T, S)
        assert weights.shape == (3, T, 6)
        np.testing.assert_allclose(weights.sum(axis=2), 1.0, rtol=1e-5)
        assert np.all(weights[0, :, 4:] == 0)                     # padding gets no attention
    assert model.num_parameters() == sum(p.data.size for p in model.parameters())


def test_eval_never_reads_the_target_but_training_does(rng):
    model, x = _model(rng), _batch(rng)
    other = x.copy()
    other[:, -T:] = rng.integers(2, 9, (3, T))
    model.eval()
    np.testing.assert_array_equal(model(Tensor(x)).data, model(Tensor(other)).data)
    model.train()
    assert not np.allclose(model(Tensor(x)).data, model(Tensor(other)).data)


def test_bad_inputs_are_clear_errors(rng):
    model, x = _model(rng), _batch(rng)
    empty = x.copy()
    empty[1, :6] = 0
    with pytest.raises(ValueError, match="input 1 is empty"):
        model(Tensor(empty))
    with pytest.raises(IndexError, match="token id 9 is out of range"):
        model(Tensor(np.where(x == 3, 9, x)))
    with pytest.raises(ValueError, match="shape"):
        model(Tensor(x[:, :T]))
    with pytest.raises(TypeError, match="integers"):
        model(Tensor(x.astype(np.float32)))
    with pytest.raises(ModelError, match="must equal"):
        _model(rng, num_classes=7)


def test_gradients_match_finite_differences(rng):
    model = _model(rng, vocab_size=6, embedding_dim=2, hidden_size=2, attention_size=2)
    x = _batch(rng, N=2, S=3, V=6)
    y = x[:, -T:]
    report = check_model_gradients(model, resolve_loss("masked_cross_entropy"), (x, y),
                                   max_per_parameter=6, tol=1e-5)
    assert report.passed, str(report)


def test_learns_a_handful_of_dates(rng):
    texts = ["9 mars 1987", "Montag, 9. März 1987", "1 Jan 2001", "31/12/1999",
             "lunes, 2 de mayo de 2044", "7 ottobre 1912"]
    targets = ["1987-03-09", "1987-03-09", "2001-01-01", "1999-12-31", "2044-05-02",
               "1912-10-07"]
    vocab = CharVocabulary.build("".join(texts) + "0123456789-")
    source, _ = pad_sequences([vocab.encode(t) for t in texts])
    y = np.stack([vocab.encode(t) for t in targets])
    x = np.concatenate([source, y], axis=1)
    model = create_model("date_translator", input_shape=x.shape[1:], num_classes=len(vocab),
                         vocab_size=len(vocab), embedding_dim=16, hidden_size=32,
                         attention_size=16, rng=rng)
    loss_fn, optimizer = resolve_loss("masked_cross_entropy"), Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        optimizer.zero_grad()
        loss_fn(model(Tensor(x)), y).backward()
        optimizer.step()
    model.eval()
    exact = resolve_metrics(["sequence_accuracy"])["sequence_accuracy"]
    assert exact(y, model(Tensor(x)).data) == 1.0
    assert [t.output for t in translate(model, vocab, texts)] == targets


def test_translate_errors_and_fallback(rng):
    vocab = CharVocabulary.build("0123456789- mars")
    model = _model(rng, vocab_size=len(vocab))
    with pytest.raises(DataError, match="text 1 .* never saw: 'é'"):
        translate(model, vocab, ["9 mars 1987", "9 mé 1987"])
    with pytest.raises(DataError, match="text 1 is empty"):
        translate(model, vocab, ["9 mars 1987", ""])
    (fallback,) = translate(model, vocab, ["9 mé 1987"], unknown="unk")
    assert len(fallback.output) == T and fallback.attention.shape == (T, 9)


def test_sequence_accuracy_is_exact_match_on_real_tokens():
    y = np.array([[2, 3, 4], [2, 3, 0], [4, 4, 4]])
    predicted = np.array([[2, 3, 4], [2, 3, 5], [4, 2, 4]])
    outputs = np.eye(6)[predicted].transpose(0, 2, 1)                 # (N, K, T) one-hot
    exact = resolve_metrics(["sequence_accuracy"])["sequence_accuracy"]
    assert exact(y, outputs) == pytest.approx(2 / 3)
