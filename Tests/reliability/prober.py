"""Promise 2 by real handshakes: while a suite's sync runs against `certhook emulator --serve-tls`, a prober
handshakes every (listener, domain) pair every 50 ms with Python's ssl module (OpenSSL, not certhook's code):
SNI = the domain, the reliability CA as the only trust anchor, host name checking on. A handshake whose
certificate does not cover the name, has expired or does not chain to the CA is a bad handshake; a refused or
broken connection is counted apart (the emulator restarting is not a coverage gap).
"""
import hashlib
import itertools
import socket
import ssl
import threading
import time

INTERVAL = 0.05  # seconds between the starts of two rounds over all pairs
TIMEOUT = 2.0  # bound of one handshake, connect included
_offsets = itertools.count()
_offsets_lock = threading.Lock()


def serve_tls_args():
    """`--serve-tls --tls-port-offset K` with K unique among emulators running at the same time (ports 8001+
    of the reliability seeds become 9001+, 10001+, ... up to 56001+, then wrap)."""
    with _offsets_lock:
        k = next(_offsets) % 48
    return ["--serve-tls", "--tls-port-offset", str(1000 * (k + 1))]


class HandshakeProber:
    """Handshakes every (listener, domain) pair every INTERVAL seconds in a thread until `stop()`."""

    def __init__(self, emulator, listeners, domains, ca_file):
        state = emulator.state()
        endpoints = {}
        for lb in state.get("loadBalancers", []):
            for listener in lb.get("listeners", []):
                if listener.get("tlsEndpoint"):
                    address, port = listener["tlsEndpoint"].rsplit(":", 1)
                    endpoints[listener["id"]] = (address, int(port))
        missing = [l for l in listeners if l not in endpoints]
        if missing:
            raise RuntimeError(f"prober: no tlsEndpoint for {missing} (emulator started without --serve-tls?)")
        self.pairs = [(l, d, endpoints[l]) for l in listeners for d in domains]
        self.context = ssl.create_default_context(cafile=ca_file)
        self.context.check_hostname = True
        self.handshakes = 0
        self.bad = 0
        self.unreachable = 0
        self.rounds = 0
        self.served = set()
        self.examples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=30)
        return self.figures()

    def figures(self):
        return {"handshakes": self.handshakes, "bad": self.bad, "unreachable": self.unreachable,
                "rounds": self.rounds, "pairs": len(self.pairs), "served": len(self.served),
                "examples": list(self.examples)}

    def _run(self):
        while not self._stop.is_set():
            started = time.monotonic()
            for listener, domain, endpoint in self.pairs:
                if self._stop.is_set():
                    break
                self._handshake(listener, domain, endpoint)
            self.rounds += 1
            self._stop.wait(max(0.0, INTERVAL - (time.monotonic() - started)))

    def _handshake(self, listener, domain, endpoint):
        try:
            with socket.create_connection(endpoint, timeout=TIMEOUT) as raw:
                with self.context.wrap_socket(raw, server_hostname=domain) as tls:
                    der = tls.getpeercert(binary_form=True)
                    self.served.add(hashlib.sha256(der).hexdigest())
                    self.handshakes += 1
        except ssl.SSLCertVerificationError as error:
            self.handshakes += 1
            self.bad += 1
            if len(self.examples) < 5:
                self.examples.append(f"{listener} {domain}: {error.verify_message}")
        except (OSError, ssl.SSLError):
            self.unreachable += 1


def problems(figures):
    """A suite's failures from one prober's figures: any bad handshake, or none completed at all."""
    found = [f"{figures['bad']} bad handshakes: {'; '.join(figures['examples'])}"] if figures["bad"] else []
    if figures["handshakes"] == 0:
        found.append("the prober completed no handshake")
    return found
