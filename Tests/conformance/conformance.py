#!/usr/bin/env python3
"""Judges `certhook emulator` with the official Alibaba Cloud Python SDKs (issue 9).

1. Drives every operation the emulator serves with the official SDK clients, V3 (ACS3-HMAC-SHA256) and V1
   (HMAC-SHA1), with and without an STS token, with values that need encoding (spaces, +, /, =, CJK, PEM
   newlines), and checks every response against the SDK's response model: no field the model lacks, every field
   of the model with the model's type, and the fields the emulator covers present.
2. Re-signs every request certhook's own client sent (recorded by `--record-wire` in /_emulator/requests) with the
   SDK's signer and requires a byte-identical Authorization header.
3. Signs a request with a deliberately wrong shared encoding rule and requires the emulator to refuse it, while
   the SDK's request for the same call is accepted.
5. Drives every NLB, GA and CLB operation the emulator serves through `alibabacloud-nlb20220430`,
   `alibabacloud-ga20191120` and `alibabacloud-slb20140515` (products_conformance.py, issue 13).
4. Gives the official `alibabacloud-credentials` package and `certhook credentials show` the same environment and
   profile files for every credential mode certhook supports and requires the same provider and the same
   credentials (credentials_agreement.py; role modes through the emulator's STS).

Ends with `conformance: N passed, N failed`; exits 1 when anything failed. Run through run.sh.
"""

import datetime
import hashlib
import inspect
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import typing
import urllib.parse
import urllib.request

from alibabacloud_alb20200616 import models as alb_models
from alibabacloud_alb20200616.client import Client as AlbClient
from alibabacloud_cas20200407 import models as cas_models
from alibabacloud_cas20200407.client import Client as CasClient
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

AK = ("testid", "testsecret", None)
STS = ("STS.conformance", "sts-secret", "sts-token/with+odd=chars")
TRICKY = "a b+c/d=e 证书"

PASSED = 0
FAILED = 0
COVERAGE = {}


def check(ok, what):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        text = " ".join(str(what).split())
        print(f"FAIL {text[:400]}{'...' if len(text) > 400 else ''}", flush=True)


# ---------------------------------------------------------------------------------------------- certificates


def issue(common_name, names, days=90):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert_pem, key_pem


# ---------------------------------------------------------------------------------------------- model checks


def model_fields(cls):
    """JSON name -> (attribute name, annotation) of a generated SDK model."""
    source = inspect.getsource(cls.from_map)
    attrs = dict((json_name, attr) for attr, json_name in re.findall(r"self\.(\w+) = m\.get\('([^']+)'\)", source))
    for json_name in re.findall(r"m\.get\('([^']+)'\)", source):
        if json_name not in attrs:
            # Nested models and lists are assigned through temporaries: find the attribute by its snake name.
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", json_name).lower()
            attrs[json_name] = snake
    hints = typing.get_type_hints(cls.__init__)
    out = {}
    for json_name, attr in attrs.items():
        hint = hints.get(attr)
        if hint is None:
            # Attribute names sometimes split digits (Sha2 -> sha_2).
            alt = [h for h in hints if h.replace("_", "") == attr.replace("_", "")]
            hint = hints.get(alt[0]) if alt else None
        out[json_name] = hint
    return out


def type_ok(value, hint):
    if hint is None:
        return True
    origin = typing.get_origin(hint)
    if origin in (list, typing.List):
        (inner,) = typing.get_args(hint)
        return isinstance(value, list) and all(type_ok(v, inner) for v in value)
    if origin in (dict, typing.Dict):
        return isinstance(value, dict)
    if hint is str:
        return isinstance(value, str)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if inspect.isclass(hint) and hasattr(hint, "from_map"):
        return isinstance(value, dict) and not shape_errors(value, hint)
    return True


