import AlibabaCloud
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13, point 4: `SLBClient` (CLB) against the emulator: listener, server certificates from CAS, domain
/// extensions, the XML-style wrapped lists, typed errors, DryRun and the busy fault.
final class SLBClientTests: XCTestCase {
  let lb = LoadBalancerWorld.clb

  func start(
    _ seed: EmulatorSeed = LoadBalancerWorld.seed(), retry: RetryPolicy = RetryPolicy(),
    configure: (inout EmulatorConfiguration) -> Void = { _ in }
  ) async throws -> (EmulatorHarness, SLBClient) {
    let h = try await EmulatorHarness.startForClients(seed: seed, retry: retry, configure: configure)
    addTeardownBlock { await h.stop() }
    return (h, try h.slbClient())
  }

  /// A server certificate copied from a fresh CAS upload.
  func serverCertificate(_ h: EmulatorHarness, _ slb: SLBClient, _ domain: String, serial: UInt8) async throws
    -> SLBServerCertificate
  {
    let cas = try await h.uploadCertificate(domain, serial: serial)
    return try await slb.uploadServerCertificate(
      casCertificateId: cas.certId, casCertificateName: "certhook-\(domain)-\(serial)", casRegion: "cn-hangzhou",
      name: "certhook-\(domain)")
  }

  func testListenerServerCertificatesAndDomainExtensions() async throws {
    let (h, slb) = try await start()
    let listener = try await slb.describeHTTPSListener(loadBalancerId: lb, port: 443)
    XCTAssertEqual(listener.id, "\(lb):443")
    XCTAssertEqual(listener.domainExtensions, [])
    let seededDefault = try XCTUnwrap(listener.serverCertificateId)

    let cert = try await serverCertificate(h, slb, "clb.example.com", serial: 60)
    XCTAssertTrue(cert.isAliCloudCertificate)
    XCTAssertEqual(cert.name, "certhook-clb.example.com")
    XCTAssertEqual(cert.commonName, "clb.example.com")
    XCTAssertEqual(Set(cert.subjectAlternativeNames), ["clb.example.com", "www.clb.example.com"])
    XCTAssertNotNil(cert.fingerprint.range(of: #"^([0-9a-f]{2}:){19}[0-9a-f]{2}$"#, options: .regularExpression))
    XCTAssertEqual(cert.expireTime, Fixtures.clientStart.addingTimeInterval(86_400 * 90))
    let listed = try await slb.describeServerCertificates()
    XCTAssertTrue(listed.contains(cert))
    let one = try await slb.describeServerCertificates(serverCertificateIds: [cert.id])
    XCTAssertEqual(one.map(\.id), [cert.id])

    try await slb.setHTTPSListenerServerCertificate(
      loadBalancerId: lb, port: 443, serverCertificateId: cert.id, dryRun: true)
    var now = try await slb.describeHTTPSListener(loadBalancerId: lb, port: 443)
    XCTAssertEqual(now.serverCertificateId, seededDefault, "a dry run changes nothing")
    try await slb.setHTTPSListenerServerCertificate(loadBalancerId: lb, port: 443, serverCertificateId: cert.id)
    now = try await slb.describeHTTPSListener(loadBalancerId: lb, port: 443)
    XCTAssertEqual(now.serverCertificateId, cert.id)

    let api = try await serverCertificate(h, slb, "api.example.com", serial: 61)
    let extensionId = try await slb.createDomainExtension(
      loadBalancerId: lb, port: 443, domain: "api.example.com", serverCertificateId: api.id)
    var extensions = try await slb.describeDomainExtensions(loadBalancerId: lb, port: 443)
    XCTAssertEqual(
      extensions, [CLBDomainExtension(id: extensionId, domain: "api.example.com", serverCertificateId: api.id)])
    now = try await slb.describeHTTPSListener(loadBalancerId: lb, port: 443)
    XCTAssertEqual(now.domainExtensions.map(\.id), [extensionId], "the wrapped DomainExtensions list is decoded")

    let renewed = try await serverCertificate(h, slb, "api.example.com", serial: 62)
    try await slb.setDomainExtensionCertificate(domainExtensionId: extensionId, serverCertificateId: renewed.id)
    extensions = try await slb.describeDomainExtensions(loadBalancerId: lb, port: 443, domainExtensionId: extensionId)
    XCTAssertEqual(extensions.map(\.serverCertificateId), [renewed.id])

    try await slb.deleteServerCertificate(serverCertificateId: api.id)
    let remaining = try await slb.describeServerCertificates()
    XCTAssertFalse(remaining.contains { $0.id == api.id })
    try await slb.deleteDomainExtension(domainExtensionId: extensionId)
    extensions = try await slb.describeDomainExtensions(loadBalancerId: lb, port: 443)
    XCTAssertEqual(extensions, [])
    let writes = await h.writes().filter { $0.product == "slb" }.map(\.action)
    XCTAssertEqual(
      writes.filter { $0 != "UploadServerCertificate" },
      [
        "SetLoadBalancerHTTPSListenerAttribute", "CreateDomainExtension", "SetDomainExtensionAttribute",
        "DeleteServerCertificate", "DeleteDomainExtension",
      ])
  }

  func testNotFoundInUseAndQuotaAreTypedWithRequestId() async throws {
    let (h, slb) = try await start(LoadBalancerWorld.seed(clbQuota: 1), retry: .none)
    do {
      _ = try await slb.describeHTTPSListener(loadBalancerId: "lb-missing", port: 443)
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.httpStatus, 404)
      XCTAssertEqual(error.code, "InvalidLoadBalancerId.NotFound")
      XCTAssertEqual(error.product, .slb)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
    }
    do {
      try await slb.deleteServerCertificate(serverCertificateId: "sc-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "ServerCertificateId.NotFound")
    }
    let cert = try await serverCertificate(h, slb, "used.example.com", serial: 63)
    _ = try await slb.createDomainExtension(
      loadBalancerId: lb, port: 443, domain: "used.example.com", serverCertificateId: cert.id)
    do {
      try await slb.deleteServerCertificate(serverCertificateId: cert.id)
      XCTFail("a certificate in use cannot be deleted")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "CertificateAndPrivateKeyIsRefered")
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
      XCTAssertTrue(error.isRetryable, "SLB's DeleteServerCertificate row retries it (Terraform does)")
    }
    do {
      _ = try await slb.createDomainExtension(
        loadBalancerId: lb, port: 443, domain: "second.example.com", serverCertificateId: cert.id)
      XCTFail("the quota is one extension")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "QuotaExceeded.DomainExtension")
      XCTAssertFalse(error.isRetryable)
    }
  }

