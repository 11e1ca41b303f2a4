#!/usr/bin/env python3
"""Seed corpora for the fuzz targets from the shared captures (classic pcap, Ethernet).

usage: fuzz-seeds.py <pcap-dir> <corpus-root>
Writes <corpus-root>/<target>/<n> files: UDP payloads for the message decoders and header
decryption, prefixed payloads for the dissector and transforms, whole frames for link-layer
extraction and the capture files themselves for the capture reader.
"""
import os
import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield data[off:off + caplen]
        off += caplen


def udp_payload(frame):
    if len(frame) < 42 or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 0x0F) * 4
    if frame[23] != 17:
        return None
    udp = 14 + ihl
    length = struct.unpack(">H", frame[udp + 4:udp + 6])[0]
    return frame[udp + 8:udp + length]


def main():
    pcap_dir, root = sys.argv[1], sys.argv[2]
    n = 0
    wire_targets = ["wire-decode", "wire-register", "wire-packet", "wire-register-ack",
                    "wire-register-super", "wire-unregister-super", "wire-register-super-ack",
                    "wire-register-super-nak", "wire-peer-info", "wire-query-peer",
                    "wire-re-register-super", "header-decrypt"]

    def put(target, blob):
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "seed-%04d" % n), "wb") as f:
            f.write(blob)

    for name in sorted(os.listdir(pcap_dir)):
        path = os.path.join(pcap_dir, name)
        with open(path, "rb") as f:
            put("capture-reader", f.read())
        for frame in frames(path):
            n += 1
            put("udp-datagram", b"\x01" + frame)
            payload = udp_payload(frame)
            if payload is None:
                continue
            for t in wire_targets:
                put(t, payload)
            put("dissector", bytes([n % 5]) + payload)
    print("fuzz seeds: %d frames from %s" % (n, pcap_dir))


if __name__ == "__main__":
    main()