def shape_errors(body, cls, path=""):
    """Fields the model lacks and fields of the wrong type, recursively."""
    fields = model_fields(cls)
    errors = []
    for name, value in body.items():
        if name not in fields:
            errors.append(f"{path}{name}: not in the SDK model {cls.__name__}")
            continue
        hint = fields[name]
        if not type_ok(value, hint):
            errors.append(f"{path}{name}: {type(value).__name__} {value!r:.60} is not {hint}")
    return errors


def judge(operation, body, cls, required):
    """Checks one answer against its model; records coverage (fields returned / fields in the model)."""
    for error in shape_errors(body, cls):
        check(False, f"{operation}: {error}")
    check(not shape_errors(body, cls), f"{operation}: answer matches {cls.__name__}")
    for name in required:
        check(name in body, f"{operation}: field {name} present")
    fields = model_fields(cls)
    seen = COVERAGE.setdefault(operation, set())
    seen.update(k for k in body if k in fields)
    COVERAGE[operation + "#model"] = len(fields)


# ---------------------------------------------------------------------------------------------- SDK clients


class Spy:
    """Wraps an SDK client's call_api to keep the raw JSON answer (the models drop unknown fields)."""

    def __init__(self, client):
        self.client = client
        self.last = None
        original = client.call_api

        def call_api(params, request, runtime):
            result = original(params, request, runtime)
            self.last = result.get("body")
            return result

        client.call_api = call_api


def config(endpoint, credentials, v1):
    key_id, secret, token = credentials
    c = open_api_models.Config(
        access_key_id=key_id, access_key_secret=secret, security_token=token, endpoint=endpoint, protocol="http",
        region_id="cn-hangzhou",
    )
    if v1:
        c.signature_algorithm = "v2"  # the SDK's name for the RPC HMAC-SHA1 signature (V1 in the spec)
    return c


def error_code(call):
    try:
        call()
    except Exception as e:  # the SDK raises its ClientException with the service's Code
        return getattr(e, "code", None) or str(e)
    return None


def wait_running(alb, listener_id):
    for _ in range(200):
        body = alb.client.get_listener_attribute(alb_models.GetListenerAttributeRequest(listener_id=listener_id))
        if body.body.listener_status == "Running":
            return True
        time.sleep(0.05)
    return False


