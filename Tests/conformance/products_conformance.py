"""Issue 13: the official NLB (2022-04-30), GA (2019-11-20) and SLB (2014-05-15) SDKs judge the emulator.

Called by conformance.py once per signing mode with its helpers (`check`, `judge`, `Spy`, `config`, `error_code`,
`issue`); every operation the emulator serves for these products is called through the SDK clients: success paths,
errors, paging, DryRun, quotas and jobs. The seed (conformance.py) has nlb-conf (TCPSSL lsn-conf-443, TCP
lsn-conf-80, quota 3), ga-conf (HTTPS lsr-ga-conf, quota 2) and lb-conf (HTTPS 443, HTTP 80, 2 domain extensions).
"""

import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import check_emulator  # noqa: E402  (the coverage replay of the e2e and reliability suites)

from alibabacloud_cas20200407 import models as cas_models
from alibabacloud_cas20200407.client import Client as CasClient
from alibabacloud_ga20191120 import models as ga_models
from alibabacloud_ga20191120.client import Client as GaClient
from alibabacloud_nlb20220430 import models as nlb_models
from alibabacloud_nlb20220430.client import Client as NlbClient
from alibabacloud_slb20140515 import models as slb_models
from alibabacloud_slb20140515.client import Client as SlbClient

REGION = "cn-zhangjiakou"  # the seed's region (NLB and CLB)
GA_REGION = "cn-hangzhou"  # GA's one region
CAS_SITE = "cn-hangzhou"


def upload(c, cas, label, name):
    cert_pem, key_pem = c.issue(f"{name}.example.test", [f"{name}.example.test"])
    up = cas.client.upload_user_certificate(
        cas_models.UploadUserCertificateRequest(name=f"{name} {label}", cert=cert_pem, key=key_pem))
    return up.body.cert_id, f"{up.body.cert_id}-{CAS_SITE}", cert_pem, key_pem


def wait(condition, what, c):
    for _ in range(200):
        if condition():
            return True
        time.sleep(0.05)
    c.check(False, f"timed out waiting for {what}")
    return False


