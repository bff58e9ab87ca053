import CertHookCore
import XCTest

/// Issue 15: `credentials.assumeRole` decodes with its defaults, and mistakes name the key path.
final class AssumeRoleConfigurationTests: XCTestCase {
  private func decode(_ credentials: String) throws -> CertHookConfiguration {
    try CertHookConfiguration.decode(
      yaml: "version: 1\ncredentials:\n\(credentials)\n"
        + "deployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-1]\n",
      source: "c.yaml"
    ).0
  }

  func testAssumeRoleOnTopOfAProfileDecodes() throws {
    let config = try decode(
      """
        profile: base
        assumeRole:
          roleArn: acs:ram::1234567890123456:role/certhook
          sessionName: nightly
          durationSeconds: 1800
          externalId: ext-1
          policy: '{"Version": "1", "Statement": []}'
      """)
    XCTAssertEqual(config.credentials.profile, "base")
    XCTAssertEqual(
      config.credentials.assumeRole,
      AssumeRoleSettings(
        roleArn: "acs:ram::1234567890123456:role/certhook", sessionName: "nightly", durationSeconds: 1800,
        policy: #"{"Version": "1", "Statement": []}"#, externalId: "ext-1"))
    let bare = try decode("  assumeRole: {roleArn: 'acs:ram::1:role/r'}")
    XCTAssertNil(bare.credentials.profile)
    XCTAssertNil(bare.credentials.assumeRole?.durationSeconds)
  }

  func testMistakesNameTheKeyPath() {
    let cases = [
      ("  assumeRole: {sessionName: x}", "credentials.assumeRole.roleArn"),
      ("  assumeRole: {roleArn: 'arn:aws:iam::1:role/r'}", "credentials.assumeRole.roleArn"),
      ("  assumeRole: {roleArn: 'acs:ram::1:role/r', durationSeconds: 600}", "credentials.assumeRole.durationSeconds"),
      ("  assumeRole: {roleArn: 'acs:ram::1:role/r', durationSeconds: 50000}", "credentials.assumeRole.durationSeconds"),
      ("  assumeRole: acs:ram::1:role/r", "credentials.assumeRole"),
    ]
    for (yaml, path) in cases {
      XCTAssertThrowsError(try decode(yaml), yaml) { XCTAssertTrue("\($0)".contains(path), "\($0)") }
    }
  }
}
