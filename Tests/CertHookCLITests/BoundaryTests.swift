import Foundation
import XCTest

/// The `certhook` target builds no cloud session: it imports `AlibabaCloud` only where errors are rendered.
final class BoundaryTests: XCTestCase {
  func testOnlyErrorRenderingImportsAlibabaCloud() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/certhook")
    let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    var importing: [String] = []
    for case let file as URL in files where file.pathExtension == "swift" {
      let text = try String(contentsOf: file, encoding: .utf8)
      if text.split(separator: "\n").contains(where: { $0.hasPrefix("import AlibabaCloud") }) {
        importing.append(file.path.replacingOccurrences(of: sources.path + "/", with: ""))
      }
    }
    XCTAssertEqual(importing.sorted(), ["Lifecycle/Diagnostics.swift", "Lifecycle/LifecycleExit.swift"])
  }
}
