"""Noto glyphs: an Omniglot-like set of characters from 42 writing systems, 20 "drawers" each.

Like Omniglot (Lake et al., 2015), the classes are characters grouped in alphabets (here
Unicode scripts), and the scripts are split into a background set (26 scripts, for
training) and an evaluation set (16 other scripts, for one-shot tests on characters of
alphabets never seen). A character's "drawers" are renderings of it in the script's Noto
fonts (sans/serif, regular/bold, where the package has them) with a small seeded random
distortion each: rotation, shear, scale, shift and a thinner or thicker stroke.

Fonts come from the Debian package ``fonts-noto-core`` (OFL-1.1); only the 108 ``.ttf``
files named in ``glyph_fonts.FONT_SHA256`` are kept in the cache. Each glyph is drawn at 64
px, cropped to its ink, centred in a square where it fills 20/28 of the side (as MNIST
digits do), distorted, resized to ``size`` × ``size`` and scaled to a maximum of 1: white
on black, float32 (N, 1, size, size).

Split: train = background characters, drawers 0…15; dev = the same characters, drawers
16…19; test = evaluation characters, all drawers.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.fetch import stage_deb_files
from ivanet.data.sets.common import cached_files, make_splits
from ivanet.data.sets.glyph_fonts import BACKGROUND, EVALUATION, FONT_SHA256

NAME = "noto-glyphs"
DESCRIPTION = ("Omniglot-like glyphs of 42 scripts rendered from the Noto fonts: 26 background "
               "+ 16 evaluation scripts, ≤ 40 characters × 20 drawers, 28×28 grey")
SOURCE = "Debian package fonts-noto-core (rendered with Pillow)"
LICENCE = "SIL Open Font License 1.1, © Google and the Noto project authors"
DEB_PACKAGE = "fonts-noto-core"
DEB_FOLDER = "usr/share/fonts/truetype/noto"
FILES = FONT_SHA256
WEIGHTS = ("Regular", "Bold")
DRAW_SIZE = 64          # glyphs are drawn, thickened and distorted at this size
FILL = 20 / 28          # the glyph's longer side over the image side, as in MNIST
DEV_DRAWERS = 4
RENDER_VERSION = 1     # bump when the rendering changes: saved renderings are renamed


def download(staging: Path, workdir: Path) -> None:
    """Download and unpack the Debian package; stage the font files the set uses."""
    stage_deb_files(NAME, DEB_PACKAGE, DEB_FOLDER, FILES, staging, workdir)


def script_fonts(folder: Path, table: Mapping[str, tuple[str, Sequence[str]]]
                 ) -> dict[str, tuple[str, list[Path]]]:
    """Script → (Unicode name prefix, its font files in ``folder``) for a font table."""
    return {script: (prefix, [folder / f"{stem}-{weight}.ttf" for stem in stems
                              for weight in WEIGHTS if f"{stem}-{weight}.ttf" in FILES])
            for script, (prefix, stems) in table.items()}


def _is_letter(char: str, prefix: str) -> bool:
    """A plain letter of the script: category Lu/Ll/Lo, named PREFIX …, no diacritic."""
    name = unicodedata.name(char, "")
    return (unicodedata.category(char) in ("Lu", "Ll", "Lo") and name.startswith(prefix + " ")
            and " WITH " not in name)


def script_characters(prefix: str, fonts: Sequence[Path], limit: int) -> list[str]:
    """Up to ``limit`` letters named ``prefix`` … that every font has, evenly spaced over
    the script's code points."""
    from fontTools.ttLib import TTFont      # matplotlib's dependency, only needed here

    common = None
    for path in fonts:
        codes = set(TTFont(path, lazy=True).getBestCmap())
        common = codes if common is None else common & codes
    letters = [chr(code) for code in sorted(common or ()) if _is_letter(chr(code), prefix)]
    if len(letters) > limit:
        letters = [letters[i] for i in np.linspace(0, len(letters) - 1, limit).round().astype(int)]
    return letters


