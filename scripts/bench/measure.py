"""Measuring one step: a subprocess's wall time and peak memory, a dbt command's node and
warehouse times, and DuckDB statements timed in a fresh process."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from project_copy import DBT, DbtProject

MODEL_PREFIX = "model.patreon_analytics."
DATA_STATEMENTS = ("create table", "create temporary table", "insert", "delete", "merge")


@dataclass
class Sample:
    """One measured run of a subprocess."""

    seconds: float
    peak_rss_mib: float
    inner_seconds: float | None = None
    warehouse_seconds: float | None = None
    data_seconds: float | None = None
    # Warehouse seconds per model (dbt runs only), from dbt's log.
    model_seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Result:
    """A benchmark step: median time and highest peak RSS over its repetitions."""

    step: str
    scale: float
    samples: list[Sample] = field(default_factory=list)
    # How the raw tables were landed, for the steps that read them.
    landing: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def inner_seconds(self) -> float | None:
        return self._median_of("inner_seconds")

    @property
    def warehouse_seconds(self) -> float | None:
        return self._median_of("warehouse_seconds")

    @property
    def data_seconds(self) -> float | None:
        return self._median_of("data_seconds")

    def _median_of(self, attribute: str) -> float | None:
        """The median of an optional Sample time over the samples that have it."""
        values = [getattr(s, attribute) for s in self.samples if getattr(s, attribute) is not None]
        return statistics.median(values) if values else None

    def model_seconds(self) -> dict[str, float]:
        """Each model's median warehouse seconds over the samples."""
        models = {model for sample in self.samples for model in sample.model_seconds}
        return {
            model: statistics.median(
                sample.model_seconds.get(model, 0.0) for sample in self.samples
            )
            for model in models
        }

    @property
    def peak_rss_mib(self) -> float:
        return max(sample.peak_rss_mib for sample in self.samples)


