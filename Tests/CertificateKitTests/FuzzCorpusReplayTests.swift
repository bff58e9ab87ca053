import CertificateKit
import Foundation
import XCTest

/// Replays every committed libFuzzer input (Fuzz/corpus/certificate and Fuzz/corpus/private-key: seeds and
/// every crasher ever found) through the same calls as the fuzz targets, so a fixed crash stays fixed.
final class FuzzCorpusReplayTests: XCTestCase {
  private static let corpusRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/corpus")
  private let now = Date(timeIntervalSince1970: 1_800_000_000)

  private func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
    let directory = Self.corpusRoot.appendingPathComponent(target)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    return try names.map { name in
      (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
    }
  }

  /// The body of Fuzz/Targets/CertificateFuzzTarget.swift; returns the chain when the input parses.
  private func exerciseCertificates(_ bytes: [UInt8]) -> [Certificate]? {
    guard let chain = try? Certificate.parseAll(bytes, source: "fuzz-input") else { return nil }
    for certificate in chain {
      _ = certificate.subject.rfc4514
      _ = certificate.issuer.rfc4514
      _ = certificate.pem
      _ = certificate.isServerAuthUsable
      _ = certificate.isSelfIssued
      _ = certificate.daysRemaining(now: now)
      _ = certificate.covers(hostname: "www.example.com")
      _ = certificate.covers(hostname: "127.0.0.1")
      _ = "\(certificate.publicKey) \(certificate.serialNumber) \(certificate.dnsNames) \(certificate.ipAddresses)"
    }
    _ = CertificateChecker.check(chain: chain, key: nil, domains: ["example.com", "*.example.com"], now: now)
    return chain
  }

  func testEveryCertificateCorpusInputIsHandledWithoutCrashing() throws {
    let corpus = try inputs("certificate")
    XCTAssertGreaterThanOrEqual(corpus.filter { $0.name.hasPrefix("seed-") }.count, 8, "seed corpus missing")
    for (name, bytes) in corpus {
      let chain = exerciseCertificates(bytes)
      if name.hasPrefix("seed-") {
        // Seeds are valid files: they must keep parsing, or the fuzzer starts from nothing.
        XCTAssertNotNil(chain, "\(name) no longer parses")
      } else {
        // A crasher either parses or throws CertificateKitError: never anything else.
        do { _ = try Certificate.parseAll(bytes, source: name) } catch {
          XCTAssertTrue(error is CertificateKitError, "\(name): \(type(of: error))")
          XCTAssertTrue("\(error)".contains(name), "\(name): the error does not name the file: \(error)")
        }
      }
    }
    let twoDER = try XCTUnwrap(corpus.first { $0.name == "seed-two.der" })
    XCTAssertEqual(exerciseCertificates(twoDER.bytes)?.count, 2)
  }

  func testEveryPrivateKeyCorpusInputIsHandledWithoutCrashing() throws {
    let corpus = try inputs("private-key")
    XCTAssertGreaterThanOrEqual(corpus.filter { $0.name.hasPrefix("seed-") }.count, 7, "seed corpus missing")
    for (name, bytes) in corpus {
      do {
        let key = try PrivateKey(pem: bytes, source: name)
        XCTAssertTrue(key.description.hasSuffix("redacted)"), name)
        XCTAssertTrue(try key.pkcs8PEM().hasPrefix("-----BEGIN PRIVATE KEY-----"), name)
        XCTAssertFalse(name.hasPrefix("seed-encrypted"), "an encrypted key must not load without a password")
      } catch {
        XCTAssertTrue(error is CertificateKitError, "\(name): \(type(of: error))")
        let message = "\(error)"
        XCTAssertTrue(message.contains(name), "\(name): the error does not name the file: \(message)")
        XCTAssertFalse(message.contains("PRIVATE KEY-----\n"), "\(name): key text in the error")
        if name.hasPrefix("seed-") && !name.hasPrefix("seed-encrypted") {
          XCTFail("\(name) no longer loads: \(message)")
        }
      }
    }
  }
}
