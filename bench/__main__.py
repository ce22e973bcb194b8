"""Run every benchmark in bench/ one after another, each with its own defaults.

    PYTHONPATH=. .venv/bin/python -m bench                 # all of them
    PYTHONPATH=. .venv/bin/python -m bench record_move     # those whose names contain a word

For other options (--database, --sizes) run one benchmark's file directly.
"""

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    words = sys.argv[1:]
    names = sorted(
        path.stem
        for path in HERE.glob("bench_*.py")
        if not words or any(word in path.stem for word in words)
    )
    if not names:
        print(f"no benchmark in {HERE} matches {' '.join(words)}")
        return 1
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        # each benchmark parses its own options: give it none, so it runs with its defaults
        sys.argv = [str(HERE / f"{name}.py")]
        if module.main() != 0:
            failed.append(name)
        print(f"== {name} took {time.perf_counter() - started:.0f} s\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