def run_measured(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run a command to completion; its wall time and its own peak RSS (os.wait4)."""
    log = cwd / "bench_step.log"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text()[-4000:]
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    # ru_maxrss is in KiB on Linux.
    return Sample(seconds=seconds, peak_rss_mib=usage.ru_maxrss / 1024)


def repeat_step(
    step: str,
    scale: float,
    times: int,
    run: Callable[[], Sample],
    setup: Callable[[], None] | None = None,
    landing: str = "",
) -> Result:
    """Run setup (if any) and a measured step `times` times; print the result."""
    result = Result(step, scale, landing=landing)
    for _ in range(times):
        if setup:
            setup()
        result.samples.append(run())
    print_result(result)
    return result


def alternate_steps(steps: Sequence[tuple[Result, Callable[[], Sample]]], times: int) -> None:
    """Run several steps in turn, `times` rounds, each sample into its step's result: steps
    compared with each other share the machine's drift (a slower minute slows them all),
    which measuring one step's repetitions and then the next one's does not."""
    for _ in range(times):
        for result, run in steps:
            result.samples.append(run())
    for result, _ in steps:
        print_result(result)


def print_result(result: Result) -> None:
    """One line for a measured step."""
    warehouse = f", warehouse {result.warehouse_seconds:.2f} s" if result.warehouse_seconds else ""
    landed = f" ({result.landing} landing)" if result.landing else ""
    print(
        f"  {result.step} @ {result.scale:g}{landed}: {result.seconds:.2f} s{warehouse}, "
        f"{result.peak_rss_mib:.0f} MiB",
        flush=True,
    )


def dbt_step(project: DbtProject, *args: str) -> Sample:
    """Run one dbt command in the project copy, with the models' node and warehouse times.

    dbt writes its file log as JSON lines here, so the SQL statements of the models can be
    told apart from dbt's own and their times summed (models_warehouse_times).
    """
    log = project.root / "logs" / "dbt.log"
    log.unlink(missing_ok=True)
    sample = run_measured([DBT, "--log-format-file", "json", *args], project.root, project.env())
    sample.inner_seconds = models_execution_time(project)
    times = models_warehouse_times(log)
    if times.per_model:
        sample.warehouse_seconds, sample.data_seconds = times.total, times.data
        sample.model_seconds = times.per_model
    return sample


def models_execution_time(project: DbtProject) -> float | None:
    """The models' execution times in the last dbt invocation, summed (run_results.json)."""
    path = project.root / "target" / "run_results.json"
    if not path.exists():
        return None
    times = [
        float(node["execution_time"])
        for node in json.loads(path.read_text())["results"]
        if node["unique_id"].startswith(MODEL_PREFIX)
    ]
    return sum(times) if times else None


@dataclass
class WarehouseTimes:
    """Seconds of the models' SQL statements: all, those that compute or write rows, and all
    per model."""

    total: float = 0.0
    data: float = 0.0
    per_model: dict[str, float] = field(default_factory=dict)


def models_warehouse_times(log: Path) -> WarehouseTimes:
    """Seconds the models' SQL statements took in the warehouse, from dbt's JSON log: all of
    them, those that compute or write rows (is_data_statement), and each model's. The rest
    is dbt's bookkeeping (views' DDL, renames, transactions, metadata queries), a fixed cost
    per model that does not grow with the data.

    Every statement is a SQLQuery event (naming the node's connection) followed on the same
    thread by a SQLQueryStatus event with its elapsed time. What the node time adds on top
    is dbt's own work: rendering the model, building statements, reading results.
    """
    times = WarehouseTimes()
    if not log.exists():
        return times
    connection_of_thread: dict[str, str] = {}
    data_of_thread: dict[str, bool] = {}
    for line in log.read_text().splitlines():
        event = json.loads(line)
        name, thread = event["info"]["name"], event["info"].get("thread", "")
        if name == "SQLQuery":
            connection_of_thread[thread] = event["data"].get("conn_name", "")
            data_of_thread[thread] = is_data_statement(event["data"].get("sql", ""))
        elif name == "SQLQueryStatus" and connection_of_thread.get(thread, "").startswith(
            MODEL_PREFIX
        ):
            elapsed = float(event["data"]["elapsed"])
            model = connection_of_thread[thread].removeprefix(MODEL_PREFIX)
            times.total += elapsed
            times.data += elapsed if data_of_thread.get(thread, False) else 0.0
            times.per_model[model] = times.per_model.get(model, 0.0) + elapsed
    return times


def is_data_statement(sql: str) -> bool:
    """True for a statement that computes or writes a model's rows (a table built from a
    query, an insert, a delete, a merge); dbt's query comment is skipped."""
    text = sql.strip()
    if text.startswith("/*"):
        text = text[text.find("*/") + 2 :]
    return " ".join(text.split()).lower().startswith(DATA_STATEMENTS)


def duckdb_script(project: DbtProject, body: str) -> Sample:
    """Run Python+DuckDB code against the warehouse in a subprocess; it prints its own time."""
    code = (
        "import duckdb, json, time\n"
        f"con = duckdb.connect({str(project.warehouse)!r})\n"
        "start = time.perf_counter()\n"
        f"{body}\n"
        "print(json.dumps({'inner_seconds': time.perf_counter() - start}))\n"
    )
    script = project.root / "bench_script.py"
    script.write_text(code)
    sample = run_measured([sys.executable, str(script)], project.root)
    last_line = (project.root / "bench_step.log").read_text().strip().splitlines()[-1]
    sample.inner_seconds = float(json.loads(last_line)["inner_seconds"])
    return sample


def time_statements(project: DbtProject, sql: str, name: str) -> Sample:
    """Run SQL statements (in the bench schema's warehouse) in a fresh process, timed."""
    (project.root / f"{name}.sql").write_text(sql)
    body = (
        "con.execute('create schema if not exists bench')\n"
        f"con.execute(open({str(project.root / (name + '.sql'))!r}).read())"
    )
    return duckdb_script(project, body)
