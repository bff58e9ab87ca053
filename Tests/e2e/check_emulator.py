"""Checks, through `certhook emulator`'s observability routes, what the end-to-end tests promise:

- every target listener serves the certificate in --serving (status Associated);
- the certificate in --retired (if given) is on no target listener any more;
- CAS holds exactly one copy of each of them (matched by SHA-256 of the leaf DER);
- the event log shows no moment when a target listener lacked a valid certificate for a configured domain,
  from the moment the domain was first covered on that listener (before the first deploy nothing covers it).

Exits 0 when all hold, 1 with one line per violation otherwise.
"""
import argparse
import datetime
import hashlib
import json
import ssl
import sys
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def leaf_sha256(path):
    text = open(path).read()
    start = text.index("-----BEGIN CERTIFICATE-----")
    end = text.index("-----END CERTIFICATE-----", start) + len("-----END CERTIFICATE-----")
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(text[start:end])).hexdigest().upper()


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def covers(pattern, name):
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern == name:
        return True
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return False


def coverage_gaps(events, certificates, listener, domains):
    """Replays the event log for one listener; returns a message per moment a covered domain lost coverage."""
    serving = {}  # certificate id -> (domains, notBefore, notAfter)
    info = {c["certIdentifier"]: (c["sans"], parse_time(c["notBefore"]), parse_time(c["notAfter"])) for c in certificates}
    default = None
    for lb in STATE["loadBalancers"]:
        for l in lb["listeners"]:
            if l["id"] == listener:
                default = l.get("defaultCertificateId")
    ever_covered = set()
    gaps = []

    def covered(domain, at):
        certs = list(serving.values())
        if default in info:
            certs.append(info[default])
        return any(nb <= at <= na and any(covers(p, domain) for p in sans) for sans, nb, na in certs)

    for event in events:
        if event.get("listenerId") != listener:
            continue
        kind, cert, at = event["kind"], event.get("certificateId"), parse_time(event["time"])
        facts = (event.get("domains") or info.get(cert, ([], None, None))[0],
                 parse_time(event["notBefore"]) if event.get("notBefore") else info.get(cert, (None, at, at))[1],
                 parse_time(event["notAfter"]) if event.get("notAfter") else info.get(cert, (None, at, at))[2])
        if kind == "certificate-associated":
            serving[cert] = facts
        elif kind == "certificate-dissociating":
            serving.pop(cert, None)
        elif kind == "default-certificate-replaced":
            default = cert
            info.setdefault(cert, facts)
        for domain in domains:
            if covered(domain, at):
                ever_covered.add(domain)
            elif domain in ever_covered:
                gaps.append(f"{listener}: no valid certificate for {domain} at {event['time']} (event {event['seq']} {kind} {cert})")
    return gaps


def main():
    global STATE
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--listeners", required=True)
    parser.add_argument("--domains", required=True)
    parser.add_argument("--serving", required=True)
    parser.add_argument("--retired")
    args = parser.parse_args()

    STATE = json.loads(fetch(args.url + "/_emulator/state"))
    events = [json.loads(line) for line in fetch(args.url + "/_emulator/events").splitlines() if line.strip()]
    events.sort(key=lambda e: e["seq"])
    listeners = args.listeners.split(",")
    domains = args.domains.split(",")
    problems = []

    by_sha = {}
    for cert in STATE["certificates"]:
        by_sha.setdefault(cert["sha2"].upper(), []).append(cert)
    wanted = {"serving": leaf_sha256(args.serving)}
    if args.retired:
        wanted["retired"] = leaf_sha256(args.retired)
    ids = {}
    for role, sha in wanted.items():
        copies = by_sha.get(sha, [])
        if len(copies) != 1:
            problems.append(f"CAS holds {len(copies)} copies of the {role} certificate {sha[:16]}, expected 1")
        ids[role] = {c["certIdentifier"] for c in copies}

    for listener_id in listeners:
        listener = next((l for lb in STATE["loadBalancers"] for l in lb["listeners"] if l["id"] == listener_id), None)
        if listener is None:
            problems.append(f"{listener_id}: not in the emulator")
            continue
        attached = {a["certificateId"]: a["status"] for a in listener["certificates"]}
        if listener.get("defaultCertificateId"):
            attached.setdefault(listener["defaultCertificateId"], "Default")
        if not any(attached.get(i) in ("Associated", "Default") for i in ids["serving"]):
            problems.append(f"{listener_id}: does not serve the renewed certificate (has {attached})")
        if any(i in attached for i in ids.get("retired", set())):
            problems.append(f"{listener_id}: still has the previous certificate")
        problems += coverage_gaps(events, STATE["certificates"], listener_id, domains)

    for p in problems:
        print("check_emulator:", p, file=sys.stderr)
    if not problems:
        print(f"check_emulator: {len(listeners)} listeners serve {wanted['serving'][:16]}, "
              f"{len(events)} events without a coverage gap")
    return 1 if problems else 0


STATE = {}
if __name__ == "__main__":
    sys.exit(main())
