"""`layout …` (and `python -m layout …`). Loading the engine takes a second; Ctrl-C then ends it as
Ctrl-C does later — one line, exit 130, no traceback."""
from __future__ import annotations

import gc
import os
import signal
import sys

from .errors import INTERRUPTED

# The engine and WeasyPrint make millions of small objects, few of them in cycles: collecting every
# 700 allocations (Python's default) took a quarter of a render's CPU (16-page benchmark: 50 s → 38 s
# CPU, 290 → 354 MB at most). The loaded modules are frozen out of every later collection.
GC_THRESHOLDS = (50_000, 20, 100)


def _interrupted_while_loading(signum, frame) -> None:
    print(INTERRUPTED, file=sys.stderr, flush=True)
    os._exit(130)             # nothing is written yet; a half-imported module has nothing to clean up


def main() -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from .cli import main as run
    gc.freeze()
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = run()
        signal.signal(signal.SIGINT, signal.SIG_IGN)      # done: a Ctrl-C now changes nothing
    except KeyboardInterrupt:         # while the command line is read, before the command's own handling
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(INTERRUPTED, file=sys.stderr)
        code = 130
    if code == 130:
        # Interrupted: the workers were killed mid-way, and the process pool's threads, which the
        # interpreter joins at exit, may still wait on them. Everything is cleaned up: leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
