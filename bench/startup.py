"""Cold start: the whole-process time of `relazione ask` (a question answered from the
tables) and of `relazione documents`, against a bare `python -c "import sqlalchemy,
pydantic, typer"` in the same run. Goal: at most 1.5x.

The bundled corpus is stored once in a temporary data dir (without the embedding index:
neither command needs it); then the three processes run in turn, `--repeat` times each,
interleaved so that they share the machine's load, and the medians are compared. Bytecode
is written and used (PYTHONDONTWRITEBYTECODE is dropped), as for an installed app.

    .venv/bin/python bench/startup.py [--repeat 7] [--profile]

`--profile` then prints, for each `relazione` command, where one more run spent its time (cProfile,
cumulative, the app's and the libraries' top lines), to see what the ratio is made of.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Qual è il grado di raggiungimento dell'Ente?"
COMMANDS = {
    "bare import": [sys.executable, "-c", "import sqlalchemy, pydantic, typer"],
    "relazione documents": [sys.executable, "-m", "assistant", "documents"],
    "relazione ask": [sys.executable, "-m", "assistant", "ask", QUESTION, "--year", "2019"],
}


def prepare(data_dir: Path, env: dict[str, str]) -> None:
    """The corpus in the store only (no index), as a first `relazione ingest` would leave it."""
    code = (
        "import sys; from pathlib import Path; from assistant.settings import Settings;"
        "from assistant.workspace import Workspace, expand;"
        "ws = Workspace(Settings(), index=None);"
        "[ws.ingest(p) for p in expand([Path(sys.argv[1])])]"
    )
    subprocess.run([sys.executable, "-c", code, str(ROOT / "corpus")], cwd=ROOT, env=env, check=True)


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process; CPU time is what the machine's load does
    not inflate (the helpers share 2 cores), so both are shown."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def profile(name: str, command: list[str], env: dict[str, str], lines: int = 30) -> str:
    """One more run of `command` under cProfile: its top `lines` by cumulative time."""
    done = subprocess.run([command[0], "-m", "cProfile", "-s", "cumulative", *command[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    table = done.stdout[done.stdout.find("   ncalls"):].splitlines()
    return "\n".join([f"\n-- {name}: cProfile, top {lines} by cumulative time", *table[: lines + 1]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="then one profiled run of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "RELAZIONE_DATA_DIR": str(Path(tmp) / "data"), "HF_HUB_OFFLINE": "1",
               "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        env.pop("RELAZIONE_LLM", None)
        # as an installed app runs: modules compiled once (.pyc), not at every start
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        prepare(Path(tmp) / "data", env)
        walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
        cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
        # one run each outside the medians: the file cache warm, and `ask` builds the year's
        # view, facts and name catalog the later processes read back (assistant/disk_cache.py)
        first = {name: run_once(command, env) for name, command in COMMANDS.items()}
        for _ in range(args.repeat):
            for name, command in COMMANDS.items():
                wall, cpu = run_once(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        # cProfile runs modules and scripts, not `-c`
        profiles = [profile(n, c, env) for n, c in COMMANDS.items() if args.profile and c[1] == "-m"]
    base_wall = statistics.median(walls["bare import"])
    base_cpu = statistics.median(cpus["bare import"])
    print(f"{'process':<22}{'wall s':>8}{'ratio':>8}{'cpu s':>8}{'ratio':>8}   (medians of {args.repeat})")
    for name in COMMANDS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:<22}{wall:>8.3f}{wall / base_wall:>7.2f}x{cpu:>8.3f}{cpu / base_cpu:>7.2f}x")
    print("goal: relazione ask and relazione documents at most 1.5x the bare import")
    wall, cpu = first["relazione ask"]
    print(f"first relazione ask after the ingestion (builds what the others read back): {wall:.3f} s wall "
          f"({wall / base_wall:.2f}x), {cpu:.3f} s CPU ({cpu / base_cpu:.2f}x)")
    print("\n".join(profiles))


if __name__ == "__main__":
    main()
