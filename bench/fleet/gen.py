"""Seed and configuration for bench/fleet/run.sh: ACCOUNTS accounts in one emulator, each with REGIONS x LBS
Standard load balancers of LISTENERS HTTPS listeners; one deployment whose targets name every load balancer
with its account and region. Usage: gen.py WORK LINEAGE ACCOUNTS REGIONS LBS LISTENERS RATE"""
import sys

work, lineage, accounts, regions, lbs, listeners, rate = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:8])
REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou"][:regions]

seed = ["region: cn-hangzhou", "accessKeys:", "  - {id: bench-primary, secret: bench-primary-secret}", "accounts:"]
config = [
    "version: 1", "region: cn-hangzhou", f"statePath: {work}/state.json",
    # Tell certhook the account's real write limits (the published listener-write limit is 200 per minute).
    "rateLimits:", "  concurrency: 64", "  actions:",
    f"    AssociateAdditionalCertificatesWithListener: {rate}/1s",
    f"    DissociateAdditionalCertificatesFromListener: {rate}/1s",
    f"    UploadUserCertificate: {rate}/1s",
    "accounts:",
]
targets = []
for a in range(1, accounts + 1):
    name = f"a{a:02d}"
    seed += [f"  - id: \"{9000000000000000 + a}\"", f"    accessKeys: [{{id: key-{name}, secret: secret-{name}-not-real}}]",
             "    loadBalancers:"]
    config += [f"  - name: {name}", f"    accessKeyId: key-{name}", f"    accessKeySecret: secret-{name}-not-real"]
    for r, region in enumerate(REGIONS, start=1):
        for lb in range(1, lbs + 1):
            lb_id = f"alb-{name}-r{r}-{lb}"
            seed += [f"      - id: {lb_id}", "        edition: Standard", "        listeners:"]
            for l in range(1, listeners + 1):
                seed.append(f"          - {{id: lsr-{name}-r{r}-{lb}-{l:02d}, protocol: HTTPS, port: {8000 + l}}}")
            targets.append(f"      - {{loadBalancer: {lb_id}, account: {name}, region: {region}}}")
config += [
    "deployments:", "  - name: fleet",
    f"    source: {{cert: {lineage}/cert.pem, key: {lineage}/privkey.pem}}",
    "    domains: [fleet.example.test]", "    targets:",
] + targets
open(f"{work}/seed.yaml", "w").write("\n".join(seed) + "\n")
with open(f"{work}/config.yaml", "w") as f:
    f.write("\n".join(config) + "\n")
import os
os.chmod(f"{work}/config.yaml", 0o600)
