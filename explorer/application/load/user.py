"""The Locust user of a load test: each virtual user runs the selected requests in order,
with a `Run` of its own (its own variables and captures, its own connections and
cookies) through the run engine's `Run.turn`: the same preparation, send and checks as
`run` and the window's runner. Imported in the child process only (it imports locust).

Every request is told to Locust (`events.request`), which keeps the timings and
percentiles; a failure (failures.py) goes with it as its exception.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from locust import User, task
from locust.exception import StopUser

from explorer.application.load.failures import failure_of
from explorer.application.load.plan import LoadJob
from explorer.application.load.reuse import ReusingRun
from explorer.application.running import RunResult

if TYPE_CHECKING:
    from explorer.core.http.transport import Transport


def user_class(job: LoadJob) -> type[User]:
    """The user class of `job`; the name is fixed ("CollectionUser"): a master and its
    workers find it by name."""
    plan, settings = job.plan, job.settings
    names = job.names
    numbers = itertools.count()  # which data row a user takes (per process)
    count = len(plan.selection)

    class CollectionUser(User):
        def wait_time(self) -> float:
            return self.think_time

        def on_start(self) -> None:
            from explorer.core.http.transport import Transport

            # The pace is the master's (a worker of another machine was started
            # without it): Locust hands its options to the workers with each spawn.
            options = self.environment.parsed_options
            self.iterations: int | None = getattr(
                options, "explorer_iterations", settings.iterations
            )
            self.think_time: float = getattr(options, "explorer_think_time", settings.think_time)

            number = next(numbers)
            rows = plan.data
            own = replace(plan, data=(rows[number % len(rows)],) if rows else (), iterations=None)
            self.transport: Transport = Transport(lean=True)  # Locust times it
            self.engine = ReusingRun(own, self.transport)
            self.index = 0
            self.iteration = 1

        def on_stop(self) -> None:
            self.transport.close()

        @task
        def next_request(self) -> None:
            if self.iterations is not None and self.iteration > self.iterations:
                raise StopUser()
            started = time.perf_counter()
            result = self.engine.turn(self.transport, self.iteration, self.index)
            wall_ms = (time.perf_counter() - started) * 1000
            tell(self, names[self.index], result, wall_ms)
            self.index += 1
            if self.index == count:
                self.index = 0
                self.iteration += 1
                if self.iterations is not None and self.iteration > self.iterations:
                    raise StopUser()

    return CollectionUser


def tell(user: User, name: str, result: RunResult, wall_ms: float) -> None:
    """Tell Locust about one request: its time is the exchange's (`elapsed_ms`, as
    Locust's HttpUser times the request and its body), or the turn's without a response."""
    method, _, label = name.partition(" ")
    elapsed = result.elapsed_ms if result.status is not None else wall_ms
    context: dict[str, Any] = {}
    user.environment.events.request.fire(
        request_type=method,
        name=label,
        response_time=elapsed,
        response_length=result.size,
        exception=failure_of(result),
        context=context,
    )
