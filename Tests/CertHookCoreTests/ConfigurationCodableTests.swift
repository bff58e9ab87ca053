import CertHookCore
import Foundation
import XCTest
import Yams

/// The configuration model decodes through Yams' `YAMLDecoder` itself (its `Decodable` inits), with the same
/// key-path errors and warnings as `CertHookConfiguration.decode(yaml:source:)`.
final class ConfigurationCodableTests: XCTestCase {
  let yaml = """
    version: 1
    region: cn-hangzhou
    deployments:
      - name: a
        domains: [a.test]
        targets:
          - listener: lsr-1
          - {loadBalancerId: alb-2, protocols: [quic], ports: 443, region: cn-shanghai}
          - alb-3
    """

  /// `YAMLDecoder` over the composed tree (its `String` entry point wraps every error in `dataCorrupted`).
  func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try YAMLDecoder().decode(type, from: try XCTUnwrap(Yams.compose(yaml: text)))
  }

  func testYAMLDecoderReadsTheFileAsTheLoaderDoes() throws {
    let decoded = try decode(CertHookConfiguration.self, yaml)
    let (loaded, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(warnings, [])
    XCTAssertEqual(decoded, loaded)
    XCTAssertEqual(
      decoded.deployments[0].targets,
      [.listener("lsr-1"), .loadBalancer("alb-2", protocols: ["QUIC"], ports: [443]), .loadBalancer("alb-3", protocols: nil, ports: nil)])
    XCTAssertEqual(decoded.deployments[0].placements.map(\.region), [nil, "cn-shanghai", nil])
  }

  func testOneTargetDecodesOnItsOwnWithOneKeyPerKind() throws {
    XCTAssertEqual(try decode(DeploymentTarget.self, "listener: lsr-9"), .listener("lsr-9"))
    XCTAssertEqual(
      try decode(DeploymentTarget.self, "{loadBalancer: alb-9, ports: [1, 2]}"),
      .loadBalancer("alb-9", protocols: nil, ports: [1, 2]))
    XCTAssertThrowsError(try decode(DeploymentTarget.self, "{weight: 3}")) { error in
      XCTAssertEqual(
        "\(error)", "\(CertHookError.configuration(path: "", message: "names no target; write `listener: ID` or `loadBalancer: ID` (or nlbListener, nlbLoadBalancer, gaListener, gaAccelerator, clbListener, clbLoadBalancer)"))")
    }
  }

  func testErrorsFromYAMLDecoderRenderTheCodingPath() {
    let bad = yaml.replacingOccurrences(of: "- listener: lsr-1", with: "- listener: [lsr-1]")
    XCTAssertThrowsError(try decode(CertHookConfiguration.self, bad)) { error in
      guard case .configuration(let path, let message)? = error as? CertHookError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "deployments[0].targets[0].listener")
      XCTAssertEqual(message, "must be a string (line 7)")
    }
  }

  func testMergedKeysLoseToExplicitOnesAndBadMergesAreNamed() throws {
    let merged = """
      version: 1
      deployments:
        - &base {name: a, domains: [a.test], targets: [lsr-1], mode: default}
        - <<: [{mode: additional, name: x}, *base]
          name: b
      """
    let (configuration, _) = try CertHookConfiguration.decode(yaml: merged, source: "c.yaml")
    XCTAssertEqual(configuration.deployments.map(\.name), ["a", "b"])
    XCTAssertEqual(configuration.deployments[1].mode, .additional, "the first merged mapping wins over later ones")
    let scalar = "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [lsr-1]\n    <<: 5\n"
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: scalar, source: "c.yaml")) { error in
      XCTAssertEqual("\(error)", "\(CertHookError.configuration(path: "deployments[0]", message: "`<<` must merge a mapping (line 6)"))")
    }
    // `quotas:` takes any load balancer ID as a key, and merges like every other mapping.
    let quotas = "version: 1\nq: &q {alb-2: 4}\nquotas:\n  <<: *q\n  alb-1: 3\ndeployments: []\n"
    XCTAssertEqual(try CertHookConfiguration.decode(yaml: quotas, source: "c.yaml").0.quotas, ["alb-1": 3, "alb-2": 4])
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: "version: 1\nquotas: {<<: 5}\ndeployments: []\n", source: "c.yaml")) {
      XCTAssertEqual("\($0)", "\(CertHookError.configuration(path: "quotas", message: "`<<` must merge a mapping (line 2)"))")
    }
  }
}
