"""Promise 5, second half: the deploy hook fed hostile input gives a clear error and makes ZERO API writes.

Every case runs the real hook entry points (hooks/certbot/certhook-deploy, hooks/lego/certhook-lego-hook,
hooks/acme.sh/certhook.sh's certhook_deploy, and `certhook deploy-hook` itself) against one
`certhook emulator`; the emulator's /_emulator/requests is the judge of "zero writes". Inputs: missing files,
a directory where a file should be, symlink loops, a FIFO, a key for another certificate, chains in the wrong
order, 50 MB files, and paths with spaces and shell metacharacters in every hook variable (certbot
RENEWED_LINEAGE, lego v4 LEGO_CERT_*, lego v5 LEGO_HOOK_*, acme.sh arguments and its CERT_* environment).

Each case checks: the documented exit code (docs/hooks.md: 2 refused or unreadable, 64 usage or
configuration), one clear `error:` line on stderr naming the culprit, no crash or backtrace, no command run
from a metacharacter (a sentinel file stays absent), bounded time, zero API writes. Positive controls at the
end deploy a valid certificate from a metacharacter path through each hook and DO see writes, so the judge
is proven able to see them.

Usage: python3 Tests/reliability/hostile_deploy_hook.py        (about 30 s; last line "hostile: N passed, N failed")
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

ROOT = relib.ROOT
SENTINEL_NAME = "PWNED"
# Every shell metacharacter (and a space) in one path component; `$(...)` and backticks would create the
# sentinel in the case's directory if any layer ever handed the path to a shell.
META = "we ird $(touch PWNED) `touch PWNED`;touch PWNED|&<>*?'\"\\!#~{a,b}[x]"
LIMIT_SECONDS = 60


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class Fixtures:
    """A root, an intermediate and leaves for relib.DOMAINS, plus a leaf whose key is elsewhere."""

    def __init__(self, directory):
        d = self.dir = os.path.join(directory, "pki")
        os.makedirs(d)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        self.root, self.root_key = f"{d}/root.pem", f"{d}/root.key"
        openssl("req", "-x509", *ec, "-days", "3650", "-subj", "/CN=hostile root", "-keyout", self.root_key,
                "-out", self.root, "-addext", "basicConstraints=critical,CA:TRUE")
        self.inter, inter_key = f"{d}/inter.pem", f"{d}/inter.key"
        openssl("req", *ec, "-subj", "/CN=hostile intermediate", "-keyout", inter_key, "-out", f"{d}/inter.csr")
        with open(f"{d}/ca.ext", "w") as f:
            f.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        openssl("x509", "-req", "-in", f"{d}/inter.csr", "-CA", self.root, "-CAkey", self.root_key, "-set_serial", "2",
                "-days", "3650", "-extfile", f"{d}/ca.ext", "-out", self.inter)
        self.leaf, self.key = self._leaf("leaf", inter_key, 3)
        self.other_leaf, self.other_key = self._leaf("other", inter_key, 4)

    def _leaf(self, name, ca_key, serial):
        d = self.dir
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                f"/CN={relib.DOMAINS[0]}", "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.csr")
        with open(f"{d}/{name}.ext", "w") as f:
            f.write("subjectAltName=" + ",".join("DNS:" + n for n in relib.DOMAINS) + "\n"
                    "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\nbasicConstraints=CA:FALSE\n")
        openssl("x509", "-req", "-in", f"{d}/{name}.csr", "-CA", self.inter, "-CAkey", ca_key, "-set_serial",
                str(serial), "-days", "60", "-extfile", f"{d}/{name}.ext", "-out", f"{d}/{name}.pem")
        return f"{d}/{name}.pem", f"{d}/{name}.key"

    def text(self, *paths):
        return "".join(open(p).read() for p in paths)


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def lineage(base, fx, cert=None, chain=None, key=None):
    """A certbot-style lineage: cert.pem, chain.pem, fullchain.pem, privkey.pem (each overridable)."""
    os.makedirs(base, exist_ok=True)
    write(f"{base}/cert.pem", cert if cert is not None else fx.text(fx.leaf))
    write(f"{base}/chain.pem", chain if chain is not None else fx.text(fx.inter))
    write(f"{base}/fullchain.pem", (cert if cert is not None else fx.text(fx.leaf)) + fx.text(fx.inter))
    write(f"{base}/privkey.pem", key if key is not None else fx.text(fx.key))
    return base


class Suite:
    def __init__(self):
        self.binary = relib.certhook_binary()
        self.base = relib.work_dir("hostile")
        self.tally = relib.Tally("hostile")
        self.fx = Fixtures(self.base)
        seed = os.path.join(self.base, "seed.yaml")
        self.listeners = relib.write_seed(seed, 1, 2)
        self.emulator = relib.Emulator(self.binary, self.base, seed, os.path.join(self.base, "emulator-state.json"),
                                       "--job-delay", "50")
        self.config = os.path.join(self.base, "config.yaml")
        state = os.path.join(self.base, "state.json")
        write(self.config, "\n".join([
            "version: 1", "region: cn-hangzhou", f"statePath: {state}", "deployments:", "  - name: hostile",
            f"    domains: [{', '.join(relib.DOMAINS)}]", "    targets:", "      - loadBalancer: alb-rel-1", ""]))
        self.case_index = 0

    def env(self, extra):
        env = relib.environment(self.emulator)
        for name in list(env):
            if name.startswith(("RENEWED_", "LEGO_", "CERT_", "CA_CERT", "Le_", "DEPLOY_CERTHOOK")):
                del env[name]
        env.update({"CERTHOOK_CONFIG": self.config, "CERTHOOK_BIN": self.binary, "CERTHOOK_HOOK_TIMEOUT": "30",
                    "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true", "HOME": self.base})
        env.update(extra)
        return env

    def case_dir(self, label):
        self.case_index += 1
        d = os.path.join(self.base, f"case-{self.case_index:02d}", label)
        os.makedirs(d)
        return d

    def run(self, name, argv, env_extra, cwd, expect, mentions=(), stdin=None):
        """Runs one hostile case; `expect` is the exit code(s) allowed; `mentions` must appear in stderr."""
        expect = expect if isinstance(expect, tuple) else (expect,)
        while cwd and not os.path.isdir(cwd):
            cwd = os.path.dirname(cwd)
        before = self.emulator.requests()
        start = time.monotonic()
        try:
            proc = subprocess.run(argv, env=self.env(env_extra), cwd=cwd, capture_output=True, text=True,
                                  timeout=LIMIT_SECONDS, input=stdin, errors="replace")
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired:
            code, out, err = None, "", ""
        seconds = time.monotonic() - start
        after = self.emulator.requests()[len(before):]
        writes = [r["action"] for r in after if relib.is_write(r)]
        problems = []
        if code is None:
            problems.append(f"did not finish within {LIMIT_SECONDS} s")
        elif code not in expect:
            problems.append(f"exit {code}, expected {' or '.join(map(str, expect))}")
        if writes:
            problems.append(f"{len(writes)} API write(s): {writes}")
        error_lines = [l for l in err.splitlines() if l.lower().startswith("error:")]
        if code not in (None, 0) and not error_lines:
            problems.append("no 'error:' line on stderr")
        for word in mentions:
            if word not in err:
                problems.append(f"stderr does not mention {word!r}")
        for bad in ("Fatal error", "Stack dump", "Segmentation", "backtrace", "Illegal instruction", "SIGSEGV"):
            if bad in err or bad in out:
                problems.append(f"crash marker {bad!r} in output")
        for dirpath, _, files in os.walk(self.base):
            if SENTINEL_NAME in files:
                problems.append(f"a metacharacter ran a command: {os.path.join(dirpath, SENTINEL_NAME)}")
                os.remove(os.path.join(dirpath, SENTINEL_NAME))
        first = error_lines[0] if error_lines else (err.strip().splitlines() or [""])[-1]
        relib.log(f"{name}: exit {code}, {seconds:.1f} s, {len(after)} API calls, {len(writes)} writes: {first[:200]}")
        self.tally.record(name, problems)

    # --------------------------------------------------------------------------------------------- cases

    def certbot(self, name, lineage_path, expect, mentions=(), cwd=None):
        self.run(f"certbot: {name}", [os.path.join(ROOT, "hooks/certbot/certhook-deploy")],
                 {"RENEWED_LINEAGE": lineage_path, "RENEWED_DOMAINS": " ".join(relib.DOMAINS)},
                 cwd or os.path.dirname(lineage_path.rstrip("/")) or self.base, expect, mentions)

    def lego(self, name, cert, key, expect, mentions=(), domain=relib.DOMAINS[0], v5=False):
        if v5:
            extra = {"LEGO_HOOK_CERT_PATH": cert, "LEGO_HOOK_CERT_KEY_PATH": key, "LEGO_HOOK_CERT_DOMAIN": domain}
        else:
            extra = {"LEGO_CERT_PATH": cert, "LEGO_CERT_KEY_PATH": key, "LEGO_CERT_DOMAIN": domain,
                     "LEGO_ACCOUNT_EMAIL": "a@example.test"}
        extra = {k: v for k, v in extra.items() if v is not None}
        self.run(f"lego {'v5' if v5 else 'v4'}: {name}", [os.path.join(ROOT, "hooks/lego/certhook-lego-hook")], extra,
                 os.path.dirname(cert) if cert else self.base, expect, mentions)

    def acme_sh(self, name, domain, key, cert, ca, fullchain, expect, mentions=()):
        script = ("set -u; . \"$HOOK\"; certhook_deploy \"$1\" \"$2\" \"$3\" \"$4\" \"$5\"")
        self.run(f"acme.sh deploy: {name}",
                 ["bash", "-c", script, "acme.sh", domain, key, cert, ca, fullchain],
                 {"HOOK": os.path.join(ROOT, "hooks/acme.sh/certhook.sh"), "DEPLOY_CERTHOOK_CONFIG": self.config,
                  "DEPLOY_CERTHOOK_BIN": self.binary}, os.path.dirname(cert), expect, mentions)

    def acme_sh_env(self, name, cert, key, fullchain, expect, mentions=()):
        self.run(f"acme.sh reloadcmd: {name}", [self.binary, "deploy-hook", "--config", self.config],
                 {"CERT_PATH": cert, "CERT_KEY_PATH": key, "CERT_FULLCHAIN_PATH": fullchain,
                  "CA_CERT_PATH": fullchain, "Le_Domain": relib.DOMAINS[0]}, os.path.dirname(cert), expect, mentions)

    def explicit(self, name, args, expect, mentions=(), cwd=None):
        self.run(f"explicit: {name}", [self.binary, "deploy-hook", "--config", self.config, *args], {},
                 cwd or self.base, expect, mentions)

    def hostile_cases(self):
        fx = self.fx
        # --- missing files and paths with spaces and metacharacters in every variable
        d = self.case_dir(META)
        missing = os.path.join(d, "live", META)
        self.certbot("missing lineage with metacharacters", missing, 2, [META])
        self.certbot("lineage is the empty string", "", 64)
        self.lego("missing files with metacharacters", f"{missing}/{META}.crt", f"{missing}/{META}.key", 2, [META])
        self.lego("missing files with metacharacters", f"{missing}/{META}.crt", f"{missing}/{META}.key", 2, [META],
                  v5=True)
        self.lego("certificate path but no key path", f"{missing}/{META}.crt", None, (2, 64), v5=True)
        self.acme_sh("missing files with metacharacters", META, f"{missing}/{META}.key", f"{missing}/{META}.cer",
                     f"{missing}/ca.cer", f"{missing}/fullchain.cer", 2, [META])
        self.acme_sh_env("missing files with metacharacters", f"{missing}/{META}.cer", f"{missing}/{META}.key",
                         f"{missing}/fullchain.cer", 2, [META])
        self.explicit("missing files with metacharacters",
                      ["--cert", f"{missing}/{META}.pem", "--key", f"{missing}/k {META}.pem"], 2, [META])
        # valid files, hostile domain variables: the domain hint never reaches a shell; metacharacters in a
        # name that is not in the certificate must not make it deployable elsewhere
        good = lineage(os.path.join(d, "good " + META), fx)
        self.acme_sh("domain argument with metacharacters, key for another certificate", META,
                     fx.other_key, f"{good}/cert.pem", f"{good}/chain.pem", f"{good}/fullchain.pem", 2)

        wrong = lineage(os.path.join(d, "wrong key " + META), fx, key=fx.text(fx.other_key))
        self.run("certbot: RENEWED_DOMAINS with metacharacters, key for another certificate",
                 [os.path.join(ROOT, "hooks/certbot/certhook-deploy")],
                 {"RENEWED_LINEAGE": wrong, "RENEWED_DOMAINS": META + " example.test"}, d, 2, ["does not belong"])
        self.run("certbot: CERTHOOK_HOOK_TIMEOUT with metacharacters", [os.path.join(ROOT, "hooks/certbot/certhook-deploy")],
                 {"RENEWED_LINEAGE": good, "CERTHOOK_HOOK_TIMEOUT": "5; touch PWNED $(touch PWNED)"}, d, 64, ["timeout"])
        self.run("lego: CERTHOOK_CONFIG names a missing file with metacharacters",
                 [os.path.join(ROOT, "hooks/lego/certhook-lego-hook")],
                 {"LEGO_CERT_PATH": f"{good}/fullchain.pem", "LEGO_CERT_KEY_PATH": f"{good}/privkey.pem",
                  "CERTHOOK_CONFIG": os.path.join(d, META + ".yaml")}, d, 64, [META])

        # --- a directory where a file should be
        d = self.case_dir("directories")
        lin = lineage(os.path.join(d, "live dir"), fx)
        os.remove(f"{lin}/cert.pem")
        os.makedirs(f"{lin}/cert.pem")
        self.certbot("cert.pem is a directory", lin, 2, ["cert.pem", "is a directory"])
        lin = lineage(os.path.join(d, "live key dir"), fx)
        os.remove(f"{lin}/privkey.pem")
        os.makedirs(f"{lin}/privkey.pem")
        self.certbot("privkey.pem is a directory", lin, 2, ["privkey.pem", "is a directory"])
        self.lego("certificate path is a directory", d, fx.key, 2, ["is a directory"])
        self.explicit("--chain is a directory", ["--cert", fx.leaf, "--key", fx.key, "--chain", d], 2, ["is a directory"])
        self.run("explicit: --config is a directory", [self.binary, "deploy-hook", "--config", d, "--cert", fx.leaf,
                                                       "--key", fx.key], {}, d, 64)

        # --- symlink loops
        d = self.case_dir("symlinks")
        lin = lineage(os.path.join(d, "loop"), fx)
        os.remove(f"{lin}/cert.pem")
        os.symlink("a.pem", f"{lin}/cert.pem")
        os.symlink("cert.pem", f"{lin}/a.pem")
        self.certbot("cert.pem is a symlink loop", lin, 2, ["cert.pem", "symbolic links"])
        lin = lineage(os.path.join(d, "keyloop"), fx)
        os.remove(f"{lin}/privkey.pem")
        os.symlink("privkey.pem", f"{lin}/privkey.pem")
        self.certbot("privkey.pem links to itself", lin, 2, ["privkey.pem", "symbolic links"])
        os.symlink("self-lineage", os.path.join(d, "self-lineage"))
        self.certbot("lineage directory links to itself", os.path.join(d, "self-lineage"), 2, ["symbolic links"])
        os.symlink(os.path.join(d, "nowhere"), os.path.join(d, "dangling.pem"))
        self.lego("dangling certificate symlink", os.path.join(d, "dangling.pem"), fx.key, 2, ["dangling.pem", "no such file"])
        loop_config = os.path.join(d, "config-loop.yaml")
        os.symlink(loop_config, loop_config)
        self.run("explicit: --config is a symlink loop",
                 [self.binary, "deploy-hook", "--config", loop_config, "--cert", fx.leaf, "--key", fx.key], {}, d, 64)

        # --- a FIFO where a file should be: nobody will ever write to it
        d = self.case_dir("fifo")
        lin = lineage(os.path.join(d, "fifo"), fx)
        os.remove(f"{lin}/privkey.pem")
        os.mkfifo(f"{lin}/privkey.pem")
        self.run("explicit: key is a FIFO (bounded by --timeout 5)",
                 [self.binary, "deploy-hook", "--config", self.config, "--timeout", "5", "--cert", f"{lin}/cert.pem",
                  "--key", f"{lin}/privkey.pem"], {}, d, 2, ["not a regular file"])

        # --- a key for another certificate
        d = self.case_dir("wrong key")
        lin = lineage(os.path.join(d, "live"), fx, key=fx.text(fx.other_key))
        self.certbot("privkey.pem belongs to another certificate", lin, 2, ["does not belong"])
        self.lego("key for another certificate", fx.leaf, fx.other_key, 2, ["does not belong"])
        self.lego("lego v5 sets a certificate path but no key path", self.combined(d, fx.leaf, fx.inter), None, 64,
                  ["LEGO_HOOK_CERT_KEY_PATH"], v5=True)
        mixed = self.combined(d, fx.leaf, fx.inter, fx.other_key)
        self.lego("one .pem with the certificate and another key", mixed, mixed, 2, ["does not belong"])

        # --- chains in the wrong order
        d = self.case_dir("wrong order")
        lin = lineage(os.path.join(d, "reversed chain"), fx, chain=fx.text(fx.root, fx.inter))
        self.certbot("chain.pem lists the root before the intermediate", lin, 2, ["out of order"])
        self.lego("certificate file starts with the intermediate", self.combined(d, fx.inter, fx.leaf), fx.key, 2, ["order"])
        self.acme_sh_env("fullchain with the intermediate first", self.combined(d, fx.inter, fx.leaf), fx.key,
                         self.combined(d, fx.inter, fx.leaf), 2, ["order"])
        self.explicit("chain file holds an unrelated certificate",
                      ["--cert", fx.leaf, "--key", fx.key, "--chain", fx.root], 2, ["chain"])

        # --- 50 MB files
        d = self.case_dir("big")
        big_garbage = os.path.join(d, "garbage.pem")
        with open(big_garbage, "wb") as f:
            chunk = (b"-----BEGIN CERTIFICATE-----\n" + b"A" * 64 + b"\n") * 1024
            while f.tell() < 50 * 1024 * 1024:
                f.write(chunk)
        self.explicit("50 MB of unterminated certificate blocks", ["--cert", big_garbage, "--key", fx.key], 2, ["too large"])
        big_key = os.path.join(d, "big.key")
        with open(big_key, "wb") as f:
            f.write(os.urandom(50 * 1024 * 1024))
        self.explicit("50 MB random key file", ["--cert", fx.leaf, "--key", big_key], 2, ["too large"])
        big_chain = os.path.join(d, "big-chain.pem")
        with open(big_chain, "w") as f:
            text = fx.text(fx.inter)
            while f.tell() < 50 * 1024 * 1024:
                f.write(text * 1000)
        lin = lineage(os.path.join(d, "live"), fx)
        shutil.copyfile(big_chain, f"{lin}/chain.pem")
        self.certbot("chain.pem holds 50 MB of repeated certificates", lin, 2, ["chain.pem", "too large"])

        # --- the other commands that read certificate files refuse the same inputs without writing
        d = self.case_dir("other commands")
        bad_key = lineage(os.path.join(d, "wrong key " + META), fx, key=fx.text(fx.other_key))
        for label, cert, key in (("key for another certificate", f"{bad_key}/cert.pem", f"{bad_key}/privkey.pem"),
                                 ("certificate path is a directory", d, fx.key),
                                 ("50 MB key file", fx.leaf, big_key)):
            config = os.path.join(d, f"sync {label}.yaml")
            write(config, "\n".join([
                "version: 1", "region: cn-hangzhou", f"statePath: {d}/state.json", "deployments:", "  - name: hostile",
                f"    domains: [{', '.join(relib.DOMAINS)}]", f"    source: {{cert: {json.dumps(cert)}, key: {json.dumps(key)}}}",
                "    targets:", "      - loadBalancer: alb-rel-1", ""]))
            self.run(f"sync: {label}", [self.binary, "sync", "--config", config], {}, d, (1, 2))
            self.run(f"upload: {label}", [self.binary, "upload", cert, "--key", key, "--config", self.config], {}, d, 2)
            self.run(f"attach: {label}", [self.binary, "attach", "--cert", cert, "--key", key, "--listener",
                                          self.listeners[0], "--config", self.config], {}, d, 2)

        # --- nothing usable in the environment at all
        self.run("no ACME client variables and no --cert", [self.binary, "deploy-hook", "--config", self.config], {},
                 self.base, 64)
        self.explicit("--key without --cert", ["--key", fx.key], 64, ["need --cert"])

    def combined(self, directory, *paths):
        path = os.path.join(directory, "combined-" + "-".join(os.path.basename(p).split(".")[0] for p in paths) + ".pem")
        write(path, self.fx.text(*paths))
        return path

    def positive_controls(self):
        """Valid certificates under metacharacter paths deploy through each hook: writes are seen and succeed."""
        fx = self.fx
        d = self.case_dir("controls " + META)
        lin = lineage(os.path.join(d, "live " + META), fx)
        before = len([r for r in self.emulator.requests() if relib.is_write(r)])
        self.run_control("certbot hook deploys from a metacharacter lineage",
                         [os.path.join(ROOT, "hooks/certbot/certhook-deploy")],
                         {"RENEWED_LINEAGE": lin, "RENEWED_DOMAINS": " ".join(relib.DOMAINS)}, d, before)
        meta_config = os.path.join(d, f"config {META}.yaml")
        shutil.copyfile(self.config, meta_config)
        meta_bin_dir = os.path.join(d, f"bin {META}")
        os.makedirs(meta_bin_dir)
        os.symlink(self.binary, os.path.join(meta_bin_dir, "certhook"))
        self.run_control("acme.sh hook with metacharacters in every argument, config and binary path",
                         ["bash", "-c", 'set -u; . "$HOOK"; certhook_deploy "$1" "$2" "$3" "$4" "$5"', "acme.sh", META,
                          f"{lin}/privkey.pem", f"{lin}/cert.pem", f"{lin}/chain.pem", f"{lin}/fullchain.pem"],
                         {"HOOK": os.path.join(ROOT, "hooks/acme.sh/certhook.sh"), "DEPLOY_CERTHOOK_CONFIG": meta_config,
                          "DEPLOY_CERTHOOK_BIN": os.path.join(meta_bin_dir, "certhook")}, d, None)
        self.run_control("lego hook redeploys from metacharacter paths (no new writes needed)",
                         [os.path.join(ROOT, "hooks/lego/certhook-lego-hook")],
                         {"LEGO_CERT_PATH": f"{lin}/fullchain.pem", "LEGO_CERT_KEY_PATH": f"{lin}/privkey.pem",
                          "LEGO_CERT_DOMAIN": META, "CERTHOOK_CONFIG": meta_config,
                          "CERTHOOK_BIN": os.path.join(meta_bin_dir, "certhook")}, d, None)

    def run_control(self, name, argv, extra, cwd, writes_before):
        proc = subprocess.run(argv, env=self.env(extra), cwd=cwd, capture_output=True, text=True,
                              timeout=LIMIT_SECONDS)
        writes = len([r for r in self.emulator.requests() if relib.is_write(r)])
        problems = []
        if proc.returncode != 0:
            problems.append(f"exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
        if writes_before is not None and writes <= writes_before:
            problems.append("no API write seen: the zero-write judge would be blind")
        serving = self.emulator.state()
        if SENTINEL_NAME in os.listdir(cwd):
            problems.append("a metacharacter ran a command")
        relib.log(f"{name}: exit {proc.returncode}, {writes - (writes_before or 0)} writes so far")
        self.tally.record(f"control: {name}", problems)
        return serving


def main():
    suite = Suite()
    try:
        suite.hostile_cases()
        suite.positive_controls()
    finally:
        suite.emulator.stop()
    return suite.tally.finish()


if __name__ == "__main__":
    sys.exit(main())
