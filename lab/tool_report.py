#!/usr/bin/env python3
"""Turns the --json output of n2nkit's diagnostic tools into the lab's one-line details.

  tool_report.py mtu        < n2n-mtu probe --json   ->  "PMTU DETAIL"
  tool_report.py mss-check  < n2n-mss check --json   ->  "PROBLEMS NOTES" (codes, comma-separated)
  tool_report.py mss-why    < n2n-mss check --json   ->  the text of the missing inward clamp
"""
import json
import sys


def mtu(r):
    detail = "%s probes in %.1f ms (%s): %s" % (r["probes_sent"], r["time_ms"], r["method"],
                                                r["statement"])
    for t in r.get("advice", {}).get("transforms", []):
        if t["cli"] == "-A3":
            detail += "; recommends -M %s for AES (-M %s peer to peer only)" % (
                t["relayed_tap_mtu"], t["direct_tap_mtu"])
    overlay = r.get("overlay", {}).get("statement")
    if overlay:
        detail += "; " + overlay
    return "%s %s" % (r.get("path_mtu"), detail)


def mss_check(r):
    problems = ",".join(f["code"] for f in r.get("findings", []) if f.get("problem")) or "-"
    notes = ",".join(f["code"] for f in r.get("findings", []) if not f.get("problem")) or "-"
    return "%s %s" % (problems, notes)


def mss_why(r):
    return next((f["text"] for f in r.get("findings", []) if f["code"] == "no_clamp_into_overlay"),
                "")


def main():
    try:
        report = json.loads(sys.stdin.read())
    except ValueError:
        print("? no JSON from the tool")
        return
    print({"mtu": mtu, "mss-check": mss_check, "mss-why": mss_why}[sys.argv[1]](report))


if __name__ == "__main__":
    main()
