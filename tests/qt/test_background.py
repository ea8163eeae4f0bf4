"""BackgroundQueue: work off the GUI thread, in order, results back on the GUI thread."""

from __future__ import annotations

import threading
import time

from explorer.qt.background import BackgroundQueue


def test_jobs_run_in_order_off_the_gui_thread_and_answer_on_it(qtbot):
    queue = BackgroundQueue()
    ran: list[tuple[int, str]] = []
    answered: list[tuple[int, str]] = []

    def job(number: int):
        def work() -> int:
            time.sleep(0.01 * (3 - number))  # the first job is the slowest
            ran.append((number, threading.current_thread().name))
            return number

        return work

    for number in range(3):
        queue.run(
            job(number), lambda result: answered.append((result, threading.current_thread().name))
        )
    qtbot.waitUntil(lambda: len(answered) == 3, timeout=5000)
    gui = threading.main_thread().name
    assert [number for number, _thread in ran] == [0, 1, 2]
    assert all(thread != gui for _number, thread in ran)
    assert answered == [(0, gui), (1, gui), (2, gui)]


def test_an_exception_is_handed_to_the_gui_thread(qtbot):
    queue = BackgroundQueue()
    errors: list[Exception] = []

    def fail() -> None:
        raise OSError("disk full")

    queue.run(fail, lambda _result: errors.append(AssertionError("not this")), errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], OSError) and str(errors[0]) == "disk full"


def test_wait_returns_once_every_job_has_run():
    queue = BackgroundQueue()
    done: list[int] = []
    for number in range(5):
        queue.run(lambda number=number: time.sleep(0.01) or done.append(number))
    assert queue.wait(5000)
    assert done == [0, 1, 2, 3, 4]


def test_finish_waits_and_hands_out_the_results_at_once(qtbot):
    queue = BackgroundQueue()
    answered: list[int] = []

    def slow(number: int):
        def work() -> int:
            time.sleep(0.2)
            return number

        return work

    for number in range(2):
        queue.run(slow(number), answered.append)
    assert queue.finish(10_000)
    # No turn of the event loop since: the results were delivered by finish itself.
    assert answered == [0, 1]
