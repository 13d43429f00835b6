"""The generator's time and memory at its scales (and the other scales' seed sets, untimed)."""

from __future__ import annotations

from pathlib import Path

from bench.measure import Sample, repeat_step, run_measured
from bench.report import Report
from project_copy import generator_command, has_seeds


def generate(scale: float, out_dir: Path) -> Sample:
    """Run the generator once."""
    return run_measured(generator_command(out_dir, scale=scale), out_dir.parent)


def bench_generator(report: Report) -> dict[float, Path]:
    """Time the generator at its scales; generate (untimed) the other model-layer scales.
    Returns the seed folder of each scale.

    An untimed scale already generated in --work-dir is reused.
    """
    settings = report.settings
    folders: dict[float, Path] = {}
    for scale in sorted({*settings.gen_scales, *settings.model_scales}):
        out_dir = folders[scale] = settings.work_dir / f"seeds_{scale:g}"
        if scale in settings.gen_scales:
            report.generator.append(
                repeat_step(
                    "generator", scale, settings.repeat, lambda s=scale, o=out_dir: generate(s, o)
                )
            )
        elif not has_seeds(out_dir):
            generate(scale, out_dir)
    return folders
