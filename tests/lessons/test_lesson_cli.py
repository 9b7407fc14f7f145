"""``ivanet lesson list`` / ``ivanet lesson run``: output, folders, index page, errors."""
from click.testing import CliRunner

from ivanet.cli.main import cli
from ivanet.lessons.registry import LESSONS


def _invoke(*arguments):
    return CliRunner().invoke(cli, [str(a) for a in arguments])


def test_list_shows_every_lesson_by_day():
    result = _invoke("lesson", "list")
    assert result.exit_code == 0
    for lesson in LESSONS.values():
        assert lesson.name in result.output
    assert "Day 1" in result.output and "Day 2" in result.output


def test_run_one_lesson_writes_a_run_folder(tmp_path):
    result = _invoke("lesson", "run", "softmax", "--size", "smoke", "--runs-dir", tmp_path)
    assert result.exit_code == 0, result.output
    [folder] = tmp_path.glob("lesson-softmax-*")
    assert (folder / "lesson.html").is_file()
    assert "shown" in result.output


def test_run_several_builds_an_index(tmp_path):
    result = _invoke("lesson", "run", "softmax", "activations", "--size", "smoke",
                     "--runs-dir", tmp_path)
    assert result.exit_code == 0, result.output
    [course] = tmp_path.glob("course-*")
    index = (course / "index.html").read_text(encoding="utf-8")
    assert 'href="lesson-softmax/lesson.html"' in index
    assert (course / "lesson-activations" / "lesson.html").is_file()


def test_unknown_lesson_and_missing_name_are_user_errors():
    result = _invoke("lesson", "run", "nope")
    assert result.exit_code == 2 and "unknown lesson 'nope'" in result.output
    assert _invoke("lesson", "run").exit_code == 2
    assert _invoke("lesson", "run", "softmax", "--all").exit_code == 2