def _ink_square(font: ImageFont.FreeTypeFont, char: str) -> Image.Image | None:
    """The glyph drawn white on black, cropped to its ink, centred in a DRAW_SIZE square."""
    canvas = Image.new("L", (3 * DRAW_SIZE, 3 * DRAW_SIZE))
    ImageDraw.Draw(canvas).text((1.5 * DRAW_SIZE, 1.5 * DRAW_SIZE), char, fill=255,
                                font=font, anchor="mm")
    box = canvas.getbbox()
    if box is None:
        return None
    glyph = canvas.crop(box)
    side = int(np.ceil(max(glyph.size) / FILL))
    square = Image.new("L", (side, side))
    square.paste(glyph, ((side - glyph.size[0]) // 2, (side - glyph.size[1]) // 2))
    return square.resize((DRAW_SIZE, DRAW_SIZE), Image.Resampling.LANCZOS)


def _distort(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A random stroke change (thin, same, thick) and affine map: ±10° rotation, ±0.15
    shear, 0.85–1.1 scale, ±3 px shift (at DRAW_SIZE) about the centre."""
    stroke = rng.choice(3, p=(0.25, 0.5, 0.25))
    if stroke == 0:
        image = image.filter(ImageFilter.MinFilter(3))
    elif stroke == 2:
        image = image.filter(ImageFilter.MaxFilter(3))
    angle, shear = np.deg2rad(rng.uniform(-10, 10)), rng.uniform(-0.15, 0.15)
    scale, shift = rng.uniform(0.85, 1.1), rng.uniform(-3, 3, size=2)
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    forward = rotate @ np.array([[1.0, shear], [0.0, 1.0]]) * scale
    inverse = np.linalg.inv(forward)           # PIL maps output pixels back to input ones
    centre = np.full(2, DRAW_SIZE / 2)
    offset = centre - inverse @ (centre + shift)
    coefficients = (*inverse[0], offset[0], *inverse[1], offset[1])
    return image.transform(image.size, Image.Transform.AFFINE, coefficients,
                           resample=Image.Resampling.BILINEAR)


def render_glyph(font: ImageFont.FreeTypeFont, char: str, size: int = 28,
                 rng: np.random.Generator | None = None) -> np.ndarray | None:
    """One glyph as float32 (size, size) in [0, 1], max 1; distorted when ``rng`` is given.
    None when the font draws no ink for ``char``."""
    square = _ink_square(font, char)
    if square is None:
        return None
    if rng is not None:
        square = _distort(square, rng)
    pixels = np.asarray(square.resize((size, size), Image.Resampling.BOX), dtype=np.float32)
    peak = pixels.max()
    return pixels / peak if peak > 0 else None


def _check_options(size: int, drawers: int, max_characters: int) -> None:
    for name, value, low in (("size", size, 8), ("drawers", drawers, 2),
                             ("max_characters", max_characters, 2)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise DataError(f"{NAME} {name} must be an integer >= {low}, got {value!r}")


def render_set(scripts: Mapping[str, tuple[str, Sequence[Path]]], size: int = 28,
               drawers: int = 20, max_characters: int = 40, seed: int = 0
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Render every script's characters: (images (N, 1, size, size) float32, labels (N,)
    int64, drawer of each image (N,), class names "Script U+XXXX"). Drawer j uses font
    j mod (number of fonts); each (class, drawer) has its own seeded distortion, so a
    set is the same on every machine with the same fonts and Pillow."""
    _check_options(size, drawers, max_characters)
    images, labels, names = [], [], []
    for script, (prefix, paths) in scripts.items():
        if not paths:
            raise DataError(f"{NAME}: script {script!r} has no font files")
        fonts = [ImageFont.truetype(str(path), DRAW_SIZE) for path in paths]
        seen: set[bytes] = set()
        for char in script_characters(prefix, paths, max_characters):
            plain = render_glyph(fonts[0], char, size)
            if plain is None or plain.tobytes() in seen:     # blank or a look-alike
                continue
            seen.add(plain.tobytes())
            rng = np.random.default_rng([seed, ord(char)])
            drawn = [render_glyph(fonts[j % len(fonts)], char, size, rng) for j in range(drawers)]
            if any(image is None for image in drawn):
                continue
            images.extend(drawn)
            labels.extend([len(names)] * drawers)
            names.append(f"{script} U+{ord(char):04X}")
    if not names:
        raise DataError(f"{NAME}: no characters could be rendered from {list(scripts)}")
    x = np.stack(images)[:, None]                                # (N, 1, size, size)
    return x, np.array(labels, np.int64), np.tile(np.arange(drawers), len(names)), names


def script_of(class_name: str) -> str:
    """The script of a class name "Script U+XXXX"."""
    return class_name.rsplit(" ", 1)[0]


def _rendered(folder: Path, size: int, drawers: int, max_characters: int, seed: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """``render_set`` of all 42 scripts, kept as an .npz beside the fonts after the first
    time (rendering takes about half a minute)."""
    saved = folder / f"rendered-v{RENDER_VERSION}-{size}-{drawers}-{max_characters}-{seed}.npz"
    if saved.is_file():
        with np.load(saved, allow_pickle=False) as arrays:
            return (arrays["x"], arrays["y"], arrays["drawer"],
                    [str(name) for name in arrays["names"]])
    table = {**script_fonts(folder, BACKGROUND), **script_fonts(folder, EVALUATION)}
    x, y, drawer, names = render_set(table, size, drawers, max_characters, seed)
    partial = saved.with_name(saved.name + ".partial.npz")
    np.savez(partial, x=x, y=y, drawer=drawer, names=np.array(names))
    partial.replace(saved)
    return x, y, drawer, names


def load(size: int = 28, drawers: int = 20, max_characters: int = 40,
         seed: int = 0) -> DataSplits:
    """Render the set from the cached fonts (module docstring for the split)."""
    _check_options(size, drawers, max_characters)
    if drawers <= DEV_DRAWERS:
        raise DataError(f"{NAME} drawers must be > {DEV_DRAWERS} (the dev drawers), "
                        f"got {drawers}")
    folder = cached_files(NAME, FILES)
    x, y, drawer, names = _rendered(folder, size, drawers, max_characters, seed)
    background = np.isin([script_of(n) for n in names], list(BACKGROUND))[y]
    train = background & (drawer < drawers - DEV_DRAWERS)
    dev = background & ~train
    return make_splits(NAME, ArrayDataset(x[train], y[train]), ArrayDataset(x[dev], y[dev]),
                       ArrayDataset(x[~background], y[~background]), task="classification",
                       description=DESCRIPTION, class_names=names)
