"""Promise 6: no secret leaks.

Recognizable fake secrets: an AccessKey secret, an STS security token (the emulator's seed defines an STS key
that must send that token), a second plain AccessKey secret kept in the configuration file, wrong secrets and
tokens used in failure runs, and a private key (every line of its base64 body, and the PEM marker). Every
cloud command (listeners, upload, attach, detach, deploy-hook, sync, audit, prune, with --json and --dry-run
variants) and the local ones that read keys (inspect, scan) run at every verbosity (none, -v, -vv, -vvv),
with credentials from the environment, the configuration file, an INI credentials file and an aliyun CLI
profile; failure runs add a wrong secret, a wrong or missing token, a configuration file that does not parse
around the secret, a refused endpoint, a closed port (transport retries) and an emulator injecting
throttling, 5xx and connection resets (API retries). For every run: stdout, stderr and every file certhook
wrote (state, lock, ~/.local/state) must hold none of the secrets. (The emulator's own console prints the
keys it was seeded with, by design: it is a test server, so its output is not judged.)

File modes: the state file is created 0600 even under umask 000; a configuration file holding a secret
that is readable by others is warned about by every command that reads it; credentials files (INI, aliyun
CLI config.json) readable by others are warned about too.

Usage: python3 Tests/reliability/secrets_leaks.py    (about 90 s; last line "secrets: N passed, N failed")
"""
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

STS_ID = "STS.leakcheck-id"
STS_SECRET = "SECRETsts7f3c9e1dDONOTLEAK"
STS_TOKEN = "TOKENsts4b2a9c77DONOTLEAK"
PLAIN_ID = "testid-leakcheck-plain"
PLAIN_SECRET = "SECRETplain51e0aa3fDONOTLEAK"
WRONG_SECRET = "SECRETwrong0c1d2e3fDONOTLEAK"
WRONG_TOKEN = "TOKENwrong99887766DONOTLEAK"
SECRETS = [STS_SECRET, STS_TOKEN, PLAIN_SECRET, WRONG_SECRET, WRONG_TOKEN]
VERBOSITY = [[], ["-v"], ["-vv"], ["-vvv"]]