def exercise_nlb(c, endpoint, credentials, v1, label, cas):
    mode = f"[{label} NLB]"
    nlb = c.Spy(NlbClient(c.config(endpoint, credentials, v1)))
    lsn = "lsn-conf-443"
    _, first, _, _ = upload(c, cas, label, f"nlb-a-{label.lower().replace('+', '-')}")
    _, second, _, _ = upload(c, cas, label, f"nlb-b-{label.lower().replace('+', '-')}")

    nlb.client.list_listeners(nlb_models.ListListenersRequest(region_id=REGION, load_balancer_ids=["nlb-conf"], max_results=1))
    c.judge("NLB ListListeners", nlb.last, nlb_models.ListListenersResponseBody,
            ["Listeners", "NextToken", "MaxResults", "TotalCount", "RequestId"])
    page1 = nlb.last
    for item in page1.get("Listeners") or []:
        c.judge("NLB ListListeners.Listeners", item, nlb_models.ListListenersResponseBodyListeners,
                ["ListenerId", "LoadBalancerId", "ListenerProtocol", "ListenerPort", "ListenerStatus", "CertificateIds"])
    nlb.client.list_listeners(nlb_models.ListListenersRequest(
        region_id=REGION, load_balancer_ids=["nlb-conf"], max_results=1, next_token=page1.get("NextToken")))
    ids = [l.get("ListenerId") for l in (page1.get("Listeners") or []) + (nlb.last.get("Listeners") or [])]
    c.check(sorted(ids) == ["lsn-conf-443", "lsn-conf-80"], f"{mode} ListListeners pages through both listeners: {ids}")
    nlb.client.list_listeners(nlb_models.ListListenersRequest(region_id=REGION, listener_protocol="TCPSSL"))
    c.check([l.get("ListenerId") for l in nlb.last.get("Listeners") or []] == [lsn], f"{mode} ListenerProtocol filter")

    nlb.client.get_listener_attribute(nlb_models.GetListenerAttributeRequest(listener_id=lsn, region_id=REGION))
    c.judge("NLB GetListenerAttribute", nlb.last, nlb_models.GetListenerAttributeResponseBody,
            ["ListenerId", "LoadBalancerId", "ListenerProtocol", "ListenerPort", "ListenerStatus", "CertificateIds",
             "RequestId"])
    c.check(len(nlb.last.get("CertificateIds") or []) == 1, f"{mode} GetListenerAttribute: CertificateIds is the default")
    code = c.error_code(lambda: nlb.client.get_listener_attribute(
        nlb_models.GetListenerAttributeRequest(listener_id=lsn, region_id=REGION, dry_run=True)))
    c.check(code == "DryRunOperation", f"{mode} GetListenerAttribute DryRun: {code}")
    code = c.error_code(lambda: nlb.client.get_listener_attribute(
        nlb_models.GetListenerAttributeRequest(listener_id="lsr-conf-443", region_id=REGION)))
    c.check(code == "ResourceNotFound.listener", f"{mode} an ALB listener is not an NLB listener: {code}")

    # GetLoadBalancerAttribute: the DNS name a TLS probe connects to (certhook probe, verify: tls).
    nlb.client.get_load_balancer_attribute(
        nlb_models.GetLoadBalancerAttributeRequest(load_balancer_id="nlb-conf", region_id=REGION))
    c.judge("NLB GetLoadBalancerAttribute", nlb.last, nlb_models.GetLoadBalancerAttributeResponseBody,
            ["LoadBalancerId", "DNSName", "LoadBalancerStatus", "RegionId", "RequestId"])
    for item in nlb.last.get("ZoneMappings") or []:
        c.judge("NLB GetLoadBalancerAttribute.ZoneMappings", item,
                nlb_models.GetLoadBalancerAttributeResponseBodyZoneMappings, ["ZoneId", "LoadBalancerAddresses"])
        for address in item.get("LoadBalancerAddresses") or []:
            c.judge("NLB GetLoadBalancerAttribute.ZoneMappings.LoadBalancerAddresses", address,
                    nlb_models.GetLoadBalancerAttributeResponseBodyZoneMappingsLoadBalancerAddresses, [])
    dns_name = nlb.last.get("DNSName")
    with urllib.request.urlopen(f"http://{endpoint}/_emulator/state") as response:
        named = {lb["id"]: lb.get("dnsName") for lb in json.loads(response.read().decode())["loadBalancers"]}
    c.check(dns_name == "nlb-conf.cn-zhangjiakou.nlb.aliyuncsslb.com" and named.get("nlb-conf") == dns_name,
            f"{mode} GetLoadBalancerAttribute DNSName is the state's name: {dns_name} / {named.get('nlb-conf')}")
    code = c.error_code(lambda: nlb.client.get_load_balancer_attribute(
        nlb_models.GetLoadBalancerAttributeRequest(load_balancer_id="nlb-conf", region_id=REGION, dry_run=True)))
    c.check(code == "DryRunOperation", f"{mode} GetLoadBalancerAttribute DryRun: {code}")
    code = c.error_code(lambda: nlb.client.get_load_balancer_attribute(
        nlb_models.GetLoadBalancerAttributeRequest(load_balancer_id="lb-conf", region_id=REGION)))
    c.check(code == "ResourceNotFound.loadbalancer", f"{mode} a CLB instance is not an NLB instance: {code}")

    code = c.error_code(lambda: nlb.client.associate_additional_certificates_with_listener(
        nlb_models.AssociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsn, additional_certificate_ids=[first], dry_run=True, region_id=REGION)))
    c.check(code == "DryRunOperation", f"{mode} Associate DryRun: {code}")
    job = nlb.client.associate_additional_certificates_with_listener(
        nlb_models.AssociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsn, additional_certificate_ids=[first, second], client_token=f"nlb-{label}", region_id=REGION))
    c.judge("NLB AssociateAdditionalCertificatesWithListener", nlb.last,
            nlb_models.AssociateAdditionalCertificatesWithListenerResponseBody, ["JobId", "RequestId"])
    job_id = job.body.job_id

    def job_done(jid):
        nlb.client.get_job_status(nlb_models.GetJobStatusRequest(job_id=jid))
        return str(nlb.last.get("Status", "")).lower() == "succeeded"

    code = c.error_code(lambda: nlb.client.update_listener_attribute(
        nlb_models.UpdateListenerAttributeRequest(listener_id=lsn, certificate_ids=[first], region_id=REGION)))
    c.check(code in (None, "Conflict.Lock"), f"{mode} a write while the job runs is Conflict.Lock or waits: {code}")
    if code is None:
        nlb.last = None
    wait(lambda: job_done(job_id), "the NLB associate job", c)
    nlb.client.get_job_status(nlb_models.GetJobStatusRequest(job_id=job_id))
    c.judge("NLB GetJobStatus", nlb.last, nlb_models.GetJobStatusResponseBody, ["Status", "RequestId"])
    code = c.error_code(lambda: nlb.client.get_job_status(nlb_models.GetJobStatusRequest(job_id="no-such-job")))
    c.check(code == "ResourceNotFound.JobId", f"{mode} unknown JobId: {code}")
    wait(lambda: nlb.client.get_listener_attribute(nlb_models.GetListenerAttributeRequest(
        listener_id=lsn, region_id=REGION)).body.listener_status == "Running", "listener Running", c)

    nlb.client.list_listener_certificates(nlb_models.ListListenerCertificatesRequest(
        listener_id=lsn, cert_type="Server", max_results=2, region_id=REGION))
    c.judge("NLB ListListenerCertificates", nlb.last, nlb_models.ListListenerCertificatesResponseBody,
            ["Certificates", "CertificateIds", "NextToken", "MaxResults", "TotalCount", "RequestId"])
    for item in nlb.last.get("Certificates") or []:
        c.judge("NLB ListListenerCertificates.Certificates", item,
                nlb_models.ListListenerCertificatesResponseBodyCertificates,
                ["CertificateId", "CertificateType", "IsDefault", "Status"])
    listed = nlb.last
    nlb.client.list_listener_certificates(nlb_models.ListListenerCertificatesRequest(
        listener_id=lsn, max_results=2, next_token=listed.get("NextToken"), region_id=REGION))
    everything = (listed.get("Certificates") or []) + (nlb.last.get("Certificates") or [])
    statuses = {x.get("CertificateId"): x.get("Status") for x in everything if not x.get("IsDefault")}
    c.check(statuses.get(first) == "Associated" and statuses.get(second) == "Associated",
            f"{mode} both certificates Associated after the job: {statuses}")

    # Quota 3 per instance (seed): two used, two more do not fit.
    _, third, _, _ = upload(c, cas, label, f"nlb-c-{label.lower().replace('+', '-')}")
    _, fourth, _, _ = upload(c, cas, label, f"nlb-d-{label.lower().replace('+', '-')}")
    code = c.error_code(lambda: nlb.client.associate_additional_certificates_with_listener(
        nlb_models.AssociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsn, additional_certificate_ids=[third, fourth], region_id=REGION)))
    c.check(code == "QuotaExceeded.AdditionalCertificatesNum", f"{mode} per-instance quota: {code}")

    nlb.client.update_listener_attribute(nlb_models.UpdateListenerAttributeRequest(
        listener_id=lsn, certificate_ids=[third], client_token=f"nlb-upd-{label}", region_id=REGION))
    c.judge("NLB UpdateListenerAttribute", nlb.last, nlb_models.UpdateListenerAttributeResponseBody,
            ["JobId", "RequestId"])
    wait(lambda: job_done(nlb.last["JobId"]) if nlb.last and "JobId" in nlb.last else True, "update job", c)
    wait(lambda: nlb.client.get_listener_attribute(nlb_models.GetListenerAttributeRequest(
        listener_id=lsn, region_id=REGION)).body.certificate_ids == [third], "the new default certificate", c)

    off = nlb.client.disassociate_additional_certificates_with_listener(
        nlb_models.DisassociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsn, additional_certificate_ids=[first, second], region_id=REGION))
    c.judge("NLB DisassociateAdditionalCertificatesWithListener", nlb.last,
            nlb_models.DisassociateAdditionalCertificatesWithListenerResponseBody, ["JobId", "RequestId"])
    wait(lambda: job_done(off.body.job_id), "the NLB disassociate job", c)
    code = c.error_code(lambda: nlb.client.disassociate_additional_certificates_with_listener(
        nlb_models.DisassociateAdditionalCertificatesWithListenerRequest(
            listener_id=lsn, additional_certificate_ids=[first], region_id=REGION)))
    c.check(code == "ResourceNotAssociated.certificate", f"{mode} disassociating twice: {code}")
    # The SDK sent the certificate writes as a form body (hashed into x-acs-content-sha256 in V3) and the emulator
    # read them from there.
    with urllib.request.urlopen(f"http://{endpoint}/_emulator/requests") as response:
        records = [json.loads(line) for line in response.read().decode().splitlines() if line.strip()]
    bodies = [r["wire"]["body"] for r in records
              if r.get("action") == "AssociateAdditionalCertificatesWithListener" and r.get("status") == 200
              and "AdditionalCertificateIds" in (r.get("wire") or {}).get("body", "")]
    c.check(bodies and all("AdditionalCertificateIds" not in r["wire"]["rawQuery"] for r in records
                           if r.get("wire") and "AdditionalCertificateIds" in r["wire"]["body"]),
            f"{mode} NLB certificate writes arrive as a form body ({len(bodies)} seen)")


