#!/usr/bin/env python3
"""The python-cryptography peer: walk a tree, parse every certificate of every PEM file in-process and
print the same fields as `certhook scan --format json` (one JSON document on stdout)."""
import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

WARN, CRIT = 30, 7
EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "anyExtendedKeyUsage",
}


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(cert, path, index, now):
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    days = int((not_after - now).total_seconds() // 86400)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns, ips = san.get_values_for_type(x509.DNSName), [str(a) for a in san.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns, ips = [], []
    try:
        ekus = [EKU_NAMES.get(o, o.dotted_string) for o in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value]
    except x509.ExtensionNotFound:
        ekus = None
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_type, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, bits = "EC", key.curve.key_size
    else:
        key_type, bits = type(key).__name__, 0
    remaining = (not_after - now).total_seconds()
    if remaining < 0:
        status = "expired"
    elif now < not_before:
        status = "not-yet-valid"
    elif remaining < CRIT * 86400:
        status = "critical"
    elif remaining < WARN * 86400:
        status = "warning"
    else:
        status = "ok"
    return {
        "path": path, "index": index,
        "subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
        "serialNumber": format(cert.serial_number, "x"),
        "notBefore": rfc3339(not_before), "notAfter": rfc3339(not_after), "daysRemaining": days,
        "dnsNames": dns, "ipAddresses": ips, "extendedKeyUsages": ekus,
        "serverAuth": ekus is None or "serverAuth" in ekus or "anyExtendedKeyUsage" in ekus,
        "isCA": is_ca, "keyType": key_type, "keyBits": bits,
        "sha1": cert.fingerprint(hashes.SHA1()).hex().upper(),
        "sha256": cert.fingerprint(hashes.SHA256()).hex().upper(),
        "status": status,
    }


def main():
    now = datetime.datetime.now(datetime.timezone.utc)
    certificates, errors = [], []
    for root in sys.argv[1:]:
        for directory, subdirs, files in os.walk(root):
            subdirs.sort()
            for name in sorted(files):
                path = os.path.join(directory, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                    for index, cert in enumerate(x509.load_pem_x509_certificates(data)):
                        certificates.append(describe(cert, path, index, now))
                except Exception as error:  # noqa: BLE001 - a peer baseline reports and goes on
                    errors.append({"path": path, "message": str(error)})
    json.dump({"certificates": certificates, "errors": errors,
               "summary": {"certificates": len(certificates), "errors": len(errors)}}, sys.stdout)


if __name__ == "__main__":
    main()
