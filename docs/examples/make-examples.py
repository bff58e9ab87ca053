#!/usr/bin/env python3
"""Regenerate docs/examples/certs: a tiny certificate tree for `certhook scan` demos and the README.

Fixed dates (valid until 2036), so the committed tree stays the same whenever it is scanned before then:
- letsencrypt/: a certbot configuration (live/ symlinks into archive/); version 1 in archive/ is expired
  and is not reported, because scan reads a certbot tree through live/.
- nginx/: a fullchain (leaf + intermediate), its key, and a CSR (keys and CSRs are skipped).
- legacy/: a DER certificate with an IP SAN.
The keys are throwaway examples. Usage: python3 docs/examples/make-examples.py  (needs `cryptography`)
"""
import datetime
import ipaddress
import os
import shutil

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "certs")
UTC = datetime.timezone.utc


def name(cn, org=None):
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)] if org else []
    return x509.Name(attributes + [x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key_from(seed):
    return ec.derive_private_key(seed, ec.SECP256R1())


def issue(subject, key, issuer, issuer_key, serial, start, end, ca=False, sans=()):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(datetime.datetime(*start, tzinfo=UTC))
        .not_valid_after(datetime.datetime(*end, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certificates):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def write(relative, data):
    path = os.path.join(OUT, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    ca_key, leaf_key = key_from(0xC0FFEE), key_from(0xBEEF)
    ca = issue(name("Example Issuing CA", "certhook examples"), ca_key, name("Example Issuing CA", "certhook examples"),
               ca_key, 0x1001, (2025, 1, 1), (2045, 1, 1), ca=True)
    dns = lambda *names: [x509.DNSName(n) for n in names]

    old = issue(name("shop.example"), leaf_key, ca.subject, ca_key, 0x2001, (2025, 1, 1), (2025, 4, 1),
                sans=dns("shop.example", "www.shop.example"))
    new = issue(name("shop.example"), leaf_key, ca.subject, ca_key, 0x2002, (2026, 1, 1), (2036, 1, 1),
                sans=dns("shop.example", "www.shop.example"))
    for version, leaf in ((1, old), (2, new)):
        base = "letsencrypt/archive/shop.example/"
        write(base + "cert%d.pem" % version, pem(leaf))
        write(base + "chain%d.pem" % version, pem(ca))
        write(base + "fullchain%d.pem" % version, pem(leaf, ca))
        write(base + "privkey%d.pem" % version, key_pem(leaf_key))
    live = os.path.join(OUT, "letsencrypt/live/shop.example")
    os.makedirs(live)
    for item in ("cert", "chain", "fullchain", "privkey"):
        os.symlink("../../archive/shop.example/%s2.pem" % item, os.path.join(live, item + ".pem"))
    write("letsencrypt/live/README", b"This directory contains your keys and certificates.\n")
    write("letsencrypt/renewal/shop.example.conf", b"# renew_before_expiry = 30 days\nversion = 2.11.0\n")

    api = issue(name("api.example", "Example Ltd"), leaf_key, ca.subject, ca_key, 0x3001, (2026, 1, 1), (2036, 6, 1),
                sans=dns("api.example", "*.api.example"))
    write("nginx/api.example.fullchain.pem", pem(api, ca))
    write("nginx/api.example.key", key_pem(leaf_key))
    csr = (x509.CertificateSigningRequestBuilder().subject_name(name("api.example"))
           .sign(leaf_key, hashes.SHA256()))
    write("nginx/api.example.csr", csr.public_bytes(serialization.Encoding.PEM))

    device = issue(name("device-7.example"), leaf_key, ca.subject, ca_key, 0x4001, (2026, 1, 1), (2035, 1, 1),
                   sans=[x509.DNSName("device-7.example"), x509.IPAddress(ipaddress.ip_address("192.0.2.7"))])
    write("legacy/device-7.cer", device.public_bytes(serialization.Encoding.DER))


if __name__ == "__main__":
    main()
