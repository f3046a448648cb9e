# schemathesis hooks for scripts/fuzz-api (loaded through schemathesis.toml).
import atexit
import os

import schemathesis

# A raw message (the mail gateway's body) is bytes on the wire, sent as text/plain would be.
schemathesis.serializer.alias("message/rfc822", "text/plain")

# Requests sent, for the script's summary.
_requests = 0


@schemathesis.hook
def after_call(context, case, response):
    global _requests
    _requests += 1


@atexit.register
def _write_count():
    path = os.environ.get("FUZZ_COUNT_FILE")
    if path:
        with open(path, "w") as f:
            f.write(str(_requests))
