"""A scenario solve runs in the thread pool: the same uvicorn worker answers /healthz meanwhile.

Page and API routes that touch the database or a solver are plain ``def`` (FastAPI runs them in
its thread pool); the form is read by an async dependency. Were the solve route ``async def``,
the event loop would be held for the solver's whole time limit and every other request of the
worker would wait. Here a real uvicorn server, in a thread of this process, serves a scenario
whose solve runs to its time limit (values close to costs under a tight budget per year: a
multi-dimensional subset sum HiGHS cannot close in seconds). The test asserts an order, not a
duration: /healthz answers while the solver is still on a server thread's stack.
"""

from __future__ import annotations

import random
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from types import FrameType

import httpx
import uvicorn

from epmo.db import UnitOfWork
from epmo.engines.optimizer import solver
from epmo.intake.models import IntakeRequest, RequestCost
from tests.platform.conftest import Live
from tests.platform.test_faults import poll
from tests.web.helpers import csrf_of
from tests.world import password_for

YEARS = [str(year) for year in range(2027, 2032)]
CANDIDATES = 100
TIME_LIMIT = 5  # seconds the solver may take; the instance uses all of them


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: object) -> Iterator[str]:
    """A real uvicorn server for ``app`` in a thread of this process; its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",  # type: ignore[arg-type]
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        poll(lambda: server.started, 60, "uvicorn to start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)


def _hard_requests(live: Live) -> list[int]:
    """Requests in the decision stage whose benefit is about their cost (seeded)."""
    rnd = random.Random(11)
    ids = []
    with UnitOfWork(live.engine) as session:
        for number in range(CANDIDATES):
            costs = {year: rnd.randint(10_000, 100_000) for year in YEARS}
            benefit = sum(costs.values()) + rnd.randint(-500, 500)
            request = IntakeRequest(code=f"HARD-{number}", title=f"Hard request {number}",
                                    stage="decision", benefit_value=Decimal(benefit),
                                    department_id=live.world.departments["IT"])
            session.add(request)
            session.flush()
            session.add_all(RequestCost(request_id=request.id, period=year,
                                        amount=Decimal(amount)) for year, amount in costs.items())
            ids.append(request.id)
        session.commit()
    return ids


def _scenario(live: Live, request_ids: list[int]) -> int:
    """A scenario over the hard requests with half their cost as each year's budget."""
    api = live.client("admin")
    budgets = {year: CANDIDATES * 55_000 // 2 for year in YEARS}
    made = api.post("/api/v1/scenarios", json={"name": "Hard", "budgets": budgets,
                                               "objective": "benefit",
                                               "time_limit": TIME_LIMIT})
    assert made.status_code == 201, made.text
    added = api.post(f"/api/v1/scenarios/{made.json()['id']}/candidates",
                     json={"version": made.json()["version"], "request_ids": request_ids})
    assert added.status_code == 200, added.text
    return int(made.json()["id"])


def _signed_in(url: str, live: Live) -> httpx.Client:
    browser = httpx.Client(base_url=url, timeout=120)
    token = csrf_of(browser.get("/login").text)
    signed = browser.post("/login", data={"csrf_token": token,
                                          "email": live.world.email("admin"),
                                          "password": password_for("admin")})
    assert signed.status_code == 303, signed.text
    return browser


def _in_solver(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code is solver.solve.__code__:
            return True
        frame = frame.f_back
    return False


def solving() -> bool:
    """Whether some thread of this process (a server thread) is inside the optimiser."""
    return any(_in_solver(frame) for frame in sys._current_frames().values())


def test_healthz_answers_while_a_scenario_solves(live: Live) -> None:
    scenario_id = _scenario(live, _hard_requests(live))
    with serving(live.app) as url:
        browser = _signed_in(url, live)
        page = f"/scenarios/{scenario_id}"
        csrf = csrf_of(browser.get(page).text)
        answers: list[httpx.Response] = []
        solve = threading.Thread(target=lambda: answers.append(
            browser.post(f"{page}/solve", data={"csrf_token": csrf})))
        solve.start()
        poll(solving, 60, "the scenario solve to reach the optimiser")

        health = httpx.get(f"{url}/healthz", timeout=120)

        still_solving = solve.is_alive() and solving()
        solve.join()
        assert health.status_code == 200
        assert still_solving, "the solve finished before /healthz answered"
        assert not answers[0].is_error, answers[0].text
        assert answers[0].headers["location"] == page  # solved: back to the scenario
        solved = live.client("admin").get(f"/api/v1/scenarios/{scenario_id}").json()
        assert solved["result"]["status"] in {"feasible", "optimal"}
