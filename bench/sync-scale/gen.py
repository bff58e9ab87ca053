"""Writes the sync-scale fixture: an emulator seed with LBS Standard load balancers of PER listeners each, one
certbot-style lineage per listener (its own certificate, one shared key, one shared CA) and a certhook
configuration with one deployment per listener. Usage: gen.py WORKDIR DEPLOYMENTS"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

work, count = sys.argv[1], int(sys.argv[2])
per = 25  # a Standard ALB holds 25 additional certificates over all its listeners
lbs = (count + per - 1) // per
now = datetime.datetime.now(datetime.timezone.utc)
ca_key = ec.generate_private_key(ec.SECP256R1())
ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sync-scale bench CA")])
ca = (
    x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
    .serial_number(1).not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    .sign(ca_key, hashes.SHA256())
)
ca_pem = ca.public_bytes(serialization.Encoding.PEM)
key = ec.generate_private_key(ec.SECP256R1())
key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

seed = ["region: cn-hangzhou", "accessKeys:", "  - {id: bench-key, secret: bench-secret-not-real}", "loadBalancers:"]
# certhook is told the emulator's limits (`rateLimits.actions`, as an operator with raised API quotas would):
# run.sh starts it with --rate-limit 1000/1s for writes, and it serves unpublished reads at 100 per second. With
# the published 200 associations per minute a first run of 1,000 is five minutes of waiting whatever the client
# does, and certhook's own guess for unpublished reads is 50 per second.
limits = {"UploadUserCertificate": "1000/1s", "AssociateAdditionalCertificatesWithListener": "1000/1s",
          "DissociateAdditionalCertificatesFromListener": "1000/1s", "ListListenerCertificates": "100/1s",
          "GetListenerAttribute": "100/1s", "ListAsynJobs": "100/1s"}
config = ["version: 1", "region: cn-hangzhou", f"statePath: {work}/state.json", "rateLimits:", "  actions:"]
config += [f"    {action}: {rate}" for action, rate in limits.items()]
config += ["deployments:"]
for i in range(count):
    lb, slot = divmod(i, per)
    if slot == 0:
        seed += [f"  - id: alb-scale-{lb:03d}", "    edition: Standard", "    listeners:"]
    listener = f"lsr-scale-{lb:03d}-{slot:02d}"
    seed.append(f"      - {{id: {listener}, protocol: HTTPS, port: {8000 + slot}}}")
    name = f"site-{i:04d}.example.test"
    directory = f"{work}/live/{name}"
    os.makedirs(directory, exist_ok=True)
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(1000 + i)
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_pem = leaf.public_bytes(serialization.Encoding.PEM)
    for file, data in [("cert.pem", leaf_pem), ("chain.pem", ca_pem), ("fullchain.pem", leaf_pem + ca_pem)]:
        with open(f"{directory}/{file}", "wb") as f:
            f.write(data)
    with open(f"{directory}/privkey.pem", "wb") as f:
        f.write(key_pem)
    os.chmod(f"{directory}/privkey.pem", 0o600)
    config += [
        f"  - name: site-{i:04d}",
        f"    source: {{certbotLineage: {directory}}}",
        f"    domains: [{name}]",
        f"    targets: [{{listener: {listener}}}]",
    ]
with open(f"{work}/seed.yaml", "w") as f:
    f.write("\n".join(seed) + "\n")
with open(f"{work}/config.yaml", "w") as f:
    f.write("\n".join(config) + "\n")
os.chmod(f"{work}/config.yaml", 0o600)
