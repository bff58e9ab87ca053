"""Shared helpers of certhook's reliability suites (chaos, coverage, crash, concurrent).

Everything runs the built `certhook` binary against `certhook emulator` processes on 127.0.0.1 with
kernel-chosen ports; certificates come from the openssl CLI. The emulator's observability routes are the
judge: /_emulator/state, /_emulator/events (the coverage replay of Tests/e2e/check_emulator.py) and
/_emulator/requests (attempts, retries, write calls).
"""
import argparse
import atexit
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHECKER = os.path.join(ROOT, "Tests", "e2e", "check_emulator.py")
ACCESS_KEY_ID = "reliability-key"
ACCESS_KEY_SECRET = "reliability-secret-not-real"
DOMAINS = ["example.test", "www.example.test"]
# Products beside ALB in the mixed fleet: one load balancer each (seed `product:`), its listener ID form in the
# emulator's state and log, its listener protocol, and the configuration key naming the whole instance.
PRODUCTS = ("nlb", "ga", "clb")
PRODUCT_SEED = {
    "nlb": {"lb": "nlb-rel-{b}", "listener": "lsn-rel-{b}-{l}", "protocol": "TCPSSL", "target": "nlbLoadBalancer"},
    "ga": {"lb": "ga-rel-{b}", "listener": "lsr-garel-{b}-{l}", "protocol": "HTTPS", "target": "gaAccelerator"},
    # A CLB listener is its load balancer and port: the seed gives no ID, the emulator names it `<lb>:<port>`.
    "clb": {"lb": "lb-rel-{b}", "listener": None, "protocol": "HTTPS", "target": "clbLoadBalancer"},
}
WRITE_ACTIONS = {
    "UploadUserCertificate", "AssociateAdditionalCertificatesWithListener",
    "DissociateAdditionalCertificatesFromListener", "UpdateListenerAttribute", "DeleteUserCertificate",
    # NLB (its own spelling), Global Accelerator, CLB (SLB)
    "DisassociateAdditionalCertificatesWithListener", "UpdateAdditionalCertificateWithListener", "UpdateListener",
    "UploadServerCertificate", "DeleteServerCertificate", "CreateDomainExtension", "SetDomainExtensionAttribute",
    "DeleteDomainExtension", "SetLoadBalancerHTTPSListenerAttribute",
}
UPLOAD_ACTIONS = {"UploadUserCertificate", "UploadServerCertificate"}
# Answers after which a client sends the same request again (spec section 6).
RETRYABLE_CODES = ("Throttling", "ServiceUnavailable", "SystemBusy", "IdempotenceProcessing",
                   "IncorrectStatus.Listener", "ResourceInConfiguring.Listener", "Conflict.Lock",
                   # the other products' busy codes (ApiAction's nlb/ga/slbBusyCodes)
                   "OperationFailed.ResourceIsConfiguring", "StateError.Accelerator", "StateError.Listener",
                   "NotActive.Listener", "DomainExtensionProcessing", "ServiceIsConfiguring",
                   "OperationFailed.ListenerStatusNotSupport", "BackendServer.configuring")

_print_lock = threading.Lock()


def log(*parts):
    with _print_lock:
        print(f"[reliability {datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}]", *parts, file=sys.stderr, flush=True)


def out(line):
    with _print_lock:
        print(line, flush=True)


def certhook_binary():
    """The certhook binary: $CERTHOOK_BIN, else SwiftPM's bin path (build it first)."""
    explicit = os.environ.get("CERTHOOK_BIN")
    if explicit:
        return explicit
    bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
    path = os.path.join(bin_dir, "certhook")
    if not os.access(path, os.X_OK):
        sys.exit(f"reliability: {path} missing; build it first: swift build --product certhook")
    # A private copy: a rebuild during the run must not swap (or lock) the binary under the suite.
    copy_dir = tempfile.mkdtemp(prefix="certhook-bin.")
    atexit.register(shutil.rmtree, copy_dir, True)
    copy = os.path.join(copy_dir, "certhook")
    shutil.copy2(path, copy)
    return copy