  func testBusyListenerIsTypedAndRetried() async throws {
    let (h, slb) = try await start(retry: .none) { $0.faults = FaultSpec(busyLoadBalancer: 1) }
    let cert = try await serverCertificate(h, slb, "busy.example.com", serial: 64)
    do {
      try await slb.setHTTPSListenerServerCertificate(loadBalancerId: lb, port: 443, serverCertificateId: cert.id)
      XCTFail("the fault answers busy")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "ServiceIsConfiguring")
      XCTAssertEqual(error.product, .slb)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
      XCTAssertTrue(error.isRetryable)
    }

    let (h2, slb2) = try await start { configuration in
      configuration.faults = FaultSpec(busyLoadBalancer: 0.5)
      configuration.faultSeed = 3
    }
    let cert2 = try await serverCertificate(h2, slb2, "busy.example.com", serial: 65)
    for _ in 0..<4 {
      try await slb2.setHTTPSListenerServerCertificate(loadBalancerId: lb, port: 443, serverCertificateId: cert2.id)
    }
    let busy = await h2.server.requestLog().filter { $0.code == "ServiceIsConfiguring" }
    XCTAssertGreaterThanOrEqual(busy.count, 1, "the fault fired and the client rode it out")
    let listener = try await slb2.describeHTTPSListener(loadBalancerId: lb, port: 443)
    XCTAssertEqual(listener.serverCertificateId, cert2.id)
  }

  /// Decoding both forms of the wrapped lists, and the region on every call.
  func testWrappedListsAndRegion() async throws {
    let transport = FakeTransport { request, _ in
      switch request.action {
      case "DescribeServerCertificates":
        return FakeTransport.json([
          "RequestId": "r",
          "ServerCertificates": [
            "ServerCertificate": [
              [
                "ServerCertificateId": "sc-1", "ServerCertificateName": "n", "Fingerprint": "aa:bb",
                "CommonName": "a.example",
                "SubjectAlternativeNames": ["SubjectAlternativeName": ["a.example", "b.example"]],
                "ExpireTime": "2023-01-26T23:59:59Z", "IsAliCloudCertificate": 1, "AliCloudCertificateId": "775",
              ]
            ]
          ],
        ])
      default:
        return FakeTransport.json([
          "RequestId": "r",
          "DomainExtensions": [["DomainExtensionId": "de-1", "Domain": "d", "ServerCertificateId": "sc-1"]],
        ])
      }
    }
    var configuration = Fixtures.configuration(clock: TestClock(Fixtures.clientStart))
    configuration.region = "eu-central-1"
    let slb = try SLBClient(
      configuration: configuration, credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    XCTAssertEqual(slb.rpc.endpoint.host, "slb.eu-central-1.aliyuncs.com")
    let onLoopback = try SLBClient(
      rpc: AcsRPCClient(
        endpoint: URL(string: "http://127.0.0.1:9")!, version: SLBClient.version,
        credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport, configuration: configuration)
    )
    let certs = try await onLoopback.describeServerCertificates()
    XCTAssertEqual(certs.first?.subjectAlternativeNames, ["a.example", "b.example"])
    XCTAssertEqual(certs.first?.aliCloudCertificateId, "775")
    XCTAssertEqual(certs.first?.expireTime, AcsTimestamp.parse("2023-01-26T23:59:59Z"))
    let bare = try await onLoopback.describeDomainExtensions(loadBalancerId: "lb-1", port: 443)
    XCTAssertEqual(bare.map(\.id), ["de-1"], "a bare array is read too")
    XCTAssertTrue(transport.requests.allSatisfy { $0.parameters["RegionId"] == "eu-central-1" })
    XCTAssertEqual(transport.requests.last?.parameters["ListenerPort"], "443")
    let sent = transport.requests.count
    do {
      _ = try await onLoopback.uploadServerCertificate(
        casCertificateId: 1, casCertificateName: "c", casRegion: "cn-hangzhou", name: String(repeating: "n", count: 81))
      XCTFail("an 81-character name is refused")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .configuration)
      XCTAssertTrue(error.message.contains("ServerCertificateName"), error.message)
    }
    XCTAssertEqual(transport.requests.count, sent, "nothing was sent")
  }

  /// The API takes a PEM upload's key in the URL query: no log line (trace) and no error may carry it, even when the
  /// server echoes the request, and even when the key is not PEM-armoured (the `PrivateKey` parameter is secret by
  /// name).
  func testAPEMUploadsKeyNeverReachesLogsOrErrors() async throws {
    let capture = LogCapture()
    let (h, _) = try await start()
    var configuration = h.configuration
    configuration.logger = capture.logger(level: .trace)
    let slb = try h.slbClient(configuration: configuration)
    let good = try EmulatorHarness.certificate("pem.example.com", serial: 70)
    let other = try EmulatorHarness.certificate("other.example.com", serial: 71)
    let uploaded = try await slb.uploadServerCertificate(
      certificatePEM: good.cert, privateKeyPEM: good.key, name: "pem-upload")
    XCTAssertFalse(uploaded.isAliCloudCertificate)
    XCTAssertEqual(uploaded.commonName, "pem.example.com")
    var errors: [String] = []
    do {
      _ = try await slb.uploadServerCertificate(certificatePEM: good.cert, privateKeyPEM: other.key)
      XCTFail("a key of another certificate is refused")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "CertificateAndPrivateKeyMismatch")
      errors.append(error.description)
    }

    // A server that echoes the whole request query back in its error.
    let rawKey = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-RAW-KEY-DO-NOT-LEAK"
    let echo = FakeTransport { request, _ in
      let query = request.url.query(percentEncoded: true) ?? ""
      let decoded = AcsPercentEncoding.decode(query, plusAsSpace: true) ?? ""
      return FakeTransport.error(400, code: "PrivateKey.Invalid", message: "bad request \(query) \(decoded)")
    }
    var echoConfiguration = Fixtures.configuration(clock: TestClock(Fixtures.clientStart))
    echoConfiguration.logger = capture.logger(level: .trace)
    let echoing = try SLBClient(
      configuration: echoConfiguration, credentials: StaticCredentialProvider(Fixtures.credentials), transport: echo,
      endpoint: URL(string: "http://127.0.0.1:9"))
    for key in [good.key, rawKey] {
      do {
        _ = try await echoing.uploadServerCertificate(certificatePEM: good.cert, privateKeyPEM: key)
        XCTFail("expected the echoed error")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.code, "PrivateKey.Invalid")
        XCTAssertTrue(error.message.contains(SecretRedactor.placeholder), error.message)
        errors.append(error.description)
      }
    }
    XCTAssertTrue(echo.requests.allSatisfy { $0.parameters["PrivateKey"] != nil }, "the key travels in the query")

    var keyLines: [String] = []
    for key in [good.key, other.key] {
      for line in key.split(separator: "\n") where line.count >= 16 && !line.hasPrefix("-----") {
        keyLines.append(String(line))
      }
    }
    XCTAssertFalse(keyLines.isEmpty)
    let logs = capture.text
    XCTAssertTrue(logs.contains("UploadServerCertificate"))
    for text in [logs] + errors {
      for forbidden in keyLines + [rawKey, AcsPercentEncoding.encode(rawKey)] {
        XCTAssertFalse(text.contains(forbidden), "leaked \(forbidden.prefix(8))...")
      }
    }
  }

  /// `DescribeLoadBalancerAttribute`: every listener of a CLB by port and protocol (uppercased), from the emulator,
  /// and from an answer that has only the service's misspelled `ListenerPortsAndProtocal` form.
  func testDescribeLoadBalancerListsEveryListenerByPortAndProtocol() async throws {
    let (h, slb) = try await start()
    let described = try await slb.describeLoadBalancer(loadBalancerId: lb)
    XCTAssertEqual(described.id, lb)
    XCTAssertEqual(described.status, "active")
    XCTAssertEqual(
      described.listeners, [.init(port: 80, protocol: "HTTP"), .init(port: 443, protocol: "HTTPS")])
    let sent = await h.server.requestLog().last
    XCTAssertEqual(sent?.action, "DescribeLoadBalancerAttribute")
    XCTAssertEqual(sent?.product, "slb")
    do {
      _ = try await slb.describeLoadBalancer(loadBalancerId: "lb-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "InvalidLoadBalancerId.NotFound")
      XCTAssertEqual(error.action, "DescribeLoadBalancerAttribute")
    }

    let transport = FakeTransport { _, _ in
      FakeTransport.json([
        "RequestId": "r", "LoadBalancerId": "lb-1", "LoadBalancerStatus": "locked",
        "ListenerPortsAndProtocal": [
          "ListenerPortAndProtocal": [
            ["ListenerPort": 443, "ListenerProtocal": "https"], ["ListenerPort": 8443, "ListenerProtocal": "https"],
            ["ListenerPort": 443, "ListenerProtocal": "https"], ["ListenerPort": 53, "ListenerProtocal": "udp"],
          ]
        ],
      ])
    }
    let offline = try SLBClient(
      rpc: AcsRPCClient(
        endpoint: URL(string: "http://127.0.0.1:9")!, version: SLBClient.version,
        credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport,
        configuration: Fixtures.configuration(clock: TestClock(Fixtures.clientStart))))
    let misspelled = try await offline.describeLoadBalancer(loadBalancerId: "lb-1")
    XCTAssertEqual(misspelled.status, "locked")
    XCTAssertEqual(
      misspelled.listeners,
      [.init(port: 53, protocol: "UDP"), .init(port: 443, protocol: "HTTPS"), .init(port: 8443, protocol: "HTTPS")])
    XCTAssertEqual(transport.requests.first?.parameters["LoadBalancerId"], "lb-1")
    XCTAssertEqual(transport.requests.first?.action, "DescribeLoadBalancerAttribute")
  }
}