def exercise(endpoint, credentials, v1, label, cert_pem, key_pem):
    mode = f"[{label}]"
    cas = Spy(CasClient(config(endpoint, credentials, v1)))
    alb = Spy(AlbClient(config(endpoint, credentials, v1)))
    name = f"{TRICKY} {label}"

    up = cas.client.upload_user_certificate(
        cas_models.UploadUserCertificateRequest(name=name, cert=cert_pem, key=key_pem)
    )
    judge("UploadUserCertificate", cas.last, cas_models.UploadUserCertificateResponseBody, ["CertId", "RequestId"])
    cert_id = up.body.cert_id
    check(isinstance(cert_id, int), f"{mode} UploadUserCertificate: CertId is an integer")

    cas.client.get_user_certificate_detail(cas_models.GetUserCertificateDetailRequest(cert_id=cert_id))
    full = cas.last
    judge(
        "GetUserCertificateDetail", full, cas_models.GetUserCertificateDetailResponseBody,
        ["Id", "Name", "Common", "Sans", "Fingerprint", "Sha2", "SerialNo", "Issuer", "StartDate", "EndDate",
         "NotBefore", "NotAfter", "Expired", "Cert", "Key", "CertIdentifier", "CertChain", "Algorithm",
         "RequestId"],
    )
    check(full.get("Name") == name, f"{mode} GetUserCertificateDetail: Name {full.get('Name')!r} == {name!r}")
    check(full.get("Cert") == cert_pem, f"{mode} GetUserCertificateDetail: Cert PEM comes back byte for byte")
    check(full.get("Key") == key_pem, f"{mode} GetUserCertificateDetail: Key PEM comes back byte for byte")
    check(
        str(full.get("CertIdentifier", "")) == f"{cert_id}-cn-hangzhou",
        f"{mode} CertIdentifier {full.get('CertIdentifier')} is <CertId>-cn-hangzhou (China CAS site)",
    )
    chain = full.get("CertChain") or [{}]
    check(isinstance(chain[0].get("NotAfter"), int), f"{mode} CertChain[].NotAfter is an integer (ms)")
    check("RemainDay" in chain[0], f"{mode} CertChain[].RemainDay present")

    cas.client.get_user_certificate_detail(
        cas_models.GetUserCertificateDetailRequest(cert_id=cert_id, cert_filter=True)
    )
    filtered = cas.last
    check("Cert" not in filtered and "Key" not in filtered, f"{mode} CertFilter=true omits Cert and Key")
    check(filtered.get("Sha2") == full.get("Sha2"), f"{mode} CertFilter=true keeps the identity fields")

    cas.client.list_user_certificate_order(
        cas_models.ListUserCertificateOrderRequest(order_type="UPLOAD", keyword=name, show_size=50)
    )
    listed = cas.last
    judge(
        "ListUserCertificateOrder", listed, cas_models.ListUserCertificateOrderResponseBody,
        ["CertificateOrderList", "CurrentPage", "ShowSize", "TotalCount", "RequestId"],
    )
    items = listed.get("CertificateOrderList") or []
    for item in items:
        judge(
            "ListUserCertificateOrder.CertificateOrderList", item,
            cas_models.ListUserCertificateOrderResponseBodyCertificateOrderList,
            ["CertificateId", "Name", "CommonName", "Sans", "Fingerprint", "Sha2", "SerialNo", "StartDate",
             "EndDate", "Expired", "Issuer", "Upload", "InstanceId"],
        )
    check([i.get("CertificateId") for i in items] == [cert_id], f"{mode} Keyword {name!r} finds exactly the upload")

    lsr = "lsr-conf-443"
    identifier = f"{cert_id}-cn-hangzhou"
    alb.client.list_listeners(alb_models.ListListenersRequest(load_balancer_ids=["alb-conf"], max_results=100))
    judge("ListListeners", alb.last, alb_models.ListListenersResponseBody,
          ["Listeners", "NextToken", "MaxResults", "TotalCount", "RequestId"])
    for item in alb.last.get("Listeners") or []:
        judge("ListListeners.Listeners", item, alb_models.ListListenersResponseBodyListeners,
              ["ListenerId", "LoadBalancerId", "ListenerProtocol", "ListenerPort", "ListenerStatus"])
    check(len(alb.last.get("Listeners") or []) == 3, f"{mode} ListListeners: three listeners of alb-conf")

    job = alb.client.associate_additional_certificates_with_listener(
        alb_models.AssociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsr,
            certificates=[
                alb_models.AssociateAdditionalCertificatesWithListenerRequestCertificates(certificate_id=identifier)
            ],
            client_token=f"conf-assoc-{label}",
        )
    )
    judge("AssociateAdditionalCertificatesWithListener", alb.last,
          alb_models.AssociateAdditionalCertificatesWithListenerResponseBody, ["JobId", "RequestId"])
    check(wait_running(alb, lsr), f"{mode} listener back to Running after associate")

    alb.client.list_asyn_jobs(alb_models.ListAsynJobsRequest(job_ids=[job.body.job_id]))
    judge("ListAsynJobs", alb.last, alb_models.ListAsynJobsResponseBody,
          ["Jobs", "TotalCount", "RequestId"])
    for item in alb.last.get("Jobs") or []:
        judge("ListAsynJobs.Jobs", item, alb_models.ListAsynJobsResponseBodyJobs,
              ["Id", "ApiName", "Status", "ResourceId", "CreateTime"])
    jobs = alb.last.get("Jobs") or [{}]
    check(jobs[0].get("Status") == "Succeeded", f"{mode} the association job succeeded")

    alb.client.list_listener_certificates(
        alb_models.ListListenerCertificatesRequest(listener_id=lsr, certificate_type="Server")
    )
    judge("ListListenerCertificates", alb.last, alb_models.ListListenerCertificatesResponseBody,
          ["Certificates", "NextToken", "MaxResults", "TotalCount", "RequestId"])
    certs = alb.last.get("Certificates") or []
    for item in certs:
        judge("ListListenerCertificates.Certificates", item,
              alb_models.ListListenerCertificatesResponseBodyCertificates,
              ["CertificateId", "CertificateType", "IsDefault", "Status"])
    check(any(c.get("CertificateId") == identifier for c in certs), f"{mode} the certificate is associated")

    description = f"desc {TRICKY} {label}"
    alb.client.update_listener_attribute(
        alb_models.UpdateListenerAttributeRequest(listener_id=lsr, listener_description=description)
    )
    judge("UpdateListenerAttribute", alb.last, alb_models.UpdateListenerAttributeResponseBody,
          ["JobId", "RequestId"])
    check(wait_running(alb, lsr), f"{mode} listener back to Running after update")

    alb.client.get_listener_attribute(alb_models.GetListenerAttributeRequest(listener_id=lsr))
    judge(
        "GetListenerAttribute", alb.last, alb_models.GetListenerAttributeResponseBody,
        ["ListenerId", "LoadBalancerId", "ListenerProtocol", "ListenerPort", "ListenerStatus",
         "ListenerDescription", "Certificates", "CaCertificates", "SecurityPolicyId", "DefaultActions", "Tags",
         "RequestId"],
    )
    check(alb.last.get("ListenerDescription") == description,
          f"{mode} ListenerDescription {alb.last.get('ListenerDescription')!r} == {description!r}")

    alb.client.dissociate_additional_certificates_from_listener(
        alb_models.DissociateAdditionalCertificatesFromListenerRequest(
            listener_id=lsr,
            certificates=[
                alb_models.DissociateAdditionalCertificatesFromListenerRequestCertificates(certificate_id=identifier)
            ],
            client_token=f"conf-dissoc-{label}",
        )
    )
    judge("DissociateAdditionalCertificatesFromListener", alb.last,
          alb_models.DissociateAdditionalCertificatesFromListenerResponseBody, ["JobId", "RequestId"])
    check(wait_running(alb, lsr), f"{mode} listener back to Running after dissociate")

    cas.client.delete_user_certificate(cas_models.DeleteUserCertificateRequest(cert_id=cert_id))
    judge("DeleteUserCertificate", cas.last, cas_models.DeleteUserCertificateResponseBody, ["RequestId"])
    code = error_code(
        lambda: cas.client.get_user_certificate_detail(cas_models.GetUserCertificateDetailRequest(cert_id=cert_id))
    )
    check(str(code).startswith("NotFound"), f"{mode} a deleted certificate is NotFound ({code})")


