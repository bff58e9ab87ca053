#!/usr/bin/env python3
"""The official credentials SDK's side of the credentials agreement check (issue 15).

Run in a fresh process per mode (the SDK reads its environment variables when it is imported). Resolves the default
chain (`DefaultCredentialsProvider`) and prints one JSON line: the provider path, the AccessKeyId and SHA-256
digests of the secret and token. Only the SDK's HTTP layer is redirected: requests for the STS hosts go to
CONFORMANCE_STS (the emulator) and requests for the ECS metadata host go to CONFORMANCE_METADATA (a loopback fake),
over plain HTTP; what the SDK sends (method, query, V1 signature, headers) is unchanged.
"""

import hashlib
import json
import os
import sys

from Tea.core import TeaCore


def redirect(original):
    sts = os.environ.get("CONFORMANCE_STS", "")
    metadata = os.environ.get("CONFORMANCE_METADATA", "")

    def do_action(request, runtime_option=None):
        host = request.headers.get("host", "")
        target = None
        if host.startswith(("sts.", "sts-vpc.")) and host.endswith(".aliyuncs.com"):
            target = sts
        elif host == "100.100.100.200":
            target = metadata
        if target:
            address, port = target.rsplit(":", 1)
            request.protocol = "http"
            request.headers["host"] = address
            request.port = int(port)
        return original(request, runtime_option)

    return do_action


TeaCore.do_action = staticmethod(redirect(TeaCore.do_action))

from alibabacloud_credentials.provider.default import DefaultCredentialsProvider  # noqa: E402


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest() if value else None


def main():
    try:
        credentials = DefaultCredentialsProvider().get_credentials()
    except Exception as e:  # report, never a secret: the SDK's messages name files and providers
        print(json.dumps({"error": f"{type(e).__name__}: {str(e)[:300]}"}))
        return 1
    print(json.dumps({
        "provider": credentials.get_provider_name(),
        "accessKeyId": credentials.get_access_key_id(),
        "accessKeySecretSha256": digest(credentials.get_access_key_secret()),
        "securityTokenSha256": digest(credentials.get_security_token()),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
