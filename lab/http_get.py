#!/usr/bin/env python3
"""An HTTP download for the lab that tells a stall from a failure.

  http_get.py URL SECONDS    prints "<bytes> <sha256> <seconds> <status>"

status is "complete" (the whole body, as long as Content-Length said), "stalled" (the
connection was made but the body stopped arriving for SECONDS) or "failed:<reason>" (no
connection, no answer). Exit status 0 only when complete.
"""
import hashlib
import socket
import sys
import time
import urllib.parse


def main():
    url, limit = sys.argv[1], float(sys.argv[2])
    parts = urllib.parse.urlsplit(url)
    digest, count, start = hashlib.sha256(), 0, time.monotonic()
    try:
        conn = socket.create_connection((parts.hostname, parts.port or 80), timeout=limit)
    except OSError as e:
        print(f"0 - 0 failed:{e.__class__.__name__}")
        return 1
    conn.settimeout(limit)
    conn.sendall(f"GET {parts.path or '/'} HTTP/1.0\r\nHost: {parts.hostname}\r\n\r\n".encode())
    head, length, status = b"", None, "stalled"
    try:
        while b"\r\n\r\n" not in head:
            data = conn.recv(65536)
            if not data:
                status = "failed:no-answer"
                break
            head += data
        if b"\r\n\r\n" in head:
            header, body = head.split(b"\r\n\r\n", 1)
            for line in header.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            digest.update(body)
            count = len(body)
            while length is None or count < length:
                data = conn.recv(65536)
                if not data:
                    break
                digest.update(data)
                count += len(data)
            status = "complete" if length is not None and count == length else "failed:short"
    except socket.timeout:
        status = "stalled"
    except OSError as e:
        status = f"failed:{e.__class__.__name__}"
    print(f"{count} {digest.hexdigest()} {time.monotonic() - start:.3f} {status}")
    return 0 if status == "complete" else 1


if __name__ == "__main__":
    sys.exit(main())
