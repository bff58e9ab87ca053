import XCTest

/// `certhook demo` is the README's main job: it must run end to end and pass its own checks.
final class DemoCLITests: XCTestCase {
  func testDemoDeploysRenewsAndRetiresWithoutCoverageGap() throws {
    let result = try ScanCLIHarness.run(["demo", "--job-delay", "20"])
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("Checks passed"), result.stdout)
    XCTAssertTrue(result.stdout.contains("API writes during the second run: 0"), result.stdout)
    XCTAssertTrue(result.stdout.contains("dissociate"), "the renewal must retire the previous certificate")
    XCTAssertFalse(result.stdout.contains("demo-secret-not-real") || result.stderr.contains("demo-secret-not-real"))
    XCTAssertFalse(result.stdout.contains("PRIVATE KEY"))
  }

  func testDemoRejectsAnAbsurdJobDelay() throws {
    let result = try ScanCLIHarness.run(["demo", "--job-delay", "-5"])
    XCTAssertEqual(result.status, 64, result.stderr)
  }
}
