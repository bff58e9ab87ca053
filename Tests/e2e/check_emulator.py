"""Checks, through `certhook emulator`'s observability routes, what the end-to-end tests promise, on every
product's listeners (ALB, NLB, Global Accelerator, CLB; listener IDs as the emulator's state names them: ALB and
GA `lsr-...`, NLB `lsn-...`, CLB `<lb>:<port>`):

- every target listener serves the certificate in --serving (a binding in status Associated); a CLB listener
  holds SLB server certificates, each standing for the CAS certificate it copies (`aliCloudCertificateId`), and
  all CLB target listeners use one such copy; on a listener that binds certificates per domain (GA, CLB) every
  configured domain is bound to it;
- the certificate in --retired (if given) is on no target listener any more (nor a server certificate copying it);
- CAS holds exactly one copy of each of them (matched by SHA-256 of the leaf DER);
- the event log shows no moment when a target listener lacked a valid certificate for a configured domain,
  from the moment the domain was first covered on that listener (before the first deploy nothing covers it):
  the rules of the emulator's `CoverageReplay` (Sources/CloudEmulator/State/CoverageReplay.swift).

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


def _normalize(name):
    return name.lower().rstrip(".")


def _is_ldh(label):
    return bool(label) and all(c.isascii() and (c.isalnum() or c == "-") for c in label)


def covers(pattern, name):
    """Whether DNS-name pattern `pattern` covers host `name` (HostnameMatcher.matches: a wildcard stands for one
    whole left-most label of letters, digits and hyphens, over at least two more labels)."""
    pattern, name = _normalize(pattern), _normalize(name)
    if not pattern or not name:
        return False
    if "*" not in pattern:
        return pattern == name
    p, h = pattern.split("."), name.split(".")
    return (p[0] == "*" and len(p) >= 3 and len(p) == len(h) and all(_is_ldh(l) for l in p[1:])
            and _is_ldh(h[0]) and p[1:] == h[1:])


def is_covered(name, patterns):
    """Whether `name` is covered by any of `patterns` (HostnameMatcher.isCovered: a wildcard name only by the
    identical wildcard)."""
    name = _normalize(name)
    if "*" in name:
        return any(_normalize(p) == name for p in patterns)
    return any(covers(p, name) for p in patterns)


def bound_domain(event):
    """The domain a per-domain binding serves: `detail` `domain X` (GA) or `domain X extension de-...` (CLB)."""
    detail = event.get("detail") or ""
    if not detail.startswith("domain "):
        return None
    words = detail[len("domain "):].split(" ")
    return words[0] if words and words[0] else None


def coverage_gaps(events, certificates, listener, domains):
    """Replays the event log for one listener (the emulator's ID); returns a message per moment a covered domain
    lost coverage. The rules of CoverageReplay.swift: a certificate serves from `certificate-associated` until
    `certificate-dissociating`, per (certificate, bound domain); a binding whose detail says `domain X` serves X
    only, and only when the certificate's names (from the event) cover X, any other binding every name of the
    certificate; the default certificate serves from `default-certificate-replaced`; a certificate counts only
    within the validity the event gives; coverage is judged after each of those events. The log alone is read:
    `certificates` (the CAS list) is accepted for callers and not needed, every event carries its facts."""
    del certificates
    serving = {}  # (certificate id, bound domain) -> (names, notBefore, notAfter)
    default = None
    ever_covered = set()
    gaps = []

    def valid(entry, domain, at):
        names, not_before, not_after = entry
        return ((not_before is None or not_before <= at) and (not_after is None or at <= not_after)
                and any(covers(p, domain) for p in names))

    for event in sorted(events, key=lambda e: e["seq"]):
        if event.get("listenerId") != listener:
            continue
        kind, cert, at = event["kind"], event.get("certificateId"), parse_time(event["time"])
        bound = bound_domain(event)
        known = event.get("domains")
        if bound is not None:
            names = [bound] if known is None or is_covered(bound, known) else []
        else:
            names = list(known or [])
        entry = (names, parse_time(event["notBefore"]) if event.get("notBefore") else None,
                 parse_time(event["notAfter"]) if event.get("notAfter") else None)
        key = (cert or "", bound or "")
        if kind == "certificate-associated":
            serving[key] = entry
        elif kind == "certificate-dissociating":
            serving.pop(key, None)
        elif kind == "default-certificate-replaced":
            default = entry
        else:
            continue
        entries = list(serving.values()) + ([default] if default else [])
        for domain in domains:
            if any(valid(e, domain, at) for e in entries):
                ever_covered.add(domain)
            elif domain in ever_covered:
                gaps.append(f"{listener}: no valid certificate for {domain} at {event['time']} "
                            f"(event {event['seq']} {kind} {cert}{' ' + event['detail'] if event.get('detail') else ''})")
    return gaps


def cas_identifier(state, certificate_id):
    """The CAS identifier a listener's certificate stands for: a CLB's SLB server certificate stands for the CAS
    certificate it copies (`aliCloudCertificateId`); anything else is its own identifier."""
    for server in state.get("serverCertificates") or []:
        if server["id"] == certificate_id:
            cas = next((c for c in state["certificates"] if c["certId"] == server.get("aliCloudCertificateId")), None)
            return cas["certIdentifier"] if cas else f"slb:{certificate_id}"
    return certificate_id


def find_listener(state, listener_id):
    """(listener, product) of the emulator's listener ID; product `alb`, `nlb`, `ga` or `clb`."""
    for lb in state["loadBalancers"]:
        for listener in lb["listeners"]:
            if listener["id"] == listener_id:
                return listener, lb.get("product") or "alb"
    return None, None


def listener_problems(state, listener_id, ids, domains):
    """Serving and retired on one listener, by CAS identifier (`ids`: role -> set of CAS identifiers)."""
    listener, product = find_listener(state, listener_id)
    if listener is None:
        return [f"{listener_id}: not in the emulator"]
    problems = []
    bindings = [(cas_identifier(state, a["certificateId"]), a["status"], a.get("domain")) for a in listener["certificates"]]
    if listener.get("defaultCertificateId"):
        bindings.append((cas_identifier(state, listener["defaultCertificateId"]), "Default", None))
    serving = [b for b in bindings if b[0] in ids["serving"] and b[1] in ("Associated", "Default")]
    if not serving:
        problems.append(f"{listener_id} ({product}): does not serve the renewed certificate "
                        f"(has {[f'{c} {s}' + (f' {d}' if d else '') for c, s, d in bindings]})")
    elif any(d for _, _, d in bindings):  # per-domain bindings (GA, CLB): each configured domain bound to it
        unbound = [d for d in domains if not any(b[2] is None or _normalize(b[2]) == _normalize(d) for b in serving)]
        if unbound:
            problems.append(f"{listener_id} ({product}): {', '.join(unbound)} not bound to the renewed certificate")
    if any(c in ids.get("retired", set()) for c, _, _ in bindings):
        problems.append(f"{listener_id} ({product}): still has the previous certificate")
    return problems


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
        problems += listener_problems(STATE, listener_id, ids, domains)
        problems += coverage_gaps(events, STATE["certificates"], listener_id, domains)
    # CLB: every target listener reaches the renewed certificate through one server certificate copied from it.
    copies = {a["certificateId"] for listener_id in listeners
              for a in (find_listener(STATE, listener_id)[0] or {}).get("certificates", [])
              if a["certificateId"] != cas_identifier(STATE, a["certificateId"])
              and cas_identifier(STATE, a["certificateId"]) in ids["serving"]}
    if len(copies) > 1:
        problems.append(f"CLB listeners use {len(copies)} server certificates copying the renewed certificate, "
                        f"expected 1: {sorted(copies)}")

    for p in problems:
        print("check_emulator:", p, file=sys.stderr)
    if not problems:
        products = {}
        for listener_id in listeners:
            product = find_listener(STATE, listener_id)[1]
            products[product] = products.get(product, 0) + 1
        mix = ", ".join(f"{n} {p.upper()}" for p, n in sorted(products.items()))
        print(f"check_emulator: {len(listeners)} listeners ({mix}) serve {wanted['serving'][:16]}, "
              f"{len(events)} events without a coverage gap")
    return 1 if problems else 0


STATE = {}
if __name__ == "__main__":
    sys.exit(main())