def exercise_ga(c, endpoint, credentials, v1, label, cas):
    mode = f"[{label} GA]"
    ga = c.Spy(GaClient(c.config(endpoint, credentials, v1)))
    acc, lsr = "ga-conf", "lsr-ga-conf"
    tag = label.lower().replace("+", "-")
    _, a, _, _ = upload(c, cas, label, f"ga-a-{tag}")
    _, b, _, _ = upload(c, cas, label, f"ga-b-{tag}")
    _, d, _, _ = upload(c, cas, label, f"ga-d-{tag}")

    def active():
        ga.client.describe_accelerator(ga_models.DescribeAcceleratorRequest(accelerator_id=acc, region_id=GA_REGION))
        return ga.last.get("State") == "active"

    ga.client.list_listeners(ga_models.ListListenersRequest(accelerator_id=acc, region_id=GA_REGION, page_number=1, page_size=1))
    c.judge("GA ListListeners", ga.last, ga_models.ListListenersResponseBody,
            ["Listeners", "PageNumber", "PageSize", "TotalCount", "RequestId"])
    for item in ga.last.get("Listeners") or []:
        c.judge("GA ListListeners.Listeners", item, ga_models.ListListenersResponseBodyListeners,
                ["ListenerId", "AcceleratorId", "Protocol", "State", "Certificates"])
    ga.client.list_listeners(ga_models.ListListenersRequest(accelerator_id=acc, region_id=GA_REGION, protocol="https"))
    c.check(len(ga.last.get("Listeners") or []) == 1, f"{mode} Protocol filter in either case")
    ga.client.describe_listener(ga_models.DescribeListenerRequest(listener_id=lsr, region_id=GA_REGION))
    c.judge("GA DescribeListener", ga.last, ga_models.DescribeListenerResponseBody,
            ["ListenerId", "AcceleratorId", "Protocol", "State", "Certificates", "RequestId"])
    ga.client.describe_accelerator(ga_models.DescribeAcceleratorRequest(accelerator_id=acc, region_id=GA_REGION))
    c.judge("GA DescribeAccelerator", ga.last, ga_models.DescribeAcceleratorResponseBody,
            ["AcceleratorId", "State", "RegionId", "RequestId"])
    code = c.error_code(lambda: ga.client.describe_accelerator(
        ga_models.DescribeAcceleratorRequest(accelerator_id="ga-nope", region_id=GA_REGION)))
    c.check(code == "NotExist.Accelerator", f"{mode} unknown accelerator: {code}")

    Cert = ga_models.AssociateAdditionalCertificatesWithListenerRequestCertificates
    ga.client.associate_additional_certificates_with_listener(
        ga_models.AssociateAdditionalCertificatesWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, client_token=f"ga-{label}",
            certificates=[Cert(id=a, domain=f"a.{tag}.example.test")]))
    c.judge("GA AssociateAdditionalCertificatesWithListener", ga.last,
            ga_models.AssociateAdditionalCertificatesWithListenerResponseBody, ["ListenerId", "RequestId"])
    code = c.error_code(lambda: ga.client.associate_additional_certificates_with_listener(
        ga_models.AssociateAdditionalCertificatesWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION,
            certificates=[Cert(id=b, domain=f"b.{tag}.example.test")])))
    c.check(code == "StateError.Accelerator", f"{mode} a write under the accelerator's lock: {code}")
    wait(active, "the accelerator active again", c)

    code = c.error_code(lambda: ga.client.associate_additional_certificates_with_listener(
        ga_models.AssociateAdditionalCertificatesWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION,
            certificates=[Cert(id=b, domain=f"b.{tag}.example.test"), Cert(id=d, domain=f"d.{tag}.example.test")])))
    c.check(code == "QuotaExceeded.Certificate", f"{mode} quota of 2 per listener: {code}")
    code = c.error_code(lambda: ga.client.associate_additional_certificates_with_listener(
        ga_models.AssociateAdditionalCertificatesWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION,
            certificates=[Cert(id=b, domain=f"a.{tag}.example.test")])))
    c.check(code == "Exist.Domain", f"{mode} one certificate per domain: {code}")

    code = c.error_code(lambda: ga.client.update_additional_certificate_with_listener(
        ga_models.UpdateAdditionalCertificateWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, domain=f"a.{tag}.example.test",
            certificate_id=b, dry_run=True)))
    c.check(code == "DryRunOperation", f"{mode} UpdateAdditionalCertificateWithListener DryRun: {code}")
    ga.client.update_additional_certificate_with_listener(
        ga_models.UpdateAdditionalCertificateWithListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, domain=f"a.{tag}.example.test",
            certificate_id=b, client_token=f"ga-swap-{label}"))
    c.judge("GA UpdateAdditionalCertificateWithListener", ga.last,
            ga_models.UpdateAdditionalCertificateWithListenerResponseBody, ["ListenerId", "RequestId"])
    ga.client.list_listener_certificates(ga_models.ListListenerCertificatesRequest(
        accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, role="additional"))
    during = {x.get("Domain"): (x.get("CertificateId"), x.get("State")) for x in ga.last.get("Certificates") or []}
    c.check(during.get(f"a.{tag}.example.test") == (a, "updating"),
            f"{mode} the old certificate stays bound while the swap runs: {during}")
    wait(active, "the swap to end", c)
    ga.client.list_listener_certificates(ga_models.ListListenerCertificatesRequest(
        accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, max_results=1))
    c.judge("GA ListListenerCertificates", ga.last, ga_models.ListListenerCertificatesResponseBody,
            ["Certificates", "NextToken", "MaxResults", "TotalCount", "RequestId"])
    first_page = ga.last
    for item in first_page.get("Certificates") or []:
        c.judge("GA ListListenerCertificates.Certificates", item,
                ga_models.ListListenerCertificatesResponseBodyCertificates, ["CertificateId", "IsDefault", "State"])
    ga.client.list_listener_certificates(ga_models.ListListenerCertificatesRequest(
        accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, max_results=1, next_token=first_page.get("NextToken")))
    both = (first_page.get("Certificates") or []) + (ga.last.get("Certificates") or [])
    bound = {x.get("Domain"): x.get("CertificateId") for x in both if not x.get("IsDefault")}
    c.check(bound == {f"a.{tag}.example.test": b}, f"{mode} paging finds the swapped binding: {bound}")

    UCert = ga_models.UpdateListenerRequestCertificates
    ga.client.update_listener(ga_models.UpdateListenerRequest(
        listener_id=lsr, region_id=GA_REGION, certificates=[UCert(id=d)], client_token=f"ga-default-{label}"))
    c.judge("GA UpdateListener", ga.last, ga_models.UpdateListenerResponseBody, ["RequestId"])
    wait(active, "the default certificate change", c)
    ga.client.describe_listener(ga_models.DescribeListenerRequest(listener_id=lsr, region_id=GA_REGION))
    c.check([x.get("Id") for x in ga.last.get("Certificates") or []] == [d], f"{mode} UpdateListener set the default")

    ga.client.dissociate_additional_certificates_from_listener(
        ga_models.DissociateAdditionalCertificatesFromListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, domains=[f"a.{tag}.example.test"]))
    c.judge("GA DissociateAdditionalCertificatesFromListener", ga.last,
            ga_models.DissociateAdditionalCertificatesFromListenerResponseBody, ["RequestId"])
    wait(active, "the dissociation", c)
    code = c.error_code(lambda: ga.client.dissociate_additional_certificates_from_listener(
        ga_models.DissociateAdditionalCertificatesFromListenerRequest(
            accelerator_id=acc, listener_id=lsr, region_id=GA_REGION, domains=[f"a.{tag}.example.test"])))
    c.check(code == "NotExist.Domain", f"{mode} dissociating an unbound domain: {code}")


