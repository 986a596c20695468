"""Signing a webhook body: Django-free, so a receiver can check it the same way.

The header `X-Kam-Signature: t=<unix time>,v1=<hex>` holds HMAC-SHA256, keyed with the
endpoint's secret, of `<unix time>.` followed by the body's bytes.
"""

import hashlib
import hmac


def signature_header(*, secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signature_valid(
    *, secret: str, body: bytes, header: str, now: int, tolerance: int = 300
) -> bool:
    """What a receiver checks: the signature matches and is at most `tolerance` s old."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = signature_header(secret=secret, body=body, timestamp=timestamp)
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, header)
