"""How a delivery is signed, and how a receiver checks it.

The header `X-PT-Signature: t=<unix time>,v1=<hex>` carries HMAC-SHA256, keyed with the
subscription's secret, over `<t>.<raw body>` (the body's exact bytes, UTF-8). A receiver
recomputes it, compares in constant time and refuses a `t` too far from its own clock (replays).
"""

import hashlib
import hmac
import time

HEADER = "X-PT-Signature"
#: A receiver should refuse a signature older (or newer) than this many seconds.
TOLERANCE_SECONDS = 300


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret=secret, body=body, timestamp=timestamp)}"


def signature_valid(*, secret: str, body: bytes, header: str, now: float | None = None,
                    tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the header's signature matches and its time is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(given, signature(secret=secret, body=body, timestamp=timestamp))
