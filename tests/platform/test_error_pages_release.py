"""An error page shown to a signed-in user gives its database connection back.

The page keeps the menu (with the unread notifications badge) after the request's unit of work
has ended; reading the badge then must not begin a transaction on a connection nobody closes
(on PostgreSQL such a connection sat "idle in transaction" and blocked DDL forever).
"""

from __future__ import annotations

import pytest

from tests.platform.conftest import Live


@pytest.mark.parametrize("path", ["/projects/999999", "/programmes/999999"])
def test_an_error_page_returns_its_connection(live: Live, path: str) -> None:
    client = live.client("admin")
    page = client.get(path)
    assert page.status_code == 404
    assert 'id="nav-notifications"' in page.text  # the menu is kept
    assert live.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_an_unknown_address_returns_its_connection(live: Live) -> None:
    page = live.client("admin").get("/no-such-page")
    assert page.status_code == 404
    assert live.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