def exercise_clb(c, endpoint, credentials, v1, label, cas):
    mode = f"[{label} CLB]"
    slb = c.Spy(SlbClient(c.config(endpoint, credentials, v1)))
    tag = label.lower().replace("+", "-")
    lb = "lb-conf"
    cert_id, _, cert_pem, key_pem = upload(c, cas, label, f"clb-{tag}")

    up = slb.client.upload_server_certificate(slb_models.UploadServerCertificateRequest(
        region_id=REGION, ali_cloud_certificate_id=str(cert_id), ali_cloud_certificate_name=f"clb-{tag}",
        ali_cloud_certificate_region_id=CAS_SITE, server_certificate_name=f"clb-{tag}"))
    c.judge("SLB UploadServerCertificate", slb.last, slb_models.UploadServerCertificateResponseBody,
            ["ServerCertificateId", "Fingerprint", "CommonName", "SubjectAlternativeNames", "ExpireTime",
             "ExpireTimeStamp", "CreateTime", "CreateTimeStamp", "IsAliCloudCertificate", "RequestId"])
    from_cas = up.body.server_certificate_id
    fp = slb.last.get("Fingerprint", "")
    c.check(fp == fp.lower() and fp.count(":") == 19, f"{mode} Fingerprint is lowercase colon SHA-1: {fp}")
    pem = slb.client.upload_server_certificate(slb_models.UploadServerCertificateRequest(
        region_id=REGION, server_certificate=cert_pem, private_key=key_pem, server_certificate_name=f"pem {TRICKY(tag)}"))
    from_pem = pem.body.server_certificate_id
    c.check(slb.last.get("Fingerprint") == fp, f"{mode} the PEM upload of the same leaf has the same fingerprint")
    other_pem, other_key = c.issue("other.example.test", ["other.example.test"])
    code = c.error_code(lambda: slb.client.upload_server_certificate(slb_models.UploadServerCertificateRequest(
        region_id=REGION, server_certificate=cert_pem, private_key=other_key)))
    c.check(code == "CertificateAndPrivateKeyMismatch", f"{mode} a key of another certificate is refused: {code}")

    slb.client.describe_server_certificates(slb_models.DescribeServerCertificatesRequest(region_id=REGION))
    c.judge("SLB DescribeServerCertificates", slb.last, slb_models.DescribeServerCertificatesResponseBody,
            ["ServerCertificates", "RequestId"])
    items = (slb.last.get("ServerCertificates") or {}).get("ServerCertificate") or []
    for item in items:
        c.judge("SLB DescribeServerCertificates.ServerCertificate", item,
                slb_models.DescribeServerCertificatesResponseBodyServerCertificatesServerCertificate,
                ["ServerCertificateId", "Fingerprint", "IsAliCloudCertificate", "SubjectAlternativeNames"])
    c.check({from_cas, from_pem} <= {i.get("ServerCertificateId") for i in items}, f"{mode} both are listed")

    code = c.error_code(lambda: slb.client.set_load_balancer_httpslistener_attribute(
        slb_models.SetLoadBalancerHTTPSListenerAttributeRequest(
            region_id=REGION, load_balancer_id=lb, listener_port=443, server_certificate_id=from_cas, dry_run=True)))
    c.check(code == "DryRunOperation", f"{mode} SetLoadBalancerHTTPSListenerAttribute DryRun: {code}")
    slb.client.set_load_balancer_httpslistener_attribute(slb_models.SetLoadBalancerHTTPSListenerAttributeRequest(
        region_id=REGION, load_balancer_id=lb, listener_port=443, server_certificate_id=from_cas, bandwidth=-1))
    c.judge("SLB SetLoadBalancerHTTPSListenerAttribute", slb.last,
            slb_models.SetLoadBalancerHTTPSListenerAttributeResponseBody, ["RequestId"])

    created = slb.client.create_domain_extension(slb_models.CreateDomainExtensionRequest(
        region_id=REGION, load_balancer_id=lb, listener_port=443, domain=f"www.{tag}.example.test",
        server_certificate_id=from_pem))
    c.judge("SLB CreateDomainExtension", slb.last, slb_models.CreateDomainExtensionResponseBody,
            ["DomainExtensionId", "ListenerPort", "RequestId"])
    extension = created.body.domain_extension_id
    slb.client.create_domain_extension(slb_models.CreateDomainExtensionRequest(
        region_id=REGION, load_balancer_id=lb, listener_port=443, domain=f"api.{tag}.example.test",
        server_certificate_id=from_pem))
    second = slb.last.get("DomainExtensionId")
    code = c.error_code(lambda: slb.client.create_domain_extension(slb_models.CreateDomainExtensionRequest(
        region_id=REGION, load_balancer_id=lb, listener_port=443, domain=f"x.{tag}.example.test",
        server_certificate_id=from_pem)))
    c.check(code == "QuotaExceeded.DomainExtension", f"{mode} 2 extensions per listener (seed): {code}")

    slb.client.describe_load_balancer_httpslistener_attribute(
        slb_models.DescribeLoadBalancerHTTPSListenerAttributeRequest(region_id=REGION, load_balancer_id=lb, listener_port=443))
    c.judge("SLB DescribeLoadBalancerHTTPSListenerAttribute", slb.last,
            slb_models.DescribeLoadBalancerHTTPSListenerAttributeResponseBody,
            ["ListenerPort", "Status", "ServerCertificateId", "DomainExtensions", "RequestId"])
    c.check(slb.last.get("ServerCertificateId") == from_cas, f"{mode} the default certificate is set")
    exts = (slb.last.get("DomainExtensions") or {}).get("DomainExtension") or []
    for item in exts:
        c.judge("SLB DescribeLoadBalancerHTTPSListenerAttribute.DomainExtension", item,
                slb_models.DescribeLoadBalancerHTTPSListenerAttributeResponseBodyDomainExtensionsDomainExtension,
                ["DomainExtensionId", "Domain", "ServerCertificateId"])

    code = c.error_code(lambda: slb.client.delete_server_certificate(slb_models.DeleteServerCertificateRequest(
        region_id=REGION, server_certificate_id=from_pem)))
    c.check(code == "CertificateAndPrivateKeyIsRefered", f"{mode} deleting a certificate in use: {code}")
    slb.client.set_domain_extension_attribute(slb_models.SetDomainExtensionAttributeRequest(
        region_id=REGION, domain_extension_id=extension, server_certificate_id=from_cas))
    c.judge("SLB SetDomainExtensionAttribute", slb.last, slb_models.SetDomainExtensionAttributeResponseBody,
            ["RequestId"])
    slb.client.describe_domain_extensions(slb_models.DescribeDomainExtensionsRequest(
        region_id=REGION, load_balancer_id=lb, listener_port=443, domain_extension_id=extension))
    c.judge("SLB DescribeDomainExtensions", slb.last, slb_models.DescribeDomainExtensionsResponseBody,
            ["DomainExtensions", "RequestId"])
    listed = (slb.last.get("DomainExtensions") or {}).get("DomainExtension") or []
    for item in listed:
        c.judge("SLB DescribeDomainExtensions.DomainExtension", item,
                slb_models.DescribeDomainExtensionsResponseBodyDomainExtensionsDomainExtension,
                ["DomainExtensionId", "Domain", "ServerCertificateId"])
    c.check([x.get("ServerCertificateId") for x in listed] == [from_cas], f"{mode} the extension swapped in place")

    for ext in (extension, second):
        slb.client.delete_domain_extension(slb_models.DeleteDomainExtensionRequest(region_id=REGION, domain_extension_id=ext))
    c.judge("SLB DeleteDomainExtension", slb.last, slb_models.DeleteDomainExtensionResponseBody, ["RequestId"])
    code = c.error_code(lambda: slb.client.delete_domain_extension(slb_models.DeleteDomainExtensionRequest(
        region_id=REGION, domain_extension_id=extension)))
    c.check(code == "InvalidParameter.DomainExtensionId", f"{mode} an unknown extension: {code}")
    slb.client.delete_server_certificate(slb_models.DeleteServerCertificateRequest(
        region_id=REGION, server_certificate_id=from_pem))
    c.judge("SLB DeleteServerCertificate", slb.last, slb_models.DeleteServerCertificateResponseBody, ["RequestId"])
    code = c.error_code(lambda: slb.client.delete_server_certificate(slb_models.DeleteServerCertificateRequest(
        region_id=REGION, server_certificate_id=from_pem)))
    c.check(code == "ServerCertificateId.NotFound", f"{mode} a deleted server certificate: {code}")
    code = c.error_code(lambda: slb.client.describe_load_balancer_httpslistener_attribute(
        slb_models.DescribeLoadBalancerHTTPSListenerAttributeRequest(region_id=REGION, load_balancer_id="lb-nope",
                                                                     listener_port=443)))
    c.check(code == "InvalidLoadBalancerId.NotFound", f"{mode} an unknown load balancer: {code}")

    slb.client.describe_load_balancer_attribute(
        slb_models.DescribeLoadBalancerAttributeRequest(region_id=REGION, load_balancer_id=lb))
    c.judge("SLB DescribeLoadBalancerAttribute", slb.last, slb_models.DescribeLoadBalancerAttributeResponseBody,
            ["LoadBalancerId", "LoadBalancerStatus", "ListenerPorts", "ListenerPortsAndProtocol", "RequestId"])
    ports = (slb.last.get("ListenerPortsAndProtocol") or {}).get("ListenerPortAndProtocol") or []
    for item in ports:
        c.judge("SLB DescribeLoadBalancerAttribute.ListenerPortAndProtocol", item,
                slb_models.DescribeLoadBalancerAttributeResponseBodyListenerPortsAndProtocolListenerPortAndProtocol,
                ["ListenerPort", "ListenerProtocol"])
    address = slb.last.get("Address")
    with urllib.request.urlopen(f"http://{endpoint}/_emulator/state") as response:
        named = {lb["id"]: lb.get("dnsName") for lb in json.loads(response.read().decode())["loadBalancers"]}
    c.check(bool(address) and address.startswith("192.0.2.") and named.get(lb) == address,
            f"{mode} DescribeLoadBalancerAttribute Address is the instance's own, the state's name: {address}")
    listed = sorted((i.get("ListenerPort"), i.get("ListenerProtocol")) for i in ports)
    c.check(listed == [(80, "http"), (443, "https")], f"{mode} DescribeLoadBalancerAttribute lists both listeners: {listed}")
    code = c.error_code(lambda: slb.client.describe_load_balancer_attribute(
        slb_models.DescribeLoadBalancerAttributeRequest(region_id=REGION, load_balancer_id="lb-nope")))
    c.check(code == "InvalidLoadBalancerId.NotFound", f"{mode} DescribeLoadBalancerAttribute of an unknown one: {code}")


