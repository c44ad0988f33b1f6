"""The fake Jira site (a real HTTP server in a thread) every connector test talks to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connectors.fake_jira import FakeJira, start


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    """A running fake Jira Cloud site with no issues yet."""
    fake = FakeJira()
    server, thread = start(fake)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
