import CertificateKit
import Foundation
import XCTest

final class ScanWalkerTests: XCTestCase {
  private var root = ""

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "scanwalker-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: root)
  }

  private func write(_ relative: String, _ text: String = "x") throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  private func link(_ relative: String, to destination: String) throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
  }

  private func relativePaths(_ targets: [ScanTarget]) -> [String] {
    targets.map { String($0.path.dropFirst(root.count + 1)) }
  }

  func testWalksRecursivelyInByteOrder() throws {
    try write("b/z.pem")
    try write("b/a.pem")
    try write("a.crt")
    try write("B.pem")
    try write("b/c/d/deep.pem")
    let result = ScanWalker().walk([root])
    XCTAssertEqual(relativePaths(result.targets), ["B.pem", "a.crt", "b/a.pem", "b/c/d/deep.pem", "b/z.pem"])
    XCTAssertTrue(result.failures.isEmpty)
    XCTAssertTrue(result.targets.allSatisfy { !$0.isExplicit && $0.dedupeGroup == nil })
  }

  func testGlobsMatchNamesOrWholePaths() throws {
    try write("x/site.pem")
    try write("x/site.key")
    try write("y/other.crt")
    try write("y/live/cert.pem")
    let byName = ScanWalker(includeGlobs: ["*.pem"]).walk([root])
    XCTAssertEqual(relativePaths(byName.targets), ["x/site.pem", "y/live/cert.pem"])
    let byPath = ScanWalker(includeGlobs: ["*/live/*", "*.crt"]).walk([root])
    XCTAssertEqual(relativePaths(byPath.targets), ["y/live/cert.pem", "y/other.crt"])
  }

  func testExplicitFilesIgnoreGlobsAndAreMarked() throws {
    try write("only.key")
    let result = ScanWalker(includeGlobs: ["*.pem"]).walk([root + "/only.key"])
    XCTAssertEqual(result.targets, [ScanTarget(path: root + "/only.key", isExplicit: true)])
  }

  func testMissingPathAndBrokenLinkAreFailures() throws {
    try link("dangling.pem", to: root + "/nowhere.pem")
    let result = ScanWalker().walk([root + "/missing", root])
    XCTAssertTrue(result.targets.isEmpty)
    XCTAssertEqual(
      result.failures,
      [
        ScanFailure(path: root + "/missing", message: "no such file or directory"),
        ScanFailure(path: root + "/dangling.pem", message: "broken symbolic link"),
      ])
  }

  func testSymlinkedFilesAreReadOnceAndDirectoriesOnlyWhenFollowing() throws {
    try write("real/cert.pem")
    try link("alias.pem", to: root + "/real/cert.pem")
    try write("elsewhere/inner.pem")
    try link("linked-dir", to: root + "/elsewhere")
    let plain = ScanWalker().walk([root + "/alias.pem", root + "/real"])
    XCTAssertEqual(relativePaths(plain.targets), ["alias.pem"], "the target is read once, under the first path")

    let inTree = ScanWalker().walk([root])
    XCTAssertEqual(relativePaths(inTree.targets), ["alias.pem", "elsewhere/inner.pem"])

    try FileManager.default.removeItem(atPath: root + "/elsewhere/inner.pem")
    try write("other/inner.pem")
    try FileManager.default.removeItem(atPath: root + "/linked-dir")
    try link("sub/linked-dir", to: root + "/other")
    let notFollowed = ScanWalker().walk([root + "/sub"])
    XCTAssertTrue(notFollowed.targets.isEmpty)
    let followed = ScanWalker(followSymbolicLinks: true).walk([root + "/sub"])
    XCTAssertEqual(relativePaths(followed.targets), ["sub/linked-dir/inner.pem"])
  }

  func testFileLinkLoopIsAFailure() throws {
    try link("a.pem", to: root + "/b.pem")
    try link("b.pem", to: root + "/a.pem")
    let result = ScanWalker().walk([root])
    XCTAssertTrue(result.targets.isEmpty)
    XCTAssertEqual(result.failures.map(\.message), ["symbolic link loop", "symbolic link loop"])
  }

  func testSymlinkLoopsEndWhenFollowing() throws {
    try write("a/cert.pem")
    try link("a/loop", to: root + "/a")
    try link("a/up", to: root)
    let result = ScanWalker(followSymbolicLinks: true).walk([root])
    XCTAssertEqual(relativePaths(result.targets), ["a/cert.pem"])
    XCTAssertTrue(result.failures.isEmpty)
  }

  func testHardLinksAreDistinctFiles() throws {
    try write("one.pem")
    try FileManager.default.linkItem(atPath: root + "/one.pem", toPath: root + "/two.pem")
    XCTAssertEqual(relativePaths(ScanWalker().walk([root]).targets), ["one.pem", "two.pem"])
  }

  func testCertbotConfigurationReportsLiveOnce() throws {
    for version in 1...2 {
      for name in ["cert", "chain", "fullchain", "privkey"] {
        try write("le/archive/example.com/\(name)\(version).pem")
      }
    }
    for name in ["cert", "chain", "fullchain", "privkey"] {
      try link("le/live/example.com/\(name).pem", to: "../../archive/example.com/\(name)2.pem")
    }
    try write("le/live/README")
    try write("le/renewal/example.com.conf")
    try FileManager.default.createDirectory(atPath: root + "/le/accounts", withIntermediateDirectories: true)

    let config = ScanWalker().walk([root + "/le"])
    XCTAssertEqual(
      relativePaths(config.targets),
      [
        "le/live/README", "le/live/example.com/cert.pem", "le/live/example.com/chain.pem",
        "le/live/example.com/fullchain.pem", "le/live/example.com/privkey.pem", "le/renewal/example.com.conf",
      ])
    let lineage = config.targets.filter { $0.path.contains("example.com/") }
    XCTAssertNotNil(lineage.first?.dedupeGroup)
    XCTAssertEqual(Set(lineage.map(\.dedupeGroup)).count, 1, "one lineage, one dedupe group")
    XCTAssertNil(config.targets.first?.dedupeGroup)

    let both = ScanWalker().walk([root + "/le/live", root + "/le/archive"])
    XCTAssertEqual(
      relativePaths(both.targets).filter { $0.contains("/cert") },
      ["le/live/example.com/cert.pem", "le/archive/example.com/cert1.pem"],
      "archive/cert2.pem is the live certificate, reported once under live/")
  }

  func testSpecialFilesAreSkipped() throws {
    try write("cert.pem")
    XCTAssertEqual(mkfifo(root + "/pipe", 0o600), 0)
    let result = ScanWalker().walk([root])
    XCTAssertEqual(relativePaths(result.targets), ["cert.pem"])
    let explicit = ScanWalker().walk([root + "/pipe"])
    XCTAssertEqual(explicit.failures, [ScanFailure(path: root + "/pipe", message: "not a regular file or directory")])
  }
}