def replay(c, endpoint, listener, domain):
    """The coverage replay (check_emulator.coverage_gaps) over the emulator's log for one listener and domain."""
    state = json.loads(check_emulator.fetch(f"http://{endpoint}/_emulator/state"))
    events = [json.loads(l) for l in check_emulator.fetch(f"http://{endpoint}/_emulator/events").splitlines() if l]
    check_emulator.STATE = state
    return check_emulator.coverage_gaps(events, state["certificates"], listener, [domain])


def renewals_are_replayed(c, endpoint, credentials, v1, label, cas):
    """A GA swap and a CLB extension swap between two certificates of one name leave no gap in the replay; taking
    the CLB extension away is reported as a gap (the replay sees the products' changes, and can fail)."""
    mode = f"[{label} replay]"
    tag = label.lower().replace("+", "-")
    domain = f"renew-{tag}.example.test"
    ga = GaClient(c.config(endpoint, credentials, v1))
    slb = SlbClient(c.config(endpoint, credentials, v1))
    ids = []
    for n in range(2):
        cert_pem, key_pem = c.issue(domain, [domain])
        up = cas.client.upload_user_certificate(cas_models.UploadUserCertificateRequest(
            name=f"renew {n} {label}", cert=cert_pem, key=key_pem))
        ids.append(up.body.cert_id)

    def active():
        return ga.describe_accelerator(ga_models.DescribeAcceleratorRequest(
            accelerator_id="ga-conf", region_id=GA_REGION)).body.state == "active"

    wait(active, "the accelerator", c)
    Cert = ga_models.AssociateAdditionalCertificatesWithListenerRequestCertificates
    ga.associate_additional_certificates_with_listener(ga_models.AssociateAdditionalCertificatesWithListenerRequest(
        accelerator_id="ga-conf", listener_id="lsr-ga-conf", region_id=GA_REGION,
        certificates=[Cert(id=f"{ids[0]}-{CAS_SITE}", domain=domain)]))
    wait(active, "the binding", c)
    ga.update_additional_certificate_with_listener(ga_models.UpdateAdditionalCertificateWithListenerRequest(
        accelerator_id="ga-conf", listener_id="lsr-ga-conf", region_id=GA_REGION, domain=domain,
        certificate_id=f"{ids[1]}-{CAS_SITE}"))
    wait(active, "the swap", c)
    gaps = replay(c, endpoint, "lsr-ga-conf", domain)
    c.check(gaps == [], f"{mode} GA in-place swap: no gap in the coverage replay {gaps}")
    ga.dissociate_additional_certificates_from_listener(ga_models.DissociateAdditionalCertificatesFromListenerRequest(
        accelerator_id="ga-conf", listener_id="lsr-ga-conf", region_id=GA_REGION, domains=[domain]))
    wait(active, "the dissociation", c)

    servers = []
    for n, cert_id in enumerate(ids):
        servers.append(slb.upload_server_certificate(slb_models.UploadServerCertificateRequest(
            region_id=REGION, ali_cloud_certificate_id=str(cert_id), ali_cloud_certificate_name=f"renew {n}",
            ali_cloud_certificate_region_id=CAS_SITE)).body.server_certificate_id)
    ext = slb.create_domain_extension(slb_models.CreateDomainExtensionRequest(
        region_id=REGION, load_balancer_id="lb-conf", listener_port=443, domain=domain,
        server_certificate_id=servers[0])).body.domain_extension_id
    slb.set_domain_extension_attribute(slb_models.SetDomainExtensionAttributeRequest(
        region_id=REGION, domain_extension_id=ext, server_certificate_id=servers[1]))
    gaps = replay(c, endpoint, "lb-conf:443", domain)
    c.check(gaps == [], f"{mode} CLB extension swap: no gap in the coverage replay {gaps}")
    slb.delete_domain_extension(slb_models.DeleteDomainExtensionRequest(region_id=REGION, domain_extension_id=ext))
    gaps = replay(c, endpoint, "lb-conf:443", domain)
    c.check(len(gaps) >= 1, f"{mode} removing the CLB extension is a gap in the replay ({len(gaps)})")
    for server in servers:
        slb.delete_server_certificate(slb_models.DeleteServerCertificateRequest(
            region_id=REGION, server_certificate_id=server))


def TRICKY(tag):
    return f"a b+c/d=e 证书 {tag}"


def run(c, endpoint, credentials, v1, label):
    """Every NLB, GA and CLB operation in one signing mode."""
    cas = c.Spy(CasClient(c.config(endpoint, credentials, v1)))
    for name, step in (("NLB", exercise_nlb), ("GA", exercise_ga), ("CLB", exercise_clb), ("replay", renewals_are_replayed)):
        try:
            step(c, endpoint, credentials, v1, label, cas)
        except Exception as e:  # one broken product must not hide the others
            c.check(False, f"[{label} {name}] {type(e).__name__}: {e}")
