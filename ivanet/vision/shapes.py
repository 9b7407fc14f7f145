"""Shape arithmetic of convolution and pooling (the course's ⌊(n + 2p − f)/s⌋ + 1)."""
from __future__ import annotations


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> int:
    """Output length ⌊(n + 2p − f)/s⌋ + 1 of a convolution or pooling along one axis.

    With dilation d the kernel spans d·(f − 1) + 1 pixels. Raises if no window fits.
    """
    for name, value, low in (("n", n, 1), ("f", f, 1), ("p", p, 0), ("s", s, 1), ("d", d, 1)):
        if not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an int ≥ {low}, got {value!r}")
    span = d * (f - 1) + 1
    if n + 2 * p < span:
        raise ValueError(f"input {n} + 2·padding {p} = {n + 2 * p} is smaller than the "
                         f"kernel span {span}: no window fits")
    return (n + 2 * p - span) // s + 1


def same_padding(f: int, d: int = 1) -> int:
    """Padding p = (f − 1)/2 that keeps the size at stride 1 (odd kernels; the slide's P)."""
    span = d * (f - 1) + 1
    if span % 2 == 0:
        raise ValueError(f"an even kernel span ({span}) cannot be padded symmetrically; "
                         "use padding='same' (extra row/column at the bottom/right)")
    return (span - 1) // 2


def conv_parameters(c_in: int, c_out: int, f: int, bias: bool = True, groups: int = 1) -> int:
    """Weights of a conv layer: c_out·(c_in/groups)·f² (+ c_out biases), whatever the image."""
    return c_out * (c_in // groups) * f * f + (c_out if bias else 0)
