# schemathesis hooks for scripts/fuzz-api (loaded through schemathesis.toml).
#
# The role's bearer token goes on every request (the mail gateway's own token on its
# endpoint, as `caseboard mailgate` sends it: the parser is fuzzed, not only its 401). The
# fuzzer may revoke the very token it uses (`DELETE /api/v1/auth/tokens/{id}` with a small
# id): then the role signs in again, so the rest of the run is not one long 401. It may
# remove contacts, but never the account a run signs in as (FUZZ_KEEP_ID, the customer's):
# such a removal is sent for a contact that does not exist instead, and so is an erasure
# (`POST /api/v1/users/{id}/erase`, which cannot be undone). An organization the
# fuzzer deactivates is reactivated at once, and so is a person (the engineer's and the
# customer's runs sign in after the admin's).
import atexit
import collections
import json
import os
import time

import requests
import schemathesis

BASE = os.environ["FUZZ_BASE"]
EMAIL = os.environ["FUZZ_EMAIL"]
PASSWORD = os.environ["FUZZ_PASSWORD"]
MAILGATE_TOKEN = os.environ["FUZZ_MAILGATE_TOKEN"]
INBOUND = "/api/v1/mail/inbound"
REVOKE = "/api/v1/auth/tokens/{id}"
REMOVE_CONTACT = "/api/v1/organizations/{slug}/contacts/{id}"
KEEP_ID = os.environ.get("FUZZ_KEEP_ID", "")
DEACTIVATE = "/api/v1/organizations/{slug}/deactivate"
DEACTIVATE_USER = "/api/v1/users/{id}/deactivate"
ERASE_USER = "/api/v1/users/{id}/erase"
NO_SUCH_CONTACT = 2**53 - 1

# A raw message (the mail gateway's body) is bytes on the wire, sent as text/plain would be.
schemathesis.serializer.alias("message/rfc822", "text/plain")


def sign_in():
    """A fresh token for the role (waiting out the sign-in limit when the fuzzer spent it)."""
    for _ in range(30):
        answer = requests.post(f"{BASE}/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10)
        if answer.status_code == 429:
            time.sleep(int(answer.headers.get("Retry-After", "2")))
            continue
        answer.raise_for_status()
        return answer.json()["token"]
    raise RuntimeError(f"cannot sign in as {EMAIL}")


_token = sign_in()
_renewals = 0


@schemathesis.auth(refresh_interval=None)
class RoleToken:
    def get(self, case, ctx):
        return MAILGATE_TOKEN if case.operation.path == INBOUND else _token

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


# Requests sent, by status, for the script's summary.
_statuses = collections.Counter()


@schemathesis.hook
def before_call(context, case, **kwargs):
    if (
        case.operation.path == REMOVE_CONTACT
        and case.operation.method.upper() == "DELETE"
        and str((case.path_parameters or {}).get("id")) == KEEP_ID
    ):
        case.path_parameters = {**case.path_parameters, "id": NO_SUCH_CONTACT}
    if case.operation.path == ERASE_USER and str((case.path_parameters or {}).get("id")) == KEEP_ID:
        case.path_parameters = {**case.path_parameters, "id": NO_SUCH_CONTACT}


@schemathesis.hook
def after_call(context, case, response):
    global _token, _renewals
    _statuses[response.status_code] += 1
    if case.operation.path == DEACTIVATE and response.status_code == 200:
        slug = response.json()["slug"]
        requests.post(
            f"{BASE}/api/v1/organizations/{slug}/reactivate",
            headers={"Authorization": f"Bearer {_token}"},
            timeout=10,
        ).raise_for_status()
    if case.operation.path == DEACTIVATE_USER and response.status_code == 200:
        user_id = (case.path_parameters or {}).get("id")
        requests.post(
            f"{BASE}/api/v1/users/{user_id}/reactivate",
            headers={"Authorization": f"Bearer {_token}"},
            timeout=10,
        ).raise_for_status()
    if case.operation.path == REVOKE and response.status_code == 204:
        still = requests.get(f"{BASE}/api/v1/me", headers={"Authorization": f"Bearer {_token}"}, timeout=10)
        if still.status_code == 401:
            _token = sign_in()
            _renewals += 1


@atexit.register
def _write_counts():
    path = os.environ.get("FUZZ_COUNT_FILE")
    if path:
        with open(path, "w") as f:
            counts = {str(k): v for k, v in sorted(_statuses.items())}
            json.dump({"statuses": counts, "renewals": _renewals}, f)
