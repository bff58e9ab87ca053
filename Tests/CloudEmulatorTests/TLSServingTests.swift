import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// `--serve-tls`: real TLS clients (openssl s_client, curl) see the certificate the selection rule picks,
/// at the right job phases, with the full uploaded chain.
final class TLSServingTests: XCTestCase {
  static let https = "lsr-emulator-443"

  /// A started emulator serving TLS on a free port of 127.0.1.1 (offset from 443).
  func start(faults: FaultSpec = .none) async throws -> (EmulatorHarness, port: Int) {
    let port = try LoopbackPort.free(address: "127.0.1.1")
    let harness = try await EmulatorHarness.start { configuration in
      configuration.serveTLS = true
      configuration.tlsPortOffset = port - 443
      configuration.faults = faults
    }
    addTeardownBlock { await harness.stop() }
    return (harness, port)
  }

  func associate(_ h: EmulatorHarness, _ ids: [String]) async throws {
    let params = ids.enumerated().map { ("Certificates.\($0.offset + 1).CertificateId", $0.element) }
    let reply = try await h.call(
      "AssociateAdditionalCertificatesWithListener", [("ListenerId", Self.https)] + params)
    XCTAssertEqual(reply.status, 200, reply.message)
  }

  func served(_ port: Int, _ name: String?) throws -> [Certificate] {
    try TLSTestTools.sClient(address: "127.0.1.1", port: port, serverName: name)
  }

  func testSelectionExactBeforeWildcardThenDefaultAndNoSNI() async throws {
    let (h, port) = try await start()
    let exact = try await h.upload(name: "exact", domains: ["www.example.test"], days: 3650)
    let wildcard = try await h.upload(name: "wild", domains: ["*.example.test"], days: 3650)
    try await associate(h, [wildcard.identifier, exact.identifier])
    h.finishJobs()
    let state = await h.server.state()
    let defaultId = try XCTUnwrap(state.listener(Self.https)?.defaultCertificateId)
    func sha(_ identifier: String) -> String? {
      state.certificates.first { $0.certIdentifier == identifier }?.sha2
    }
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, sha(exact.identifier))
    XCTAssertEqual(try served(port, "api.example.test").first?.sha256Fingerprint, sha(wildcard.identifier))
    XCTAssertEqual(try served(port, "other.test").first?.sha256Fingerprint, sha(defaultId))
    XCTAssertEqual(try served(port, nil).first?.sha256Fingerprint, sha(defaultId))
  }

  func testLaterExpiringWinsAmongEqualMatches() async throws {
    let (h, port) = try await start()
    let short = try await h.upload(name: "short", domains: ["www.example.test"], days: 400)
    let long = try await h.upload(name: "long", domains: ["www.example.test"], days: 3650)
    try await associate(h, [long.identifier, short.identifier])
    h.finishJobs()
    let state = await h.server.state()
    let longSha = state.certificates.first { $0.certIdentifier == long.identifier }?.sha2
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, longSha)
  }

  func testServesOnlyWhileAssociatedAndStopsWhenDissociationStarts() async throws {
    let (h, port) = try await start()
    let cert = try await h.upload(name: "phase", domains: ["www.example.test"], days: 3650)
    let state0 = await h.server.state()
    let defaultId = try XCTUnwrap(state0.listener(Self.https)?.defaultCertificateId)
    let defaultSha = state0.certificates.first { $0.certIdentifier == defaultId }?.sha2
    let newSha = state0.certificates.first { $0.certIdentifier == cert.identifier }?.sha2
    try await associate(h, [cert.identifier])
    // Associating: not yet served.
    let during = await h.server.state()
    XCTAssertEqual(during.listener(Self.https)?.certificates.first?.status, "Associating")
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, defaultSha)
    h.finishJobs()
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, newSha)
    let reply = try await h.call(
      "DissociateAdditionalCertificatesFromListener",
      [("ListenerId", Self.https), ("Certificates.1.CertificateId", cert.identifier)])
    XCTAssertEqual(reply.status, 200, reply.message)
    // Diassociating: no longer served.
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, defaultSha)
  }

  func testFullChainIsSentAndCurlVerifiesIt() async throws {
    let (h, port) = try await start()
    let now = h.clock.now
    let chain = try TLSTestTools.chain(domains: ["www.example.test"], now: now)
    let reply = try await h.call(
      "UploadUserCertificate", [("Name", "chained"), ("Cert", chain.leafPEM + chain.intermediatePEM), ("Key", chain.keyPEM)])
    XCTAssertEqual(reply.status, 200, reply.message)
    let certId = try XCTUnwrap(reply.int("CertId"))
    try await associate(h, ["\(certId)-cn-hangzhou"])
    h.finishJobs()
    let presented = try served(port, "www.example.test")
    XCTAssertEqual(presented.count, 2, "leaf and intermediate")
    XCTAssertEqual(presented.first?.subject.commonName, "www.example.test")
    XCTAssertEqual(presented.last?.subject.commonName, "Emulator Test Intermediate")
    // curl, trusting only the root, accepts the chain for the name and reaches the listener.
    let ca = try TLSTestTools.write(chain.rootPEM, name: "root.pem")
    let body = try TLSTestTools.curl(name: "www.example.test", address: "127.0.1.1", port: port, caFile: ca)
    XCTAssertEqual(body.status, 0, body.output)
    XCTAssertTrue(body.output.contains("TLS listener \(Self.https)"), body.output)
    // An uncovered name gets the (self-signed, generated) default: curl refuses it.
    let refused = try TLSTestTools.curl(name: "other.example.test", address: "127.0.1.1", port: port, caFile: ca)
    XCTAssertNotEqual(refused.status, 0)
  }

  func testStateMapsDNSNamesAndEndpointsAndAPIReturnsDNSName() async throws {
    let (h, port) = try await start()
    let state = await h.server.state()
    XCTAssertEqual(state.dns?["alb-emulator01.cn-hangzhou.alb.aliyuncs.com"], "127.0.1.1")
    XCTAssertEqual(state.listener(Self.https)?.tlsEndpoint, "127.0.1.1:\(port)")
    // QUIC on the same port is UDP on a real ALB; over TCP it would collide, so it is not served.
    XCTAssertNil(state.listener("lsr-emulator-quic")?.tlsEndpoint)
    XCTAssertNil(state.listener("lsr-emulator-80")?.tlsEndpoint)
    let attribute = try await h.call("GetLoadBalancerAttribute", [("LoadBalancerId", "alb-emulator01")])
    XCTAssertEqual(attribute.status, 200, attribute.message)
    XCTAssertEqual(attribute.string("DNSName"), "alb-emulator01.cn-hangzhou.alb.aliyuncs.com")
    let missing = try await h.call("GetLoadBalancerAttribute", [("LoadBalancerId", "alb-nope")])
    XCTAssertEqual(missing.code, "ResourceNotFound.LoadBalancer")
  }

  func testNoServeFaultKeepsPresentingWhatTheListenerHeldAtStart() async throws {
    let (h, port) = try await start(faults: try FaultSpec.parse("no-serve=\(Self.https)"))
    let cert = try await h.upload(name: "stale", domains: ["www.example.test"], days: 3650)
    try await associate(h, [cert.identifier])
    h.finishJobs()
    let state = await h.server.state()
    XCTAssertEqual(state.listener(Self.https)?.certificates.first?.status, "Associated")
    let defaultId = try XCTUnwrap(state.listener(Self.https)?.defaultCertificateId)
    let defaultSha = state.certificates.first { $0.certIdentifier == defaultId }?.sha2
    XCTAssertEqual(try served(port, "www.example.test").first?.sha256Fingerprint, defaultSha)
    XCTAssertThrowsError(try FaultSpec.parse("no-serve="))
  }
}

