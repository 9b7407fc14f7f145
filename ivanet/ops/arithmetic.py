"""Elementwise arithmetic with broadcasting: ``+ - * / ** neg``."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.broadcast import unbroadcast
from ivanet.autograd.function import Function


def _shape(x):
    return np.shape(x)


class Add(Function):
    """z = a + b;  dz/da = dz/db = 1."""

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        return a + b

    def backward(self, grad):
        shape_a, shape_b = self.shapes
        grad_a = unbroadcast(grad, shape_a) if self.needs_input_grad[0] else None
        grad_b = unbroadcast(grad, shape_b) if self.needs_input_grad[1] else None
        return grad_a, grad_b


class Sub(Function):
    """z = a − b;  dz/da = 1, dz/db = −1."""

    def forward(self, a, b):
        self.shapes = (_shape(a), _shape(b))
        return a - b

    def backward(self, grad):
        shape_a, shape_b = self.shapes
        grad_a = unbroadcast(grad, shape_a) if self.needs_input_grad[0] else None
        grad_b = -unbroadcast(grad, shape_b) if self.needs_input_grad[1] else None
        return grad_a, grad_b


class Mul(Function):
    """z = a · b;  dz/da = b, dz/db = a."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        a, b = self.a, self.b
        grad_a = unbroadcast(grad * b, _shape(a)) if self.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * a, _shape(b)) if self.needs_input_grad[1] else None
        return grad_a, grad_b


class Div(Function):
    """z = a / b;  dz/da = 1/b, dz/db = −a/b² = −z/b."""

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a / b
        return self.out

    def backward(self, grad):
        a, b = self.a, self.b
        grad_over_b = grad / b
        grad_a = unbroadcast(grad_over_b, _shape(a)) if self.needs_input_grad[0] else None
        grad_b = (unbroadcast(-grad_over_b * self.out, _shape(b))
                  if self.needs_input_grad[1] else None)
        return grad_a, grad_b


class Pow(Function):
    """z = a ** p;  dz/da = p·a^(p−1), dz/dp = z·ln a."""

    def forward(self, a, p):
        self.a, self.p = a, p
        self.out = a ** p
        return self.out

    def backward(self, grad):
        a, p = self.a, self.p
        grad_a = grad_p = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(grad * p * a ** (p - 1), _shape(a))
        if self.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_a = np.where(a > 0, np.log(np.where(a > 0, a, 1)), 0)
            grad_p = unbroadcast(grad * self.out * log_a, _shape(p))
        return grad_a, grad_p


class Neg(Function):
    """z = −a."""

    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


def add(a, b):
    """Elementwise a + b, broadcasting."""
    return Add.apply(a, b)


def sub(a, b):
    """Elementwise a − b, broadcasting."""
    return Sub.apply(a, b)


def mul(a, b):
    """Elementwise a · b, broadcasting."""
    return Mul.apply(a, b)


def div(a, b):
    """Elementwise a / b, broadcasting."""
    return Div.apply(a, b)


def pow(a, p):  # noqa: A001  (mirrors the operator's name)
    """Elementwise a ** p; p is a number or a tensor."""
    return Pow.apply(a, p)


def neg(a):
    """Elementwise −a."""
    return Neg.apply(a)
