"""Issue 15: the official `alibabacloud-credentials` package and certhook, given the same environment and the same
profile files, resolve the same provider and the same credentials, for every mode certhook supports.

Each side runs against its own fresh emulator with the same seed (roles, trust, OIDC provider) and fault seed, so
the emulator issues both sides the same STS credentials when they make the same calls in the same order; static keys
come straight from the environment or the files; the ECS metadata service is a loopback fake that both sides
reach. The SDK side is `credentials_probe.py` (a fresh Python process per mode), certhook's is `certhook credentials
show --json`. Secrets and tokens are compared as SHA-256 digests only.
"""

import base64
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

ACCOUNT = "1234567890123456"
HUB = f"acs:ram::{ACCOUNT}:role/hub"
DEPLOYER = f"acs:ram::{ACCOUNT}:role/certhook-deployer"
PROVIDER = f"acs:ram::{ACCOUNT}:oidc-provider/ack-rrsa"
ISSUER = "https://oidc-ack.example.test/c1"
SUBJECT = "system:serviceaccount:certhook:certhook"
SECRET = "agreement-secret"

SEED = f"""region: cn-hangzhou
accessKeys:
  - {{id: agree-ak, secret: {SECRET}, accountId: "{ACCOUNT}"}}
roles:
  - {{arn: "{HUB}", trust: ["{ACCOUNT}"], maxSessionDuration: 7200}}
  - arn: "{DEPLOYER}"
    trust: ["{HUB}"]
    oidc: {{provider: "{PROVIDER}", issuer: "{ISSUER}", subjects: ["{SUBJECT}"]}}
"""

# The SDK's provider name (second part of `default/<name>/...`) -> certhook's name for the same source.
PROVIDERS = {
    "env": "environment",
    "oidc_role_arn": "oidc-role-arn",
    "cli_profile": "aliyun-cli-profile",
    "profile": "credentials-file",
    "ecs_ram_role": "ecs-ram-role",
}


def jwt():
    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"iss": ISSUER, "sub": SUBJECT, "aud": ["sts.aliyuncs.com"], "iat": int(time.time()),
              "exp": int(time.time()) + 3600}
    return b64({"alg": "RS256", "typ": "JWT"}) + "." + b64(claims) + ".c2lnbmF0dXJl"


class Metadata(http.server.BaseHTTPRequestHandler):
    """The ECS metadata protocol: session token (PUT), role name, role credentials (with that token)."""

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token":
            return self.answer(200, "md-token")
        return self.answer(404, "")

    def do_GET(self):
        if self.headers.get("X-aliyun-ecs-metadata-token") != "md-token":
            return self.answer(401, "")
        if self.path == "/latest/meta-data/ram/security-credentials/":
            return self.answer(200, "certhook-ecs")
        if self.path == "/latest/meta-data/ram/security-credentials/certhook-ecs":
            expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
            return self.answer(200, json.dumps({
                "Code": "Success", "AccessKeyId": "STS.ecs-agree", "AccessKeySecret": "ecs-agree-secret",
                "SecurityToken": "ecs-agree-token", "Expiration": expiration,
                "LastUpdated": expiration}))
        return self.answer(404, "")


