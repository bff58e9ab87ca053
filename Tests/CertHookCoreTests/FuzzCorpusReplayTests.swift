import CertHookCore
import Foundation
import XCTest

/// Replays every committed libFuzzer input of Fuzz/corpus/configuration (seeds and every crasher ever found)
/// through the configuration decoder, as the fuzz target does, so a fixed crash stays fixed.
final class FuzzCorpusReplayTests: XCTestCase {
  private static let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/corpus/configuration")

  func testEveryConfigurationCorpusInputDecodesOrThrowsANamedError() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
    XCTAssertGreaterThanOrEqual(names.filter { $0.hasPrefix("seed-") }.count, 5, "seed corpus missing")
    var decoded: [String] = []
    for name in names {
      let bytes = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
      let text = String(decoding: bytes, as: UTF8.self)
      do {
        let (configuration, _) = try CertHookConfiguration.decode(yaml: text, source: name)
        _ = configuration.permissionWarning(path: name, mode: 0o644)
        decoded.append(name)
      } catch let error as CertHookError {
        XCTAssertTrue("\(error)".hasPrefix("configuration: "), "\(name): \(error)")
      } catch {
        XCTFail("\(name): decode threw \(type(of: error)), not CertHookError: \(error)")
      }
    }
    for valid in ["seed-minimal.yaml", "seed-full.yaml", "seed-anchors-and-unknown.yaml"] {
      XCTAssertTrue(decoded.contains(valid), "\(valid) no longer decodes")
    }
    XCTAssertFalse(decoded.contains("seed-invalid.yaml"))
  }
}
