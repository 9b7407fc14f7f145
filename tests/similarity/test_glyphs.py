"""The Omniglot-like glyph set, rendered from matplotlib's DejaVu fonts (no download)."""
from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFont

from ivanet.data.dataset import DataError
from ivanet.data.sets import glyphs
from ivanet.data.sets.glyph_fonts import BACKGROUND, EVALUATION, FONT_SHA256

font_manager = pytest.importorskip("matplotlib.font_manager")
DEJAVU = Path(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
DEJAVU_BOLD = DEJAVU.with_name("DejaVuSans-Bold.ttf")
if not DEJAVU.is_file() or not DEJAVU_BOLD.is_file():
    pytest.skip("matplotlib's DejaVu Sans fonts are not installed", allow_module_level=True)
SCRIPTS = {"Greek": ("GREEK", [DEJAVU, DEJAVU_BOLD]), "Armenian": ("ARMENIAN", [DEJAVU])}


@pytest.fixture(scope="module")
def tiny_set():
    return glyphs.render_set(SCRIPTS, size=20, drawers=4, max_characters=6, seed=3)


def test_tables_are_disjoint_and_every_font_is_hashed():
    assert not set(BACKGROUND) & set(EVALUATION)
    assert len(BACKGROUND) + len(EVALUATION) >= 30
    folder = Path("fonts")
    for script, (_, paths) in glyphs.script_fonts(folder, {**BACKGROUND, **EVALUATION}).items():
        assert paths, script
        assert all(path.name in FONT_SHA256 for path in paths)


def test_script_characters_are_plain_letters_of_the_script():
    letters = glyphs.script_characters("GREEK", [DEJAVU, DEJAVU_BOLD], 10)
    assert len(letters) == 10 and len(set(letters)) == 10
    assert all(glyphs._is_letter(c, "GREEK") for c in letters)
    assert not glyphs._is_letter("ά", "GREEK")          # a letter WITH a diacritic
    assert not glyphs._is_letter("A", "GREEK")


def test_rendered_set_shapes_labels_and_range(tiny_set):
    x, y, drawer, names = tiny_set
    assert x.shape == (len(names) * 4, 1, 20, 20) and x.dtype == np.float32
    assert np.allclose(x.reshape(len(x), -1).max(axis=1), 1.0) and x.min() >= 0
    assert np.array_equal(np.bincount(y), np.full(len(names), 4))
    assert np.array_equal(drawer[:8], [0, 1, 2, 3, 0, 1, 2, 3])
    assert {glyphs.script_of(n) for n in names} == {"Greek", "Armenian"}
    assert len(names) == 12
    # the drawers of one character differ (fonts and distortions) but stay alike: on
    # average nearer each other than to other characters
    flat = x.reshape(len(x), -1)
    assert not np.allclose(flat[0], flat[1])
    d = np.sqrt(((flat[:, None] - flat[None]) ** 2).sum(-1))
    same, off = y[:, None] == y[None], ~np.eye(len(y), dtype=bool)
    assert d[same & off].mean() < d[~same].mean()


def test_rendering_is_deterministic(tiny_set):
    again = glyphs.render_set(SCRIPTS, size=20, drawers=4, max_characters=6, seed=3)
    assert np.array_equal(again[0], tiny_set[0]) and again[3] == tiny_set[3]
    other = glyphs.render_set(SCRIPTS, size=20, drawers=4, max_characters=6, seed=4)
    assert not np.array_equal(other[0], tiny_set[0])
    font = ImageFont.truetype(str(DEJAVU), glyphs.DRAW_SIZE)
    plain = glyphs.render_glyph(font, "Ω", 28)
    assert np.array_equal(plain, glyphs.render_glyph(font, "Ω", 28))
    assert glyphs.render_glyph(font, " ", 28) is None          # no ink


def test_bad_input_is_refused():
    with pytest.raises(DataError, match="drawers must be an integer >= 2"):
        glyphs.render_set(SCRIPTS, drawers=1)
    with pytest.raises(DataError, match="size must be an integer >= 8"):
        glyphs.render_set(SCRIPTS, size=4)
    with pytest.raises(DataError, match="has no font files"):
        glyphs.render_set({"Greek": ("GREEK", [])})
    with pytest.raises(DataError, match="no characters"):
        glyphs.render_set({"Klingon": ("KLINGON", [DEJAVU_BOLD])}, drawers=2)
    with pytest.raises(DataError, match="dev drawers"):
        glyphs.load(drawers=4)
