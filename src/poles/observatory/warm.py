"""Import, on a background thread, the modules a command will need after it has read its file.

Reading a large file runs in Arrow's threads without the GIL; importing SciPy's linear algebra
and pandas (which pyarrow's compute functions load at their first Python scalar) takes ~0.3 s of
one core. Started before the read, the imports overlap it instead of following it.
"""

from __future__ import annotations

import importlib
import threading

AFTER_READING = ("scipy.linalg", "pandas")


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional module: the code that needs it says so itself
            continue


def warm(names: tuple[str, ...] = AFTER_READING) -> threading.Thread:
    """Start importing `names` on a daemon thread; returns the thread (joining it is optional)."""
    thread = threading.Thread(target=_import_all, args=(names,), name="poles-warm-imports", daemon=True)
    thread.start()
    return thread
