"""ivanet.ops.threads: how work is cut, that BLAS is held at one thread inside and restored,
that nesting stays serial, errors propagate, and a forked child gets a working pool."""
import os
import sys
import threading

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from ivanet.ops import threads


def _blas_threads() -> int:
    """NumPy's BLAS threads (SciPy, loaded by other tests, may list its own BLAS first)."""
    path = threads._blas().filepath
    return next(i["num_threads"] for i in threadpool_info() if i["filepath"] == path)


pytestmark = pytest.mark.skipif(threads._blas() is None, reason="no BLAS controller found")


def test_spans_cut_the_items_into_contiguous_runs():
    assert threads.spans(10, 2) == [(0, 5), (5, 10)]
    assert threads.spans(7, 3) == [(0, 2), (2, 4), (4, 7)]
    assert threads.spans(1, 4) == [(0, 1)]


def test_one_blas_thread_runs_everything_in_the_caller():
    with threadpool_limits(limits=1):
        seen = threads.split(lambda a, b: (a, b, threading.current_thread().name), 10)
    assert seen == [(0, 10, threading.current_thread().name)]


def test_two_threads_share_the_work_with_blas_at_one_and_restore_it():
    def work(a, b):
        return a, b, _blas_threads(), threads.workers()

    with threadpool_limits(limits=2):
        results = threads.split(work, 10)
        assert _blas_threads() == 2
    assert [(a, b) for a, b, _, _ in results] == [(0, 5), (5, 10)]
    assert all(blas == 1 for _, _, blas, _ in results)     # BLAS held at one thread
    assert all(inner == 1 for _, _, _, inner in results)   # nested splits stay serial


def test_too_few_items_stay_in_the_caller():
    with threadpool_limits(limits=2):
        assert len(threads.split(lambda a, b: (a, b), 1)) == 1
        assert len(threads.split(lambda a, b: (a, b), 100, min_items=1000)) == 1


def test_an_error_in_a_worker_propagates_and_blas_is_restored():
    def work(a, b):
        if a > 0:
            raise ValueError("worker failed")
        return a

    with threadpool_limits(limits=2):
        with pytest.raises(ValueError, match="worker failed"):
            threads.split(work, 10)
        assert _blas_threads() == 2 and threads.workers() == 2


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="POSIX fork")
def test_a_forked_child_gets_a_working_pool():
    with threadpool_limits(limits=2):
        threads.split(lambda a, b: a, 10)                    # the parent's pool exists
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                                         # child: must not hang
            result = threads.split(lambda a, b: (a, b), 10)
            os.write(write, repr(result).encode())
            os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        assert os.read(read, 200).decode() == "[(0, 5), (5, 10)]" and status == 0


def test_even_runs_cut_into_the_fewest_runs_of_about_equal_size():
    assert threads.even_runs(0, 64, 56) == [(0, 32), (32, 64)]
    assert threads.even_runs(32, 64, 56) == [(32, 64)]
    assert threads.even_runs(0, 7, 3) == [(0, 2), (2, 4), (4, 7)]
    assert threads.even_runs(5, 5, 3) == []


def test_serial_blas_holds_blas_at_one_thread_and_restores_it():
    with threadpool_limits(limits=2):
        assert threads.serial_blas(_blas_threads) == 1
        assert _blas_threads() == 2
        with pytest.raises(ValueError):
            threads.serial_blas(int, "not a number")
        assert _blas_threads() == 2


def test_total_adds_the_parts_into_the_first():
    import numpy as np
    parts = [np.ones(3), np.full(3, 2.0), np.full(3, 3.0)]
    result = threads.total(parts)
    assert result is parts[0] and result.tolist() == [6.0, 6.0, 6.0]
