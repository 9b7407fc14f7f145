"""The lessons of the course, by day: name, title, the slide claim, the module that runs it.

Each lesson module has ``run(folder, size="full", seed=0) -> Outcome``. Modules are
imported only when a lesson runs, so ``ivanet lesson list`` stays instant.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One runnable lesson: ``module`` is the file under ``ivanet/lessons/``."""

    name: str
    day: int
    title: str
    claim: str
    module: str

    @property
    def run(self) -> Callable:
        """The module's ``run(folder, size, seed)`` function."""
        return importlib.import_module(f"ivanet.lessons.{self.module}").run


_LESSONS = (
    Lesson("neuron", 1, "A single neuron: ReLU on house size → price",
           "The neuron learns a ReLU: price rises with size and is never negative.",
           "day1_neuron"),
    Lesson("logistic-regression", 1, "Logistic regression from scratch on faces",
           "Gradient descent lowers the cost J every iteration and the model classifies "
           "unseen images.", "day1_logistic"),
    Lesson("learning-rate", 1, "The learning rate: too small, good, too large, diverging",
           "A small α converges slowly, a good α quickly, a too large α oscillates and a "
           "larger one diverges.", "day1_learning_rate"),
    Lesson("activations", 1, "Activation functions and their derivatives",
           "Sigmoid and tanh saturate (their derivative vanishes for large |z|); ReLU's "
           "derivative is 0 or 1.", "day1_activations"),
    Lesson("initialization", 1, "Zero, small, large and He initialisation",
           "Zero initialisation never breaks symmetry; random initialisation does "
           "(and He initialisation trains best).", "day1_init"),
    Lesson("depth", 1, "Depth: logistic regression, 1, 2 and 5 hidden layers",
           "Deeper networks draw more complex decision boundaries.", "day1_depth"),
    Lesson("splits", 2, "Train/dev/test splits and mismatched distributions",
           "When dev/test come from another distribution than train, the dev error "
           "rises; mixing both sources into every split fixes the mismatch.", "day2_splits"),
    Lesson("bias-variance", 2, "The bias/variance table with real models",
           "Real models land in each of the four columns: high variance, high bias, "
           "both, neither.", "day2_bias_variance"),
    Lesson("regularization", 2, "Regularisation of an over-fitting network",
           "L2, L1, dropout, data augmentation and early stopping reduce over-fitting; "
           "L1 makes the weights sparse.", "day2_regularization"),
    Lesson("normalization", 2, "Input normalisation",
           "Standardising the inputs makes the cost contours round and gradient "
           "descent faster.", "day2_normalization"),
    Lesson("vanishing-gradients", 2, "Vanishing and exploding gradients",
           "With depth, gradients vanish or explode unless the initialisation is "
           "scaled (He).", "day2_vanishing"),
    Lesson("minibatch", 2, "Batch vs mini-batch vs stochastic gradient descent",
           "Mini-batches make progress before a whole epoch is seen; their updates are "
           "noisy.", "day2_minibatch"),
    Lesson("optimizers", 2, "GD, momentum, RMSprop and Adam",
           "Momentum, RMSprop and Adam speed up convergence and damp the oscillations "
           "of gradient descent.", "day2_optimizers"),
    Lesson("random-search", 2, "Hyperparameter search: log scale vs linear",
           "Sample a learning rate on a log scale: a linear scale spends almost every "
           "trial in the top decade.", "day2_random_search"),
    Lesson("batch-norm", 2, "Batch normalisation on and off",
           "Batch norm speeds up training.", "day2_batch_norm"),
    Lesson("softmax", 2, "Softmax on the slide's vector",
           "softmax([1.3, 5.1, 2.2, 0.7, 1.1]) = [0.02, 0.90, 0.05, 0.01, 0.02].",
           "day2_softmax"),
    Lesson("edge-detection", 3, "Edge detection on a photograph",
           "A vertical-edge filter responds to vertical edges and not to horizontal ones.",
           "day3_edges"),
    Lesson("conv-arithmetic", 3, "Padding, stride, pooling and the 1×1 convolution",
           "Output size ⌊(n + 2p − f)/s⌋ + 1; max pooling keeps each window's largest value; "
           "a 1×1 bottleneck cuts an Inception branch's cost about 10 times.",
           "day3_conv_arithmetic"),
    Lesson("pooling", 3, "Max vs average pooling, and shifted inputs",
           "Max pooling keeps a window's strongest response; pooling makes features robust "
           "to small shifts.", "day3_pooling"),
    Lesson("lenet-filters", 3, "Inside a trained LeNet-5: filters and feature maps",
           "The first layer learns stroke and edge detectors; deeper maps are coarser and "
           "sparser.", "day3_lenet_filters"),
    Lesson("residual", 3, "Plain vs residual networks: training error vs depth",
           "A deeper plain network trains worse; a residual network of the same depth does "
           "not.", "day3_residual"),
    Lesson("transfer", 3, "Transfer learning vs training from scratch",
           "With few examples, reuse a pretrained network: train a new head (or fine-tune) "
           "instead of starting from scratch.", "day3_transfer"),
    Lesson("iou-nms", 3, "IoU and non-max suppression step by step",
           "Non-max suppression keeps the best box and discards those overlapping it "
           "(IoU ≥ 0.5), leaving one box per object.", "day3_iou_nms"),
    Lesson("unet-masks", 3, "U-Net masks on detection composites",
           "A U-Net labels every pixel: its masks find the objects and name their class.",
           "day3_unet_masks"),
    Lesson("siamese", 4, "One-shot verification with a Siamese network",
           "A Siamese network trained on some classes tells whether two images of classes "
           "it never saw are the same, better than distances on pixels, from one example.",
           "day4_siamese"),
    Lesson("hidden-state", 4, "An RNN's hidden state over a sentence",
           "The hidden state carries what the network has read: single units track "
           "properties of the text such as the position in the line.", "day4_hidden_state"),
    Lesson("long-dependencies", 4, "RNN vs GRU vs LSTM on long dependencies",
           "A plain RNN's gradient vanishes over many time steps; gated cells (GRU, LSTM) "
           "carry it further and learn long-range sums.", "day4_long_dependencies"),
    Lesson("sampling", 4, "Sampled Shakespeare at several temperatures",
           "A character model samples text one character at a time: a low temperature "
           "repeats itself, a high one writes random characters.", "day4_sampling"),
    Lesson("embedding-analogies", 4, "Word embeddings: neighbours and analogies",
           "Skip-gram gives related words close vectors, and vector offsets solve "
           "analogies (king − man + woman ≈ queen).", "day4_embeddings"),
    Lesson("attention", 4, "Attention weights of the date translator",
           "Attention learns an alignment: writing each part of an ISO date, the decoder "
           "looks at the matching part of the input (year digits, month name, day).",
           "day4_attention"),
)

LESSONS: dict[str, Lesson] = {lesson.name: lesson for lesson in _LESSONS}


def get_lesson(name: str) -> Lesson:
    """The lesson called ``name``, or a ValueError listing the known names."""
    if name not in LESSONS:
        raise ValueError(f"unknown lesson {name!r}: known are {', '.join(LESSONS)}")
    return LESSONS[name]
