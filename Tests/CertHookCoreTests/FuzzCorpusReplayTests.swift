import CertHookCore
import Foundation
import XCTest

/// Replays every committed libFuzzer input of Fuzz/corpus/configuration (seeds, regression inputs and every
/// crasher ever found) through the configuration decoder, as the fuzz target does, so a fixed crash or leak
/// stays fixed.
final class FuzzCorpusReplayTests: XCTestCase {
  private static let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/corpus/configuration")

  func testEveryConfigurationCorpusInputDecodesOrThrowsANamedError() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
    XCTAssertGreaterThanOrEqual(names.filter { $0.hasPrefix("seed-") }.count, 5, "seed corpus missing")
    var decoded: [String] = []
    for name in names {
      let text = try Self.text(name)
      do {
        let (configuration, warnings) = try CertHookConfiguration.decode(yaml: text, source: name)
        _ = configuration.permissionWarning(path: name, mode: 0o644)
        for warning in warnings { assertNoSecret(warning, input: text, name: name) }
        assertNoSecret("\(configuration)", input: text, name: name)
        decoded.append(name)
      } catch let error as CertHookError {
        XCTAssertTrue("\(error)".hasPrefix("configuration: "), "\(name): \(error)")
        assertNoSecret("\(error)", input: text, name: name)
      } catch {
        XCTFail("\(name): decode threw \(type(of: error)), not CertHookError: \(error)")
      }
    }
    for valid in [
      "seed-minimal.yaml", "seed-full.yaml", "seed-anchors-and-unknown.yaml", "regression-secret-valid.yaml", "seed-notify.yaml",
    ] {
      XCTAssertTrue(decoded.contains(valid), "\(valid) no longer decodes")
    }
    XCTAssertFalse(decoded.contains("seed-invalid.yaml"))
  }

  /// The leak check finds the secret in the regression inputs (so it is not blind).
  func testSecretCandidatesAreFoundInTheRegressionInputs() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter {
      $0.hasPrefix("regression-secret-")
    }
    XCTAssertGreaterThanOrEqual(names.count, 6)
    for name in names {
      XCTAssertEqual(SecretCandidates.values(in: try Self.text(name)), ["SECRETplain51e0aa3fDONOTLEAK"], name)
    }
  }

  private static func text(_ name: String) throws -> String {
    String(decoding: try Data(contentsOf: corpus.appendingPathComponent(name)), as: UTF8.self)
  }

  private func assertNoSecret(_ message: String, input: String, name: String, line: UInt = #line) {
    for secret in SecretCandidates.values(in: input) {
      XCTAssertFalse(message.contains(secret), "\(name): the accessKeySecret value is in: \(message)", line: line)
    }
  }
}