# ---------------------------------------------------------------------------------------------- the wrong rule


def wrong_rule_is_refused(endpoint):
    """A request signed with Python's default quote() (keeps `/` unencoded) - a plausible bug shared by a client
    and a server that reuse one encoder - must be refused; the SDK's request for the same call is accepted."""

    class WrongUtils:
        pass

    params = {"OrderType": "UPLOAD", "Keyword": "a/b c"}
    headers = {
        "host": endpoint, "x-acs-action": "ListUserCertificateOrder", "x-acs-version": "2020-04-07",
        "x-acs-date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x-acs-signature-nonce": f"wrong-rule-{time.time_ns()}",
        "x-acs-content-sha256": hashlib.sha256(b"").hexdigest(),
    }
    canonical_query = "&".join(
        f"{k}={urllib.parse.quote(v)}" for k, v in sorted(params.items())  # the wrong rule: '/' stays as is
    )
    names = sorted(headers)
    canonical = "\n".join(
        ["POST", "/", canonical_query, "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names),
         headers["x-acs-content-sha256"]]
    )
    import hmac

    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    signature = hmac.new(b"testsecret", string_to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (
        f"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={';'.join(names)},Signature={signature}"
    )
    query = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in params.items())
    request = urllib.request.Request(f"http://{endpoint}/?{query}", method="POST", headers=headers, data=b"")
    try:
        with urllib.request.urlopen(request) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as e:
        body = json.loads(e.read() or b"{}")
    check(body.get("Code") == "SignatureDoesNotMatch",
          f"wrong shared encoding rule is refused (got {body.get('Code')!r})")

    cas = Spy(CasClient(config(endpoint, AK, False)))
    code = error_code(lambda: cas.client.list_user_certificate_order(
        cas_models.ListUserCertificateOrderRequest(order_type="UPLOAD", keyword="a/b c")
    ))
    check(code is None and "CertificateOrderList" in (cas.last or {}),
          f"the SDK's request for the same call is accepted ({code})")


