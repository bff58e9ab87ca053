import CertHookTestSupport
import CertificateKit
import Foundation
import XCTest

/// Fixed reference time and certificate builders for CertificateKit tests.
extension Fixtures {
  /// 2027-01-15T08:00:00Z.
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let day: TimeInterval = 86_400

  /// Keys are slow to make (RSA); share one per kind across tests.
  static let rsaKey = try? PrivateKey.generate(.rsa(bits: 2048))
  static let ecKey = try? PrivateKey.generate(.ecP256)
  static let otherECKey = try? PrivateKey.generate(.ecP256)
  static let edKey = try? PrivateKey.generate(.ed25519)

  static func key(_ key: PrivateKey?) throws -> PrivateKey {
    try XCTUnwrap(key, "key generation failed")
  }

  /// A leaf request valid from 10 days ago for 90 days.
  static func leafRequest(_ name: String = "www.example.com", dnsNames: [String]? = nil) -> CertificateFactory.Request {
    CertificateFactory.Request(
      commonName: name, dnsNames: dnsNames ?? [name], notBefore: now - 10 * day, notAfter: now + 80 * day)
  }

  /// A CA request valid for 10 years around `now`.
  static func caRequest(_ name: String, pathLength: Int? = nil) -> CertificateFactory.Request {
    CertificateFactory.Request(
      commonName: name, notBefore: now - 365 * day, notAfter: now + 3650 * day, isCA: true, pathLength: pathLength,
      extendedKeyUsages: nil, organization: "Certhook Test CA")
  }

  /// root -> intermediate -> leaf, all EC; returns the certificates and keys.
  struct Chain {
    let root: Certificate
    let intermediate: Certificate
    let leaf: Certificate
    let leafKey: PrivateKey
  }

  static func chain(leaf request: CertificateFactory.Request = leafRequest()) throws -> Chain {
    let rootKey = try PrivateKey.generate(.ecP256)
    let intermediateKey = try PrivateKey.generate(.ecP256)
    let leafKey = try PrivateKey.generate(.ecP256)
    let root = try CertificateFactory.issue(caRequest("Test Root"), subjectKey: rootKey, issuer: nil)
    let intermediate = try CertificateFactory.issue(
      caRequest("Test Intermediate", pathLength: 0), subjectKey: intermediateKey, issuer: (root, rootKey))
    let leaf = try CertificateFactory.issue(request, subjectKey: leafKey, issuer: (intermediate, intermediateKey))
    return Chain(root: root, intermediate: intermediate, leaf: leaf, leafKey: leafKey)
  }
}

/// Runs the `openssl` command line tool (tests only).
enum OpenSSLTool {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Runs `openssl arguments...`, returns stdout; throws on a non-zero exit.
  @discardableResult
  static func run(_ arguments: [String], input: [UInt8]? = nil) throws -> String {
    String(decoding: try runBytes(arguments, input: input), as: UTF8.self)
  }

  static func runBytes(_ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input)) }
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "openssl \(arguments.joined(separator: " ")) failed: \(errorText)")
    }
    return Array(data)
  }
}