/// Real TLS clients and certificate chains for the serving tests.
enum TLSTestTools {
  /// Runs a program; returns its exit status and combined output.
  static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = stdin
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// The chain `openssl s_client -showcerts` received, parsed by CertificateKit.
  static func sClient(address: String, port: Int, serverName: String?) throws -> [Certificate] {
    var arguments = ["openssl", "s_client", "-connect", "\(address):\(port)", "-showcerts"]
    if let serverName { arguments += ["-servername", serverName] } else { arguments.append("-noservername") }
    let result = try run(arguments)
    guard result.output.contains("BEGIN CERTIFICATE") else {
      throw EmulatorTestError("openssl s_client got no certificate: \(result.output)")
    }
    return try Certificate.parseAll(Array(result.output.utf8), source: "s_client")
  }

  /// `curl --resolve NAME:PORT:ADDRESS https://NAME:PORT/` trusting `caFile`.
  static func curl(name: String, address: String, port: Int, caFile: String) throws -> (status: Int32, output: String) {
    try run([
      "curl", "-sS", "--max-time", "10", "--resolve", "\(name):\(port):\(address)", "--cacert", caFile,
      "https://\(name):\(port)/",
    ])
  }

  /// Writes text to a fresh temporary file.
  static func write(_ text: String, name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Root -> intermediate -> leaf, valid from a day before `now` for ten years (so curl, on the real
  /// clock, accepts them too).
  static func chain(domains: [String], now: Date) throws -> (
    rootPEM: String, intermediatePEM: String, leafPEM: String, keyPEM: String
  ) {
    let start = now.addingTimeInterval(-86_400)
    let end = now.addingTimeInterval(3650 * 86_400)
    let rootKey = try PrivateKey.generate(.ecP256)
    let root = try CertificateFactory.issue(
      .init(
        commonName: "Emulator Test Root", notBefore: start, notAfter: end, isCA: true, extendedKeyUsages: nil,
        keyUsage: [.keyCertSign, .cRLSign]),
      subjectKey: rootKey, issuer: nil)
    let intermediateKey = try PrivateKey.generate(.ecP256)
    let intermediate = try CertificateFactory.issue(
      .init(
        commonName: "Emulator Test Intermediate", notBefore: start, notAfter: end, isCA: true, pathLength: 0,
        extendedKeyUsages: nil, keyUsage: [.keyCertSign, .cRLSign]),
      subjectKey: intermediateKey, issuer: (root, rootKey))
    let leafKey = try PrivateKey.generate(.ecP256)
    let leaf = try CertificateFactory.issue(
      .init(commonName: domains.first ?? "example.test", dnsNames: domains, notBefore: start, notAfter: end),
      subjectKey: leafKey, issuer: (intermediate, intermediateKey))
    return (root.pem, intermediate.pem, leaf.pem, try leafKey.pkcs8PEM())
  }
}

/// A test setup failure with a message.
struct EmulatorTestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