# ---------------------------------------------------------------------------------------------- re-signing


def resign_certhook_requests(endpoint):
    """Every V3 request certhook's client sent, re-signed by the SDK's signer: byte-identical Authorization."""
    with urllib.request.urlopen(f"http://{endpoint}/_emulator/requests") as response:
        records = [json.loads(line) for line in response.read().decode().splitlines() if line.strip()]
    count = 0
    actions = set()
    for record in records:
        wire = record.get("wire")
        if not wire:
            continue
        headers = {name: value for name, value in wire["headers"]}
        if not headers.get("user-agent", "").startswith("certhook"):
            continue
        authorization = headers.get("authorization", "")
        match = re.match(r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=", authorization)
        check(match is not None, f"certhook {record.get('action')}: V3 Authorization header")
        if not match:
            continue
        key_id = match.group(1)
        secret = {AK[0]: AK[1], STS[0]: STS[1]}[key_id]

        class Request:
            pass

        request = Request()
        request.method = wire["method"]
        request.pathname = wire["path"]
        request.query = dict(urllib.parse.parse_qsl(wire["rawQuery"], keep_blank_values=True))
        signed = match.group(2).split(";")
        request.headers = {name: headers[name] for name in signed}
        payload = hashlib.sha256(wire["body"].encode()).hexdigest()
        expected = OpenApiUtils.get_authorization(request, "ACS3-HMAC-SHA256", payload, key_id, secret)
        count += 1
        actions.add(record.get("action"))
        check(expected == authorization,
              f"certhook {record.get('action')}: SDK signer gives {expected[-20:]}, certhook sent {authorization[-20:]}")
    check(count > 0, "certhook's requests were recorded")
    return count, sorted(actions)


def run_certhook(binary, endpoint, args, credentials, workdir):
    key_id, secret, token = credentials
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "ALICLOUD_"))}
    env.update({"ALIBABA_CLOUD_ACCESS_KEY_ID": key_id, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret,
                "HOME": workdir})
    if token:
        env["ALIBABA_CLOUD_SECURITY_TOKEN"] = token
    url = f"http://{endpoint}"
    full = [binary] + args + ["--region", "cn-zhangjiakou", "--alb-endpoint", url, "--cas-endpoint", url]
    if args[0] != "listeners":
        full += ["--state", os.path.join(workdir, "state.json")]
    result = subprocess.run(full, env=env, capture_output=True, text=True, timeout=120, cwd=workdir)
    check(result.returncode == 0, f"certhook {' '.join(args[:1])} exit {result.returncode}: {result.stderr[-300:]}")


