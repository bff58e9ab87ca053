import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Seed files: YAML and JSON, relative paths, defaults, validation.
final class SeedTests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certhook-seed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testYAMLSeedWithRelativeCertificatePaths() async throws {
    let dir = try temporaryDirectory()
    let now = TestClock.reference
    let site = try Fixtures.issue(domains: ["www.example.test"], now: now)
    let preload = try Fixtures.issue(domains: ["api.example.test"], now: now)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("certs"), withIntermediateDirectories: true)
    try site.cert.write(to: dir.appendingPathComponent("certs/www.pem"), atomically: true, encoding: .utf8)
    try site.key.write(to: dir.appendingPathComponent("certs/www.key"), atomically: true, encoding: .utf8)
    try preload.cert.write(to: dir.appendingPathComponent("certs/api.pem"), atomically: true, encoding: .utf8)
    try preload.key.write(to: dir.appendingPathComponent("certs/api.key"), atomically: true, encoding: .utf8)
    let yaml = """
      region: cn-zhangjiakou
      accessKeys:
        - id: LTAIexample
          secret: example-secret
        - id: STS.example
          secret: sts-secret
          securityToken: sts-token
      loadBalancers:
        - id: alb-prod
          edition: Basic
          listeners:
            - id: lsr-prod-443
              protocol: HTTPS
              port: 443
              defaultCertificate: {cert: certs/www.pem, key: certs/www.key}
            - id: lsr-prod-80
              protocol: HTTP
              port: 80
        - id: alb-big
          edition: Standard
          certificateQuota: 100
          listeners:
            - {id: lsr-big-443, protocol: QUIC, port: 443}
      certificates:
        - {name: api-2026, cert: certs/api.pem, key: certs/api.key}
      """
    let path = dir.appendingPathComponent("seed.yaml").path
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    let seed = try EmulatorSeed.load(path: path)
    XCTAssertEqual(seed.region, "cn-zhangjiakou")
    XCTAssertEqual(seed.accessKeys.map { $0.id }, ["LTAIexample", "STS.example"])
    XCTAssertFalse("\(seed.accessKeys)".contains("example-secret"), "descriptions redact secrets")
    XCTAssertEqual(
      seed.loadBalancers.first?.listeners.first?.defaultCertificate?.cert,
      dir.appendingPathComponent("certs/www.pem").path)

    let server = try await EmulatorServer.start(EmulatorConfiguration(seed: seed, clock: { now }))
    addTeardownBlock { await server.stop() }
    let state = await server.state()
    XCTAssertEqual(state.loadBalancers.map { $0.certificateQuota }, [10, 100])
    let prod = try XCTUnwrap(state.listener("lsr-prod-443"))
    let www = try XCTUnwrap(state.certificates.first { $0.certIdentifier == prod.defaultCertificateId })
    XCTAssertEqual(www.commonName, "www.example.test")
    // Issue 9: the suffix is the CAS site's region (China site: cn-hangzhou), not the ALB region.
    XCTAssertTrue(www.certIdentifier.hasSuffix("-cn-hangzhou"))
    XCTAssertNil(state.listener("lsr-prod-80")?.defaultCertificateId)
    let quic = try XCTUnwrap(state.listener("lsr-big-443")?.defaultCertificateId)
    XCTAssertEqual(state.certificates.first { $0.certIdentifier == quic }?.generated, true)
    XCTAssertEqual(state.certificates.first { $0.name == "api-2026" }?.sans, ["api.example.test"])
  }

  func testJSONSeedAndDefaults() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("seed.json").path
    try #"{"loadBalancers": [{"id": "alb-1", "listeners": [{"id": "lsr-1", "protocol": "HTTPS", "port": 443}]}]}"#
      .write(toFile: path, atomically: true, encoding: .utf8)
    let seed = try EmulatorSeed.load(path: path)
    XCTAssertEqual(seed.region, "cn-hangzhou")
    XCTAssertEqual(seed.accessKeys, EmulatorSeed.defaultAccessKeys)
    XCTAssertEqual(seed.loadBalancers.first?.edition, .standard)
    XCTAssertEqual(EmulatorSeed.default.accessKeys.first?.secret, "testsecret")
  }

  func testInvalidSeedsNameTheField() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("bad.yaml").path
    try "loadBalancers:\n  - id: alb-1\n    listeners:\n      - {id: lsr-1, protocol: TCP, port: 1}\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try EmulatorSeed.load(path: path)) { error in
      XCTAssertTrue("\(error)".contains("loadBalancers[0].listeners[0].protocol"), "\(error)")
    }
    try "loadBalancers:\n  - edition: Basic\n".write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try EmulatorSeed.load(path: path)) { error in
      XCTAssertTrue("\(error)".contains("loadBalancers[0].id"), "\(error)")
    }
    XCTAssertThrowsError(try EmulatorSeed.load(path: dir.appendingPathComponent("missing.yaml").path))
  }

  func testBindFailureIsReported() async throws {
    let first = try await EmulatorServer.start(EmulatorConfiguration())
    addTeardownBlock { await first.stop() }
    do {
      let second = try await EmulatorServer.start(EmulatorConfiguration(port: first.port))
      await second.stop()
      XCTFail("binding the same port twice should fail")
    } catch {
      XCTAssertTrue("\(error)".contains("cannot listen"), "\(error)")
    }
  }
}