class Suite:
    def __init__(self):
        self.binary = relib.certhook_binary()
        self.base = relib.work_dir("secrets")
        self.tally = relib.Tally("secrets")
        self.runs = 0
        self.lock = threading.Lock()
        ca = relib.Authority(self.base)
        self.bundle = ca.issue("leaf", 60)
        self.renewed = ca.issue("renewed", 80)
        self.key_lines = [l.strip() for l in open(self.bundle["key"]) if len(l.strip()) >= 16 and "-----" not in l]
        self.key_lines += [l.strip() for l in open(self.renewed["key"]) if len(l.strip()) >= 16 and "-----" not in l]
        seed = os.path.join(self.base, "seed.yaml")
        self.listeners = relib.write_seed(seed, 1, 2)
        with open(seed) as f:
            text = f.read()
        keys = (f"accessKeys:\n  - id: {STS_ID}\n    secret: {STS_SECRET}\n    securityToken: {STS_TOKEN}\n"
                f"  - id: {PLAIN_ID}\n    secret: {PLAIN_SECRET}\n")
        text = re.sub(r"accessKeys:\n(  - .*\n)(    .*\n)*", keys, text)
        with open(seed, "w") as f:
            f.write(text)
        self.emulator_state = os.path.join(self.base, "emulator-state.json")
        self.emulator = relib.Emulator(self.binary, self.base, seed, self.emulator_state, "--job-delay", "30")
        self.faulty = relib.Emulator(self.binary, self.base, seed, os.path.join(self.base, "faulty-state.json"),
                                     "--job-delay", "30", "--faults",
                                     "throttle=0.25,unavailable=0.15,reset=0.1,slow=0.05:300", "--fault-seed", "7")
        self.home = os.path.join(self.base, "home")
        os.makedirs(self.home)

    # ---------------------------------------------------------------------------------------- plumbing

    def env(self, emulator, credentials="env", extra=None):
        env = relib.environment(emulator)
        for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
            env.pop(name, None)
        env.update({"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true", "HOME": self.home})
        if credentials == "env":
            env.update({"ALIBABA_CLOUD_ACCESS_KEY_ID": STS_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": STS_SECRET,
                        "ALIBABA_CLOUD_SECURITY_TOKEN": STS_TOKEN})
        env.update(extra or {})
        return env

    def config(self, name, secret_in_file=False, mode=0o600, state_dir=None):
        path = os.path.join(self.base, "configs", name + ".yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if state_dir is None:
            state_dir = os.path.join(self.base, "state", name)
            os.makedirs(state_dir, exist_ok=True)
        b = self.bundle
        lines = ["version: 1", "region: cn-hangzhou", f"statePath: {state_dir}/state.json"]
        if secret_in_file:
            lines += ["credentials:", f"  accessKeyId: {PLAIN_ID}", f"  accessKeySecret: {PLAIN_SECRET}"]
        lines += ["deployments:", "  - name: leakcheck", f"    domains: [{', '.join(relib.DOMAINS)}]",
                  f"    source: {{cert: {b['cert']}, key: {b['key']}, chain: {b['chain']}}}",
                  "    targets:", "      - loadBalancer: alb-rel-1", ""]
        with open(path, "w") as f:
            f.write("\n".join(lines))
        os.chmod(path, mode)
        return path, state_dir

    def commands(self, config):
        b, r, bin_ = self.bundle, self.renewed, self.binary
        return [
            ("listeners", [bin_, "listeners"]),
            ("listeners --json", [bin_, "listeners", "--json"]),
            ("upload", [bin_, "upload", b["cert"], "--key", b["key"], "--chain", b["chain"], "--config", config]),
            ("upload --json", [bin_, "upload", r["cert"], "--key", r["key"], "--json", "--config", config]),
            ("attach --dry-run", [bin_, "attach", "--cert", b["cert"], "--key", b["key"], "--listener",
                                  self.listeners[0], "--dry-run", "--config", config]),
            ("attach", [bin_, "attach", "--cert", b["cert"], "--key", b["key"], "--listener", self.listeners[0],
                        "--config", config]),
            ("detach", [bin_, "detach", "--cert", b["cert"], "--listener", self.listeners[0], "--config", config]),
            ("deploy-hook", [bin_, "deploy-hook", "--cert", b["cert"], "--key", b["key"], "--chain", b["chain"],
                             "--config", config]),
            ("deploy-hook --json", [bin_, "deploy-hook", "--json", "--cert", b["cert"], "--key", b["key"],
                                    "--config", config]),
            ("sync", [bin_, "sync", "--config", config]),
            ("sync --dry-run --json", [bin_, "sync", "--dry-run", "--json", "--config", config]),
            ("audit", [bin_, "audit", "--config", config]),
            ("prune --dry-run", [bin_, "prune", "--dry-run", "--config", config]),
            ("prune", [bin_, "prune", "--config", config]),
            ("credentials show", [bin_, "credentials", "show", "--config", config]),
            ("credentials show --json", [bin_, "credentials", "show", "--json", "--config", config]),
        ]

    def leaks_in(self, text):
        found = [s for s in SECRETS if s in text]
        found += [f"private key line {l[:12]}..." for l in self.key_lines if l in text]
        if "PRIVATE KEY-----" in text:
            found.append("a PEM private key block")
        for marker in ("Signature=", "ACS3-HMAC-SHA256 Credential", "x-acs-security-token:", "SecurityToken="):
            if marker in text:
                found.append(f"request signing material ({marker})")
        return found

    def written_files(self, roots):
        for root in roots:
            for dirpath, _, files in os.walk(root):
                for name in files:
                    yield os.path.join(dirpath, name)

    def snapshot(self, roots):
        state = {}
        for path in self.written_files(roots):
            try:
                st = os.stat(path)
                state[path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        return state

    def judge(self, name, argv, env, roots, expect_failure=False, umask=None, timeout=180, must_mention=None):
        """Runs one command; its stdout, stderr and every file it created or changed under `roots` are judged."""
        before = self.snapshot(roots)
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, errors="replace",
                              preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
        with self.lock:
            self.runs += 1
        problems = []
        for where, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
            for leak in self.leaks_in(text):
                problems.append(f"{leak} in {where}")
        after = self.snapshot(roots)
        for path in [p for p, v in after.items() if before.get(p) != v]:
            try:
                text = open(path, errors="replace").read()
            except OSError:
                continue
            for leak in self.leaks_in(text):
                problems.append(f"{leak} in {os.path.relpath(path, self.base)}")
        if "Fatal error" in proc.stderr:
            problems.append("crashed")
        if expect_failure and proc.returncode == 0:
            problems.append("expected a failure, got exit 0")
        if not expect_failure and proc.returncode not in (0, 1, 3):
            problems.append(f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        if must_mention and must_mention not in proc.stderr:
            problems.append(f"stderr does not mention {must_mention!r}: {proc.stderr.strip()[-300:]}")
        self.tally.record(f"{name}: exit {proc.returncode}", problems)
        return proc

    # ---------------------------------------------------------------------------------------- cases

    def every_command_every_verbosity(self):
        config, state_dir = self.config("env-credentials")
        for label, argv in self.commands(config):
            for v in VERBOSITY:
                self.judge(f"{label} {' '.join(v) or '(quiet)'} [env STS credentials]", argv + v,
                           self.env(self.emulator), [state_dir, self.home])
        config, state_dir = self.config("file-credentials", secret_in_file=True)
        for label, argv in self.commands(config):
            if "listeners" in label:
                continue  # listeners reads no configuration file
            self.judge(f"{label} -vv [configuration-file credentials]", argv + ["-vv"],
                       self.env(self.emulator, credentials="none"), [state_dir, self.home])

    def other_credential_sources(self):
        ini = os.path.join(self.base, "credentials.ini")
        with open(ini, "w") as f:
            f.write(f"[default]\ntype = sts\naccess_key_id = {STS_ID}\naccess_key_secret = {STS_SECRET}\n"
                    f"security_token = {STS_TOKEN}\n")
        os.chmod(ini, 0o600)
        for v in VERBOSITY:
            self.judge(f"listeners {' '.join(v) or '(quiet)'} [INI credentials file, sts]", [self.binary, "listeners", *v],
                       self.env(self.emulator, "none", {"ALIBABA_CLOUD_CREDENTIALS_FILE": ini}), [self.home])
        cli_home = os.path.join(self.base, "cli-home")
        os.makedirs(os.path.join(cli_home, ".aliyun"))
        cli_config = os.path.join(cli_home, ".aliyun", "config.json")
        with open(cli_config, "w") as f:
            json.dump({"current": "leak", "profiles": [
                {"name": "leak", "mode": "StsToken", "access_key_id": STS_ID, "access_key_secret": STS_SECRET,
                 "sts_token": STS_TOKEN, "region_id": "cn-hangzhou"}]}, f)
        os.chmod(cli_config, 0o600)
        for v in VERBOSITY:
            self.judge(f"listeners {' '.join(v) or '(quiet)'} [aliyun CLI profile, StsToken]",
                       [self.binary, "listeners", *v], self.env(self.emulator, "none", {"HOME": cli_home}), [cli_home])
        self.cli_home, self.ini = cli_home, ini

    def failures_and_retries(self):
        config, state_dir = self.config("failures")
        roots = [state_dir, self.home]
        for v in VERBOSITY:
            tag = ' '.join(v) or '(quiet)'
            self.judge(f"listeners {tag} with a wrong secret", [self.binary, "listeners", *v],
                       self.env(self.emulator, extra={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": WRONG_SECRET}), roots,
                       expect_failure=True)
            self.judge(f"sync {tag} with a wrong STS token", [self.binary, "sync", "--config", config, *v],
                       self.env(self.emulator, extra={"ALIBABA_CLOUD_SECURITY_TOKEN": WRONG_TOKEN}), roots,
                       expect_failure=True)
            env = self.env(self.emulator)
            env.pop("ALIBABA_CLOUD_SECURITY_TOKEN")
            self.judge(f"deploy-hook {tag} with the STS token missing",
                       [self.binary, "deploy-hook", "--config", config, "--cert", self.bundle["cert"], "--key",
                        self.bundle["key"], *v], env, roots, expect_failure=True)
            self.judge(f"listeners {tag} refused plain-http endpoint",
                       [self.binary, "listeners", "--alb-endpoint", "http://10.0.0.1", *v], self.env(self.emulator),
                       roots, expect_failure=True)
        # API faults: throttling, 5xx, resets, slow answers; retries logged at -vv/-vvv
        faulty_config, faulty_state = self.config("faulty")
        threads = []
        for v in VERBOSITY:
            for label, argv in self.commands(faulty_config):
                if label in ("sync", "deploy-hook", "listeners", "upload"):
                    threads.append(threading.Thread(target=self.judge, args=(
                        f"{label} {' '.join(v) or '(quiet)'} under injected faults (retries)", argv + v,
                        self.env(self.faulty), [faulty_state, self.home])))
        for t in threads:  # one at a time: the request log stays readable per run
            t.start()
            t.join()
        # a closed port: connection refused, retried, then reported
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        self.judge("listeners -vvv against a closed port (transport retries)",
                   [self.binary, "listeners", "-vvv", "--alb-endpoint", f"http://127.0.0.1:{port}", "--cas-endpoint",
                    f"http://127.0.0.1:{port}"], self.env(self.emulator), roots, expect_failure=True, timeout=240)
        # configuration files that do not parse right where the secret is
        for n, text in enumerate([
            f'version: 1\ncredentials:\n  accessKeyId: {PLAIN_ID}\n  accessKeySecret: "{PLAIN_SECRET}\n',
            f"version: 1\ncredentials: {{accessKeyId: {PLAIN_ID}, accessKeySecret: {PLAIN_SECRET}\ndeployments: []\n",
            f"version: 1\ncredentials:\n  accessKeyId: {PLAIN_ID}\n  accessKeySecret: {PLAIN_SECRET}\n\tdeployments: []\n",
            f"version: 1\ncredentials:\n  accessKeyId: {PLAIN_ID}\n  accessKeySecret: [{PLAIN_SECRET}]\ndeployments: []\n",
            f"version: 1\ncredentials:\n  accessKeySecret: {PLAIN_SECRET}\ndeployments: []\n",
            f"version: 1\ncredentials: {PLAIN_SECRET}: x\ndeployments: []\n",
            f"version: 1\ncredentials:\n  accessKeyId: {PLAIN_ID}\n  accessKeySecret: {PLAIN_SECRET}\n  accessKeySecret: x\n",
        ]):
            path = os.path.join(self.base, "configs", f"broken-{n}.yaml")
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o600)
            self.judge(f"sync -vv with configuration that breaks around the secret (#{n + 1})",
                       [self.binary, "sync", "-vv", "--config", path], self.env(self.emulator), roots,
                       expect_failure=True)

    def local_commands(self):
        d = os.path.join(self.base, "local")
        os.makedirs(d)
        for v in ([], ["--json"]):
            self.judge(f"inspect {' '.join(v)} of a certificate with its key", [self.binary, "inspect", self.bundle["cert"],
                       "--key", self.bundle["key"], *v], self.env(self.emulator), [d])
            self.judge(f"inspect {' '.join(v)} of the key file itself (not a certificate)",
                       [self.binary, "inspect", self.bundle["key"], *v], self.env(self.emulator), [d], expect_failure=True)
        for fmt in ("table", "json", "prometheus"):
            self.judge(f"scan --format {fmt} of a folder with keys", [self.binary, "scan", "--format", fmt,
                       os.path.dirname(self.bundle["key"])], self.env(self.emulator), [d])

    def file_modes(self):
        config, state_dir = self.config("umask0", state_dir=os.path.join(self.base, "state-umask0", "deep", "dir"))
        self.judge("sync under umask 000 (state folder not there yet)", [self.binary, "sync", "--config", config],
                   self.env(self.emulator), [os.path.join(self.base, "state-umask0")], umask=0)
        problems = []
        state_file = os.path.join(state_dir, "state.json")
        if not os.path.exists(state_file):
            problems.append("no state file written")
        for path in self.written_files([state_dir]):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            if mode & 0o077:
                problems.append(f"{os.path.relpath(path, self.base)} created with mode {mode:o}")
        mode = stat.S_IMODE(os.stat(state_dir).st_mode)
        if mode & 0o077:
            problems.append(f"state folder created with mode {mode:o}")
        self.tally.record("state files and folder created without group/other access under umask 000", problems)
        emu_mode = stat.S_IMODE(os.stat(self.emulator_state).st_mode)
        self.tally.record("the emulator's state file (holds uploaded private keys) is 0600",
                          [] if emu_mode & 0o077 == 0 else [f"mode {emu_mode:o}"])
        wide, wide_state = self.config("wide", secret_in_file=True, mode=0o644)
        for label, argv in self.commands(wide):
            if label in ("sync", "deploy-hook", "audit", "upload"):
                self.judge(f"{label} warns about a world-readable configuration holding a secret", argv,
                           self.env(self.emulator, credentials="none"), [wide_state], must_mention="chmod 600")
        os.chmod(self.ini, 0o644)
        self.judge("listeners warns about a world-readable INI credentials file", [self.binary, "listeners"],
                   self.env(self.emulator, "none", {"ALIBABA_CLOUD_CREDENTIALS_FILE": self.ini}), [self.home],
                   must_mention="chmod")
        cli_config = os.path.join(self.cli_home, ".aliyun", "config.json")
        os.chmod(cli_config, 0o644)
        self.judge("listeners warns about a world-readable aliyun CLI config.json", [self.binary, "listeners"],
                   self.env(self.emulator, "none", {"HOME": self.cli_home}), [self.cli_home], must_mention="chmod")

    def control(self):
        """The judge sees a leak when there is one: a command that prints the key file (scan never does, so cat)."""
        proc = subprocess.run(["cat", self.bundle["key"]], capture_output=True, text=True)
        self.tally.record("control: the judge flags private key text", [] if self.leaks_in(proc.stdout) else ["blind"])
        self.tally.record("control: the judge flags the STS token", [] if self.leaks_in(f"x{STS_TOKEN}y") else ["blind"])


def main():
    suite = Suite()
    try:
        suite.control()
        suite.every_command_every_verbosity()
        suite.other_credential_sources()
        suite.local_commands()
        suite.failures_and_retries()
        suite.file_modes()
    finally:
        suite.emulator.stop()
        suite.faulty.stop()
    relib.out(f"secrets: {suite.runs} command runs judged")
    return suite.tally.finish()


if __name__ == "__main__":
    sys.exit(main())
