"""Argument handling of scripts/benchmark.py; no timing (the benchmark runs via make bench)."""

from __future__ import annotations

import pytest

import benchmark
from bench.pipeline import floor_sql


def test_defaults_repeat_three_times_at_full_scales(tmp_path):
    settings = benchmark.parse_args(["--work-dir", str(tmp_path)])
    assert settings.repeat == 3
    assert settings.gen_scales == (1.0, 10.0)
    assert settings.model_scales == (1.0, 10.0, 30.0, 100.0)
    assert settings.output.name == "benchmarks.md"
    assert not settings.quick


def test_quick_is_one_repetition_at_small_scales(tmp_path):
    settings = benchmark.parse_args(["--quick", "--repeat", "5", "--work-dir", str(tmp_path)])
    assert settings.repeat == 1
    assert max(settings.model_scales) < 1
    assert settings.quick


def test_max_scale_drops_larger_model_scales(tmp_path):
    settings = benchmark.parse_args(["--max-scale", "10", "--work-dir", str(tmp_path)])
    assert settings.model_scales == (1.0, 10.0)


@pytest.mark.parametrize("value", ["0", "-2", "x"])
def test_bad_repeat_is_a_usage_error(value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        benchmark.parse_args(["--repeat", value])
    assert exit_info.value.code == 2
    assert "--repeat" in capsys.readouterr().err


def test_floor_query_has_every_placeholder_filled():
    sql = floor_sql()
    assert "{" not in sql and "}" not in sql
    assert "date '2026-10-01'" in sql
