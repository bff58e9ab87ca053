import AlibabaCloud
import CertHookCore
import Foundation
import XCTest

@testable import certhook

#if canImport(Glibc)
  import Glibc
#endif

/// The cloud session through the built binary: `listeners --config`, fail-fast on a refused connection, exit 64
/// for configuration mistakes, numeric inputs that used to trap, and escaping of text from the network.
final class SessionCLITests: XCTestCase {
  /// The world's environment without the endpoint variables (so only `--config` can name them).
  private func bare(_ world: LifecycleWorld) -> [String: String] {
    ["CERTHOOK_ALB_ENDPOINT": "", "CERTHOOK_CAS_ENDPOINT": ""]
  }

  func testListenersTakesConfigAndHonoursItsRegionAndEndpoints() async throws {
    let world = try await LifecycleWorld.start()
    let endpoint = world.server.endpoint.absoluteString
    let config = try world.config(
      "version: 1\nregion: cn-hangzhou\nendpoints: {alb: '\(endpoint)', cas: '\(endpoint)'}\n"
        + "deployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n")
    let result = try await world.run(["listeners", "--config", config, "--json"], extra: bare(world), state: false)
    await world.stop()
    XCTAssertEqual(result.status, 0, result.all)
    XCTAssertTrue(result.stdout.contains("lsr-h2-8443"), result.all)
  }

  func testRefusedConnectionFailsAtOnceNamingHostAndPort() async throws {
    let world = try await LifecycleWorld.start()
    let port = try closedPort()
    let endpoint = "http://127.0.0.1:\(port)"
    let listeners = try await world.run(
      ["listeners"], extra: ["CERTHOOK_ALB_ENDPOINT": endpoint, "CERTHOOK_CAS_ENDPOINT": endpoint], state: false)
    let lineage = try world.lineage("refused", ["example.test"], days: 60)
    let config = try world.config(
      "version: 1\nregion: cn-hangzhou\ndeployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n")
    let sync = try await world.run(
      ["upload", "--config", config, lineage.cert, "--key", lineage.key],
      extra: ["CERTHOOK_ALB_ENDPOINT": endpoint, "CERTHOOK_CAS_ENDPOINT": endpoint])
    await world.stop()
    let expected = "cannot connect to 127.0.0.1:\(port) (connection refused): is the emulator running?"
    XCTAssertEqual(listeners.status, 1, listeners.all)
    XCTAssertTrue(listeners.stderr.contains(expected), listeners.all)
    XCTAssertFalse(listeners.stderr.contains("reset"), listeners.all)
    XCTAssertNotEqual(sync.status, 0, sync.all)
    XCTAssertTrue(sync.stderr.contains(expected), sync.all)
  }

  func testConfigurationMistakesExit64WithoutATrap() async throws {
    let world = try await LifecycleWorld.start()
    let endpoint = world.server.endpoint.absoluteString
    var results: [(String, LifecycleWorld.Result, String)] = []
    results.append(("plain http to a public host", try await world.run(
      ["listeners", "--alb-endpoint", "http://192.0.2.1"], state: false), "--alb-endpoint"))
    results.append(("port above 65535", try await world.run(
      ["listeners", "--region", "cn-hangzhou"], extra: ["CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:70000"], state: false),
      "CERTHOOK_ALB_ENDPOINT"))
    results.append(("no region", try await world.run(
      ["listeners"], extra: ["CERTHOOK_CAS_ENDPOINT": ""], state: false), "no region"))
    let badPort = try world.config(
      "version: 1\nregion: cn-hangzhou\nendpoints: {alb: 'http://127.0.0.1:65536', cas: '\(endpoint)'}\n"
        + "deployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n", name: "port.yaml")
    results.append(("config port above 65535", try await world.run(["sync", "--config", badPort]), "endpoints.alb"))
    for (value, key) in [("1e300", "writesPerSecond"), ("1e-300", "writesPerSecond"), ("inf", "writesPerSecond")] {
      let path = try world.config(
        "version: 1\nrateLimits: {\(key): \(value)}\ndeployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n",
        name: "rate-\(value).yaml")
      results.append(("writesPerSecond \(value)", try await world.run(["sync", "--config", path]), "rateLimits.writesPerSecond"))
    }
    for (key, value) in [("request", "1e12"), ("request", "inf"), ("hook", "1e300"), ("job", "1e300")] {
      let path = try world.config(
        "version: 1\ntimeouts: {\(key): \(value)}\ndeployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n",
        name: "timeout-\(key)-\(value).yaml")
      results.append(("timeouts.\(key) \(value)", try await world.run(["sync", "--config", path]), "timeouts.\(key)"))
    }
    let lineage = try world.lineage("t", ["example.test"], days: 60)
    let hookConfig = try world.config(
      "version: 1\nregion: cn-hangzhou\ndeployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n",
      name: "hook.yaml")
    for value in ["1e300", "inf"] {
      results.append(("deploy-hook --timeout \(value)", try await world.run(
        ["deploy-hook", "--config", hookConfig, "--timeout", value, "--cert", lineage.cert, "--key", lineage.key]),
        "--timeout"))
    }
    await world.stop()
    for (name, result, key) in results {
      XCTAssertEqual(result.status, 64, "\(name): \(result.all)")
      XCTAssertTrue(result.stderr.contains(key), "\(name) must name \(key): \(result.all)")
    }
  }

  func testListenerTableEscapesControlCharactersFromTheNetwork() {
    let listener = Listener(
      id: "lsr-\u{1b}[2J", loadBalancerId: "alb-1\r", protocol: "HTTPS", port: 443, status: "Running",
      description: "evil\u{1b}]0;owned\u{7}")
    let certificate = ListenerCertificate(certificateId: "1-cn\u{1b}[31m", type: "Server", isDefault: true, status: .associated)
    let table = ListenerTable.renderTable([ListenerRow(listener: listener, certificates: [certificate])])
    XCTAssertFalse(table.contains("\u{1b}") || table.contains("\r") || table.contains("\u{7}"), table.debugDescription)
    XCTAssertTrue(table.contains("lsr-\\u{1b}[2J"), table)
    XCTAssertEqual(Diagnostics.rendered("bad \u{1b}[31m\rthing"), "bad \\u{1b}[31m thing")
  }

  func testRetryLineIsOneLineWithTheCount() {
    let line = RetryLine.line(RetryNotice(action: "ListListeners", retry: 2, maxRetries: 7, reason: "Throttling", delay: .milliseconds(400)).text)
    XCTAssertTrue(line.hasSuffix("retrying (2/7): ListListeners after Throttling, in 0.4 s\n"), line)
  }

  private func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
