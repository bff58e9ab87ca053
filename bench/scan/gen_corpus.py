#!/usr/bin/env python3
"""Generate the scan benchmark corpus: N PEM files (default 10,000) in 100 directories.

Mixed RSA-2048 and P-256 leaves (keys reused from a small pool so generation takes seconds),
every fourth file with its issuing CA appended (so 10,000 files hold 12,500 certificates),
about one in ten expired and one in twenty inside the 30-day warning window.
Deterministic serials and names; dates relative to the moment of generation.
Usage: gen_corpus.py OUTDIR [COUNT]
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(cn, org="certhook bench"):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def make_ca(cn, key, now):
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(cn))
        .public_key(key.public_key())
        .serial_number(0x1000 + len(cn))
        .not_valid_before(now - datetime.timedelta(days=365))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    )
    return builder.sign(key, hashes.SHA256())


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    rsa_keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(4)]
    ec_keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_ca("certhook bench CA", ca_key, now)
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    for i in range(count):
        directory = os.path.join(out, "d%03d" % (i // 100))
        os.makedirs(directory, exist_ok=True)
        key = rsa_keys[i % 4] if i % 2 == 0 else ec_keys[i % 4]
        host = "host-%05d.bench.example" % i
        if i % 10 == 3:
            not_after = now - datetime.timedelta(days=1 + i % 200)  # expired
        elif i % 20 == 7:
            not_after = now + datetime.timedelta(days=1 + i % 29)  # warning window
        else:
            not_after = now + datetime.timedelta(days=31 + i % 700)
        not_before = min(not_after - datetime.timedelta(days=90), now - datetime.timedelta(days=1 + i % 60))
        sans = [x509.DNSName(host), x509.DNSName("www." + host)]
        if i % 16 == 5:
            sans.append(x509.DNSName("*.apps-%d.bench.example" % i))
        if i % 25 == 9:
            import ipaddress
            sans.append(x509.IPAddress(ipaddress.ip_address("10.0.%d.%d" % (i // 256 % 256, i % 256))))
        ekus = [ExtendedKeyUsageOID.SERVER_AUTH]
        if i % 3 == 0:
            ekus.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(host))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(0x4000000000000000 + i * 7919)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        cert = builder.sign(ca_key, hashes.SHA256())
        data = cert.public_bytes(serialization.Encoding.PEM)
        if i % 4 == 0:
            data += ca_pem
        with open(os.path.join(directory, "leaf-%05d.pem" % i), "wb") as handle:
            handle.write(data)


if __name__ == "__main__":
    main()