def work_dir(name):
    """A fresh folder for one suite: $RELIABILITY_DIR/NAME (kept) or a temporary one."""
    base = os.environ.get("RELIABILITY_DIR")
    if base:
        path = os.path.join(base, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path
    return tempfile.mkdtemp(prefix=f"certhook-{name}.")


# ---------------------------------------------------------------------------------------------- certificates

class Authority:
    """A throwaway CA that issues leaf certificates for DOMAINS with the openssl CLI."""

    def __init__(self, directory):
        self.dir = os.path.join(directory, "ca")
        os.makedirs(self.dir, exist_ok=True)
        self.key = os.path.join(self.dir, "ca.key")
        self.cert = os.path.join(self.dir, "ca.pem")
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-days", "3650", "-subj", "/CN=certhook reliability CA", "-keyout", self.key, "-out", self.cert)
        self.serial = 0

    def _openssl(self, *args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    def issue(self, name, days):
        """Issues a leaf valid from now for `days`; returns dict(cert, key, chain, leaf) of PEM paths."""
        self.serial += 1
        base = os.path.join(self.dir, name)
        key, csr, ext, leaf = base + ".key", base + ".csr", base + ".ext", base + ".pem"
        self._openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-subj", f"/CN={DOMAINS[0]}", "-keyout", key, "-out", csr)
        with open(ext, "w") as f:
            f.write("subjectAltName=" + ",".join("DNS:" + d for d in DOMAINS) + "\n"
                    "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\nbasicConstraints=CA:FALSE\n")
        self._openssl("x509", "-req", "-in", csr, "-CA", self.cert, "-CAkey", self.key,
                      "-set_serial", str(1000 + self.serial), "-days", str(days), "-extfile", ext, "-out", leaf)
        return {"cert": leaf, "key": key, "chain": self.cert, "leaf": leaf}


def install(bundle, live):
    """Copies a bundle to the fixed paths the configuration names (what a renewal does)."""
    os.makedirs(live, exist_ok=True)
    for role, name in (("cert", "cert.pem"), ("key", "privkey.pem"), ("chain", "chain.pem")):
        tmp = os.path.join(live, name + ".new")
        shutil.copyfile(bundle[role], tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, os.path.join(live, name))


# ---------------------------------------------------------------------------------------------- world

def write_seed(path, load_balancers, listeners_per_lb, edition="Standard", products=(), product_listeners=None):
    """An emulator seed: N ALB instances with M HTTPS listeners each, and beside them one load balancer per
    product of `products` (`nlb`, `ga`, `clb`) with `product_listeners` (default M) certificate-carrying
    listeners. Returns the listener IDs as the emulator's state and event log name them."""
    ids = []
    lines = ["region: cn-hangzhou", "accessKeys:", f"  - id: {ACCESS_KEY_ID}", f"    secret: {ACCESS_KEY_SECRET}",
             "loadBalancers:"]
    for b in range(1, load_balancers + 1):
        lines += [f"  - id: alb-rel-{b}", f"    edition: {edition}", "    listeners:"]
        for l in range(1, listeners_per_lb + 1):
            lid = f"lsr-rel-{b}-{l}"
            ids.append(lid)
            lines.append(f"      - {{id: {lid}, protocol: HTTPS, port: {8000 + l}}}")
    for product in products:
        spec = PRODUCT_SEED[product]
        lb = spec["lb"].format(b=1)
        lines += [f"  - id: {lb}", f"    product: {product}", "    listeners:"]
        for l in range(1, (product_listeners or listeners_per_lb) + 1):
            port = 8000 + l
            if spec["listener"]:
                lid = spec["listener"].format(b=1, l=l)
                lines.append(f"      - {{id: {lid}, protocol: {spec['protocol']}, port: {port}}}")
            else:
                lid = f"{lb}:{port}"
                lines.append(f"      - {{id: '', protocol: {spec['protocol']}, port: {port}}}")
            ids.append(lid)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ids


def write_config(path, live, state_path, load_balancers, concurrency=None, products=()):
    """One deployment whose targets are the ALB instances of `write_seed` and the load balancer of each product
    beside them (`nlbLoadBalancer`, `gaAccelerator`, `clbLoadBalancer`): one configuration, mixed targets."""
    lines = ["version: 1", "region: cn-hangzhou", f"statePath: {state_path}"]
    if concurrency:
        lines += ["rateLimits:", f"  concurrency: {concurrency}"]
    lines += ["deployments:", "  - name: reliability", f"    domains: [{', '.join(DOMAINS)}]", "    source:",
              f"      cert: {live}/cert.pem", f"      key: {live}/privkey.pem", f"      chain: {live}/chain.pem",
              "    targets:"]
    lines += [f"      - loadBalancer: alb-rel-{b}" for b in range(1, load_balancers + 1)]
    lines += [f"      - {PRODUCT_SEED[p]['target']}: {PRODUCT_SEED[p]['lb'].format(b=1)}" for p in products]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)


def products_arg(text):
    """`--products nlb,ga,clb` (argparse type): products beside ALB, each once, '' for none."""
    products = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    unknown = [p for p in products if p not in PRODUCTS]
    if unknown or len(set(products)) != len(products):
        raise argparse.ArgumentTypeError(f"{text!r}: a comma-separated list of {', '.join(PRODUCTS)}, each at most once")
    return products


def product_of(listener_id):
    """The product of a listener ID of `write_seed`: `alb`, `nlb`, `ga` or `clb`."""
    if listener_id.startswith("lsn-"):
        return "nlb"
    if listener_id.startswith("lsr-garel-"):
        return "ga"
    if ":" in listener_id:
        return "clb"
    return "alb"


def fleet_summary(listeners):
    """`80 listeners (50 ALB, 10 NLB, 10 GA, 10 CLB)`."""
    counts = {}
    for l in listeners:
        counts[product_of(l)] = counts.get(product_of(l), 0) + 1
    mix = ", ".join(f"{counts[p]} {p.upper()}" for p in ("alb", "nlb", "ga", "clb") if p in counts)
    return f"{len(listeners)} listeners ({mix})"


class Emulator:
    """A `certhook emulator` process with a persisted state file, so it can be stopped and restarted."""

    def __init__(self, binary, directory, seed, state, *args):
        self.log_path = os.path.join(directory, f"emulator-{int(time.time() * 1000)}.log")
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "emulator", "--listen", "127.0.0.1:0", "--seed", seed, "--state", state, *args],
            stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        self.url = None
        while self.url is None:
            if self.proc.poll() is not None:
                raise RuntimeError(f"emulator exited: {open(self.log_path).read()}")
            if time.time() > deadline:
                self.stop()
                raise RuntimeError(f"emulator did not start: {open(self.log_path).read()}")
            match = re.search(r"http://127\.0\.0\.1:\d+", open(self.log_path).read())
            if match:
                self.url = match.group(0)
            else:
                time.sleep(0.05)

    def get(self, route):
        with urllib.request.urlopen(self.url + route, timeout=30) as response:
            return response.read().decode()

    def requests(self):
        return [json.loads(l) for l in self.get("/_emulator/requests").splitlines() if l.strip()]

    def events(self):
        return [json.loads(l) for l in self.get("/_emulator/events").splitlines() if l.strip()]

    def state(self):
        return json.loads(self.get("/_emulator/state"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


def environment(emulator):
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("ALIBABA_CLOUD_", "CERTHOOK_")) and name != "CERTHOOK_BIN":
            del env[name]
    env.update({
        "ALIBABA_CLOUD_ACCESS_KEY_ID": ACCESS_KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "CERTHOOK_ALB_ENDPOINT": emulator.url, "CERTHOOK_CAS_ENDPOINT": emulator.url,
        # The other products' APIs are served on the same port (routed by action and version).
        "CERTHOOK_NLB_ENDPOINT": emulator.url, "CERTHOOK_GA_ENDPOINT": emulator.url,
        "CERTHOOK_SLB_ENDPOINT": emulator.url,
    })
    return env


def sync_command(binary, config):
    return [binary, "sync", "--config", config]


def run_sync(binary, config, emulator, output_path, timeout=300):
    """Runs `certhook sync` to the end; returns (exit code, seconds)."""
    start = time.monotonic()
    with open(output_path, "w") as f:
        proc = subprocess.run(sync_command(binary, config), env=environment(emulator), stdout=f,
                              stderr=subprocess.STDOUT, timeout=timeout)
    return proc.returncode, time.monotonic() - start


def check_world(emulator, listeners, serving, retired=None):
    """Tests/e2e/check_emulator.py on every product's listeners: serving (a CLB's server certificate standing for
    the CAS certificate it copies), retired, one CAS copy each, no coverage gap (per-domain bindings of GA and
    CLB included). Returns problems."""
    args = [sys.executable, CHECKER, "--url", emulator.url, "--listeners", ",".join(listeners),
            "--domains", ",".join(DOMAINS), "--serving", serving]
    if retired:
        args += ["--retired", retired]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if proc.returncode == 0:
        return []
    return [l for l in proc.stderr.splitlines() if l.strip()] or [f"check_emulator exited {proc.returncode}"]


def save_run(directory, emulator, listeners):
    """Keeps a run's state and event log for the coverage suite (Tests/reliability/coverage.py): every
    product's listeners, by the IDs the emulator's log uses."""
    with open(os.path.join(directory, "observed-state.json"), "w") as f:
        f.write(emulator.get("/_emulator/state"))
    with open(os.path.join(directory, "events.ndjson"), "w") as f:
        f.write(emulator.get("/_emulator/events"))
    with open(os.path.join(directory, "requests.ndjson"), "w") as f:
        f.write(emulator.get("/_emulator/requests"))
    with open(os.path.join(directory, "listeners.txt"), "w") as f:
        f.write("\n".join(listeners) + "\n")


# ---------------------------------------------------------------------------------------------- request log

def is_retryable(record):
    code = record.get("code") or ""
    return (record.get("fault") in ("throttle", "unavailable", "reset") or record.get("status", 200) >= 500
            or record.get("status") == 0 or any(c in code for c in RETRYABLE_CODES))


def request_figures(records):
    """Attempts (also by the product whose API answered), retries (attempts answered with a retryable failure,
    each followed by a new attempt), injected faults by kind, ClientToken replays, writes and non-retryable
    errors."""
    faults, products = {}, {}
    for r in records:
        if r.get("fault"):
            faults[r["fault"]] = faults.get(r["fault"], 0) + 1
        products[r.get("product") or "-"] = products.get(r.get("product") or "-", 0) + 1
    return {
        "products": products,
        "attempts": len(records),
        "retries": sum(1 for r in records if is_retryable(r)),
        "faults": faults,
        "replayed": sum(1 for r in records if r.get("replayed")),
        "writes": sum(1 for r in records if is_write(r)),
        "errors": sorted({f"{r['action']}:{r.get('code')}" for r in records
                          if r.get("status", 200) >= 400 and not is_retryable(r)}),
    }


def is_write(record):
    return record.get("action") in WRITE_ACTIONS and not record.get("dryRun")


def is_applied_write(record):
    """A write the emulator applied (answered 200, or applied before a reset), not a replay."""
    return is_write(record) and not record.get("replayed") and (
        record.get("status") == 200 or record.get("fault") in ("reset", "slow"))


def leaf_sha256(leaf_path):
    """The CAS `Sha2` of a PEM leaf (upper-case hex SHA-256 of its DER)."""
    text = open(leaf_path).read()
    start = text.index("-----BEGIN CERTIFICATE-----")
    end = text.index("-----END CERTIFICATE-----", start) + len("-----END CERTIFICATE-----")
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(text[start:end])).hexdigest().upper()


def server_copies(state, leaf_path):
    """How many CLB (SLB) server certificates in `state` copy the CAS certificate of a PEM leaf."""
    sha = leaf_sha256(leaf_path)
    cas_ids = {c["certId"] for c in state["certificates"] if c["sha2"].upper() == sha}
    return sum(1 for s in state.get("serverCertificates") or [] if s.get("aliCloudCertificateId") in cas_ids)


class Tally:
    def __init__(self, suite):
        self.suite = suite
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def record(self, name, problems):
        with self.lock:
            if problems:
                self.failed += 1
                log(f"not ok: {name}")
                for p in problems[:20]:
                    log(f"    {p}")
            else:
                self.passed += 1
                log(f"ok: {name}")

    def finish(self):
        out(f"{self.suite}: {self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 and self.passed > 0 else 1