# ---------------------------------------------------------------------------------------------- main


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/certhook")
    workdir = tempfile.mkdtemp(prefix="certhook-conformance-")
    seed = os.path.join(workdir, "seed.yaml")
    with open(seed, "w") as f:
        f.write(
            f"""region: cn-zhangjiakou
casRegion: cn-hangzhou
accessKeys:
  - {{id: {AK[0]}, secret: {AK[1]}}}
  - {{id: {STS[0]}, secret: {STS[1]}, securityToken: "{STS[2]}"}}
loadBalancers:
  - id: alb-conf
    edition: Standard
    listeners:
      - {{id: lsr-conf-443, protocol: HTTPS, port: 443}}
      - {{id: lsr-conf-quic, protocol: QUIC, port: 443}}
      - {{id: lsr-conf-80, protocol: HTTP, port: 80}}
  - id: nlb-conf
    product: nlb
    certificateQuota: 3
    listeners:
      - {{id: lsn-conf-443, protocol: TCPSSL, port: 443}}
      - {{id: lsn-conf-80, protocol: TCP, port: 80}}
  - id: ga-conf
    product: ga
    certificateQuota: 2
    listeners:
      - {{id: lsr-ga-conf, protocol: HTTPS, port: 443}}
  - id: lb-conf
    product: clb
    certificateQuota: 2
    listeners:
      - {{protocol: HTTPS, port: 443}}
      - {{protocol: HTTP, port: 80}}
"""
        )
    log = open(os.path.join(workdir, "emulator.log"), "w+")
    emulator = subprocess.Popen(
        [binary, "emulator", "--listen", "127.0.0.1:0", "--seed", seed, "--job-delay", "50", "--record-wire"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        endpoint = None
        for _ in range(300):
            log.seek(0)
            found = re.search(r"listening on http://(127\.0\.0\.1:\d+)", log.read())
            if found:
                endpoint = found.group(1)
                break
            if emulator.poll() is not None:
                break
            time.sleep(0.1)
        if endpoint is None:
            log.seek(0)
            print(log.read())
            check(False, "the emulator started")
            return finish()

        modes = [("V3", AK, False), ("V3+STS", STS, False), ("V1", AK, True), ("V1+STS", STS, True)]
        for label, credentials, v1 in modes:
            cert_pem, key_pem = issue(f"conf-{label.lower().replace('+', '-')}.example.test",
                                      [f"conf-{label.lower().replace('+', '-')}.example.test", "证书.example.test"
                                       .encode("idna").decode()])
            try:
                exercise(endpoint, credentials, v1, label, cert_pem, key_pem)
            except Exception as e:  # one broken mode must not hide the others
                check(False, f"[{label}] {type(e).__name__}: {e}")
            # Issue 13: NLB, GA and CLB through their official SDKs, in the same mode.
            import products_conformance

            products_conformance.run(sys.modules[__name__], endpoint, credentials, v1, label)

        try:
            wrong_rule_is_refused(endpoint)
        except Exception as e:
            check(False, f"wrong-rule check: {type(e).__name__}: {e}")

        # certhook's own client: read-only and writing commands, with and without an STS token.
        cert_pem, key_pem = issue("certhook-conf.example.test", ["certhook-conf.example.test"])
        for name, text in (("cert.pem", cert_pem), ("key.pem", key_pem)):
            with open(os.path.join(workdir, name), "w") as f:
                f.write(text)
        cert = os.path.join(workdir, "cert.pem")
        key = os.path.join(workdir, "key.pem")
        run_certhook(binary, endpoint, ["listeners"], AK, workdir)
        run_certhook(binary, endpoint, ["upload", cert, "--key", key], STS, workdir)
        run_certhook(binary, endpoint, ["attach", "--cert", cert, "--key", key, "--listener", "lsr-conf-443"], AK,
                     workdir)
        run_certhook(binary, endpoint, ["listeners"], STS, workdir)
        try:
            count, actions = resign_certhook_requests(endpoint)
            print(f"re-signed {count} certhook requests ({', '.join(actions)})")
        except Exception as e:
            check(False, f"re-signing: {type(e).__name__}: {e}")

        # Issue 15: the official credentials package and certhook resolve the same provider and credentials.
        try:
            import credentials_agreement

            agreed = credentials_agreement.run(binary, check, workdir)
            print(f"credentials: {agreed} modes agree with alibabacloud-credentials")
        except Exception as e:
            check(False, f"credentials agreement: {type(e).__name__}: {e}")
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    return finish()


def finish():
    print("field coverage (fields returned / fields in the SDK model):")
    for operation in sorted(k for k in COVERAGE if not k.endswith("#model")):
        print(f"  {operation}: {len(COVERAGE[operation])}/{COVERAGE[operation + '#model']}")
    print(f"conformance: {PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
