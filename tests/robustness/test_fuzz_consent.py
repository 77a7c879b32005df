"""Hypothesis on the consent page: arbitrary form posts to a live link and to made-up links.

The page is served without an API key (its state is the credential), so it takes whatever a browser
or a script sends: the answer is never a 5xx, and anything but a valid decision leaves the tenant
exactly as it was.
"""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from mockserver import MockServer
from tests.contract.budget import fuzz_settings, tally
from tests.robustness.helpers import client, fingerprint

KEY = "sapi_key_fuzz_consent"
server = MockServer()
http = client(server, KEY)
backend = server.tenant(KEY)
form_values = st.text(max_size=30) | st.sampled_from(["approve", "deny", "17841400000000001", "mock_creator"])
forms = st.dictionaries(st.sampled_from(["decision", "profile", "state", "x"]), form_values, max_size=3)


def fresh_link() -> str:
    response = http.post("/v1/accounts/connect", json={"platform": "threads"})
    assert response.status_code == 202, response.text
    return str(response.json()["auth_url"]).split("://", 1)[1].split("/", 1)[1]


@given(form=forms, raw=st.none() | st.binary(max_size=80), made_up=st.none() | st.text(min_size=1, max_size=40))
@fuzz_settings(default=40)
def test_any_form_post_gets_a_page_and_only_a_decision_changes_state(
    form: dict[str, str], raw: bytes | None, made_up: str | None
) -> None:
    tally("consent fuzz")
    path = "/" + fresh_link() if made_up is None else f"/_mock/oauth/consent/{quote(made_up, safe='')}"
    before = fingerprint(backend)
    if raw is not None:
        response = http.post(path, content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        response = http.post(path, data=form)
    assert response.status_code in (200, 302, 400, 404, 413), response.text
    assert response.headers["content-type"].startswith("text/html") or response.status_code == 302
    if response.status_code in (400, 404):
        assert fingerprint(backend) == before
    assert http.get(path).status_code in (200, 404)
