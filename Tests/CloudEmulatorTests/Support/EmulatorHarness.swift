import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// A started emulator with a settable clock and a hand-signing client.
final class EmulatorHarness: @unchecked Sendable {
  let server: EmulatorServer
  let clock: TestClock
  let client: RawClient
  private var nonce = 0
  var accessKeyId = "testid"
  var secret = "testsecret"
  var securityToken: String?

  static let albActions: Set<String> = [
    "ListListeners", "GetListenerAttribute", "ListListenerCertificates", "AssociateAdditionalCertificatesWithListener",
    "DissociateAdditionalCertificatesFromListener", "UpdateListenerAttribute", "ListAsynJobs", "GetLoadBalancerAttribute",
  ]

  init(server: EmulatorServer, clock: TestClock) {
    self.server = server
    self.clock = clock
    self.client = RawClient(base: server.endpoint)
  }

  /// Starts an emulator at the reference time with a 50 ms job delay unless told otherwise.
  static func start(
    seed: EmulatorSeed = .default, jobDelay: Duration = .milliseconds(50),
    configure: (inout EmulatorConfiguration) -> Void = { _ in }
  ) async throws -> EmulatorHarness {
    let clock = TestClock(TestClock.reference)
    var configuration = EmulatorConfiguration(seed: seed, jobDelay: jobDelay, clock: clock.function)
    configure(&configuration)
    let server = try await EmulatorServer.start(configuration)
    return EmulatorHarness(server: server, clock: clock)
  }

  func stop() async {
    await server.stop()
  }

  var host: String { "127.0.0.1:\(server.port)" }

  func nextNonce() -> String {
    nonce += 1
    return "nonce-\(nonce)-\(UInt64(clock.now.timeIntervalSince1970))"
  }

  static func version(for action: String) -> String {
    albActions.contains(action) ? "2020-06-16" : "2020-04-07"
  }

  /// A V3 request with business parameters in the query (as the official SDK sends them).
  func call(_ action: String, _ params: [(String, String)] = []) async throws -> Reply {
    let headers = HandSigner.v3(
      .init(
        host: host, action: action, version: Self.version(for: action), query: params,
        accessKeyId: accessKeyId, secret: secret, securityToken: securityToken, date: clock.now, nonce: nextNonce()))
    return try await client.send(query: params, headers: headers)
  }

  /// A V3 request with business parameters in a form body.
  func callWithForm(_ action: String, _ params: [(String, String)]) async throws -> Reply {
    let body = Array(params.map { "\(HandSigner.encode($0.0))=\(HandSigner.encode($0.1))" }.joined(separator: "&").utf8)
    let headers = HandSigner.v3(
      .init(
        host: host, action: action, version: Self.version(for: action), body: body,
        contentType: "application/x-www-form-urlencoded", accessKeyId: accessKeyId, secret: secret,
        securityToken: securityToken, date: clock.now, nonce: nextNonce()))
    return try await client.send(headers: headers, body: body)
  }

  /// A V1 request with every parameter in the query.
  func callV1(_ action: String, _ params: [(String, String)] = [], method: String = "POST") async throws -> Reply {
    let all = HandSigner.v1(
      method: method, params: [("Action", action), ("Version", Self.version(for: action))] + params,
      accessKeyId: accessKeyId, secret: secret, date: clock.now, nonce: nextNonce(), securityToken: securityToken)
    return try await client.send(method: method, query: all)
  }

  /// Uploads a freshly issued certificate for `domains` and returns its ALB identifier.
  func upload(name: String, domains: [String], days: Double = 90) async throws -> (certId: Int, identifier: String) {
    let pem = try Fixtures.issue(domains: domains, now: clock.now, days: days)
    let reply = try await call("UploadUserCertificate", [("Name", name), ("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(reply.status, 200, "upload failed: \(reply.code ?? "") \(reply.message)")
    let certId = try XCTUnwrap(reply.int("CertId"))
    return (certId, "\(certId)-cn-hangzhou")
  }

  /// Moves the clock past the job delay so pending jobs finish.
  func finishJobs() {
    clock.advance(0.06)
  }
}

/// Certificates issued in the test with CertificateKit.
enum Fixtures {
  static func issue(domains: [String], now: Date, days: Double = 90, key: PrivateKey? = nil) throws -> (
    cert: String, key: String
  ) {
    let subjectKey = try key ?? PrivateKey.generate(.ecP256)
    let request = CertificateFactory.Request(
      commonName: domains.first ?? "example.test", dnsNames: domains,
      notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(days * 86_400))
    let cert = try CertificateFactory.issue(request, subjectKey: subjectKey, issuer: nil)
    return (cert.pem, try subjectKey.pkcs8PEM())
  }
}
