"""nnlab's thread count in this process, passed to every call into the library.

nnlab has no thread setting of the whole process: each call runs its loops and BLAS on the
count it is given (the library's ThreadScope) and restores OpenMP's count for the calling
thread when it returns, so NumPy and PyTorch in the same process keep their own.
"""

import os

_threads = 0  # 0: every core, as nnlab train's default


def set_num_threads(threads: int) -> None:
    """Sets the threads nnlab's calls run on from now on (0: every core)."""
    global _threads
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
        raise ValueError(f"threads must be a whole number, at least 0 (every core), got {threads!r}")
    _threads = threads


def get_num_threads() -> int:
    """The threads nnlab's calls run on: set_num_threads's count, or the cores for 0."""
    return _threads if _threads > 0 else (os.cpu_count() or 1)


def resolve(threads) -> int:
    """A call's `threads` argument: the given count, or the process's setting for None."""
    if threads is None:
        return _threads
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
        raise ValueError(f"threads must be a whole number, at least 0 (every core), got {threads!r}")
    return threads