def start_emulator(binary, workdir):
    seed = os.path.join(workdir, "roles-seed.yaml")
    with open(seed, "w") as f:
        f.write(SEED)
    log = open(os.path.join(workdir, f"roles-emulator-{time.time_ns()}.log"), "w+")
    process = subprocess.Popen([binary, "emulator", "--listen", "127.0.0.1:0", "--seed", seed],
                               stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        log.seek(0)
        found = re.search(r"listening on http://(127\.0\.0\.1:\d+)", log.read())
        if found:
            return process, found.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the roles emulator did not start")


def modes(workdir):
    """(label, environment, files {relative path: text}) for every mode certhook supports."""
    token = os.path.join(workdir, "oidc-token")
    with open(token, "w") as f:
        f.write(jwt())
    base = {"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
    ak = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "agree-ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET}

    def cli(*profiles):
        return {".aliyun/config.json": json.dumps({"current": profiles[0]["name"], "profiles": list(profiles)})}

    def ini(section):
        path = os.path.join(workdir, "credentials.ini")
        return {"ALIBABA_CLOUD_CREDENTIALS_FILE": path}, {path: "[default]\n" + "".join(
            f"{k} = {v}\n" for k, v in section.items())}

    out = [
        ("environment AK", {**base, **ak}, {}),
        ("environment STS", {**base, **ak, "ALIBABA_CLOUD_SECURITY_TOKEN": "agree-token"}, {}),
        ("RRSA environment (OIDC)", {**base, "ALIBABA_CLOUD_ROLE_ARN": DEPLOYER,
                                      "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": PROVIDER,
                                      "ALIBABA_CLOUD_OIDC_TOKEN_FILE": token,
                                      "ALIBABA_CLOUD_ROLE_SESSION_NAME": "agree-rrsa"}, {}),
        ("aliyun CLI AK", base, cli({"name": "p", "mode": "AK", "access_key_id": "agree-ak",
                                     "access_key_secret": SECRET})),
        ("aliyun CLI StsToken", base, cli({"name": "p", "mode": "StsToken", "access_key_id": "agree-ak",
                                           "access_key_secret": SECRET, "sts_token": "agree-token"})),
        ("aliyun CLI RamRoleArn", base, cli({"name": "p", "mode": "RamRoleArn", "access_key_id": "agree-ak",
                                             "access_key_secret": SECRET, "ram_role_arn": HUB,
                                             "ram_session_name": "agree-arn", "expired_seconds": 1800})),
        ("aliyun CLI ChainableRamRoleArn", base, cli(
            {"name": "p", "mode": "ChainableRamRoleArn", "source_profile": "hub", "ram_role_arn": DEPLOYER,
             "ram_session_name": "agree-hop2"},
            {"name": "hub", "mode": "RamRoleArn", "access_key_id": "agree-ak", "access_key_secret": SECRET,
             "ram_role_arn": HUB, "ram_session_name": "agree-hop1"})),
        ("aliyun CLI OIDC", base, cli({"name": "p", "mode": "OIDC", "ram_role_arn": DEPLOYER,
                                       "oidc_provider_arn": PROVIDER, "oidc_token_file": token,
                                       "role_session_name": "agree-oidc"})),
        ("aliyun CLI EcsRamRole", {}, cli({"name": "p", "mode": "EcsRamRole", "ram_role_name": "certhook-ecs"})),
        ("ECS RAM role (metadata service)", {}, {}),
    ]
    out.append(("INI ~/.alibabacloud/credentials.ini (default path)", base, {
        ".alibabacloud/credentials.ini": f"[default]\ntype = access_key\naccess_key_id = agree-ak\n"
                                         f"access_key_secret = {SECRET}\n"}))
    for label, section in (
        ("INI access_key", {"type": "access_key", "access_key_id": "agree-ak", "access_key_secret": SECRET}),
        ("INI ram_role_arn", {"type": "ram_role_arn", "access_key_id": "agree-ak", "access_key_secret": SECRET,
                              "role_arn": HUB, "role_session_name": "agree-ini"}),
        ("INI oidc_role_arn", {"type": "oidc_role_arn", "role_arn": DEPLOYER, "oidc_provider_arn": PROVIDER,
                               "oidc_token_file_path": token, "role_session_name": "agree-ini-oidc"}),
    ):
        env, files = ini(section)
        out.append((label, {**base, **env}, files))
    return out


def lay_out(home, files):
    for path, text in files.items():
        full = path if os.path.isabs(path) else os.path.join(home, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
        os.chmod(full, 0o600)


def clean_environment():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("ALIBABA_CLOUD_", "ALICLOUD_", "CERTHOOK_", "CONFORMANCE_"))}


def run(binary, check, workdir):
    """Runs every mode on both sides; returns how many modes agreed."""
    here = os.path.dirname(os.path.abspath(__file__))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    metadata = f"127.0.0.1:{server.server_address[1]}"
    agreed = 0
    try:
        for index, (label, env, files) in enumerate(modes(workdir)):
            home = os.path.join(workdir, f"agree-home-{index}")
            os.makedirs(home)
            lay_out(home, files)
            sides = {}
            for side in ("sdk", "certhook"):
                emulator, endpoint = start_emulator(binary, workdir)
                try:
                    environment = {**clean_environment(), **env, "HOME": home}
                    if side == "sdk":
                        environment.update({"CONFORMANCE_STS": endpoint, "CONFORMANCE_METADATA": metadata})
                        command = [sys.executable, os.path.join(here, "credentials_probe.py")]
                    else:
                        environment.update({"CERTHOOK_STS_ENDPOINT": f"http://{endpoint}",
                                            "CERTHOOK_ECS_METADATA_ENDPOINT": f"http://{metadata}"})
                        command = [binary, "credentials", "show", "--json"]
                    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60,
                                            cwd=home)
                    try:
                        sides[side] = json.loads(result.stdout.strip().splitlines()[-1])
                    except (ValueError, IndexError):
                        sides[side] = {"error": f"exit {result.returncode}: {result.stderr[-300:]}"}
                finally:
                    emulator.terminate()
                    emulator.wait(timeout=30)
            sdk, ours = sides["sdk"], sides["certhook"]
            if "error" in sdk or "error" in ours:
                check(False, f"credentials [{label}]: sdk {sdk.get('error', 'ok')} / certhook {ours.get('error', 'ok')}")
                continue
            path = sdk["provider"].split("/")
            expected = PROVIDERS.get(path[1] if len(path) > 1 else "", "?")
            same = (
                ours["provider"] == expected and ours["accessKeyId"] == sdk["accessKeyId"]
                and ours["accessKeySecretSha256"] == sdk["accessKeySecretSha256"]
                and ours["securityTokenSha256"] == sdk["securityTokenSha256"]
            )
            check(same, f"credentials [{label}]: sdk {sdk['provider']} {sdk['accessKeyId']} / certhook "
                        f"{ours['provider']} {ours['accessKeyId']} (secret and token digests "
                        f"{'equal' if ours['accessKeySecretSha256'] == sdk['accessKeySecretSha256'] else 'differ'})")
            if same:
                agreed += 1
                print(f"credentials [{label}]: both {ours['provider']} ({sdk['provider']}), {ours['accessKeyId']}")
    finally:
        server.shutdown()
    return agreed
