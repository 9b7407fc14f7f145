"""``ivanet train char_lstm --data FILE.txt`` then ``ivanet generate``, in-process."""
import pytest
from cli_helpers import invoke


@pytest.fixture(scope="module")
def char_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chars")
    (folder / "verse.txt").write_text("shall i compare thee to a summer's day\n" * 30)
    (folder / "small.toml").write_text(
        'batch_size = 8\nprogress = false\nreport = false\n\n[data_options]\nseq_len = 16\n'
        '\n[model_options]\nembedding_dim = 8\nhidden_size = 16\n')
    result = invoke("train", "char_lstm", "--data", folder / "verse.txt", "--epochs", "1",
                    "--config", folder / "small.toml", "--out", folder / "run")
    assert result.exit_code == 0, result.output + result.stderr
    return folder / "run"


def test_generate_prints_the_prompt_and_its_continuation(char_run):
    result = invoke("generate", char_run, "--prompt", "shall ", "--temperature", "0.5",
                    "--length", "30", "--top-k", "3", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("shall ") and len(result.stdout.rstrip("\n")) <= 36
    again = invoke("generate", char_run, "--prompt", "shall ", "--temperature", "0.5",
                   "--length", "30", "--top-k", "3", "--seed", "1")
    assert again.stdout == result.stdout


def test_unseen_prompt_characters_are_one_line_exit_2(char_run):
    result = invoke("generate", char_run, "--prompt", "Shall I")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: the prompt has 2 character(s) the model never "
                                     "saw: 'I', 'S' (it knows 18 characters)")


def test_bad_options_are_usage_errors(char_run):
    assert invoke("generate", char_run, "--prompt", "a", "--temperature", "-1").exit_code == 2
    assert invoke("generate", char_run).exit_code == 2  # --prompt is required
