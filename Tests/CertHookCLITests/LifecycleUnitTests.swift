import AlibabaCloud
import ArgumentParser
import CertHookCore
import Foundation
import XCTest

@testable import certhook

/// The CLI's lifecycle plumbing without a cloud: configuration discovery, state path, option precedence,
/// exit-code mapping, the hook deadline and the report text.
final class LifecycleUnitTests: XCTestCase {
  private var root = ""

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "lifecycle-unit-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: root)
  }

  private let minimal = """
    version: 1
    region: cn-hangzhou
    deployments:
      - name: example
        domains: [example.test, www.example.test]
        targets:
          - listener: lsr-h1-https
          - loadBalancer: alb-h2
    """

  private func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
    let path = root + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    return path
  }

  func testDiscoveryOrderFlagThenEnvironment() throws {
    let flag = try write("flag.yaml", minimal)
    let env = try write("env.yaml", minimal.replacingOccurrences(of: "cn-hangzhou", with: "cn-shanghai"))
    let fromFlag = try XCTUnwrap(
      try ConfigurationLoader.load(explicitPath: flag, environment: ["CERTHOOK_CONFIG": env], required: true))
    XCTAssertEqual(fromFlag.path, flag)
    XCTAssertEqual(fromFlag.configuration.region, "cn-hangzhou")
    let fromEnv = try XCTUnwrap(try ConfigurationLoader.load(explicitPath: nil, environment: ["CERTHOOK_CONFIG": env], required: true))
    XCTAssertEqual(fromEnv.configuration.region, "cn-shanghai")
    XCTAssertEqual(fromEnv.configuration.deployments.first?.targets, [.listener("lsr-h1-https"), .loadBalancer("alb-h2", protocols: nil, ports: nil)])
    XCTAssertFalse(fromEnv.setsStatePath)
    XCTAssertThrowsError(try ConfigurationLoader.load(explicitPath: root + "/missing.yaml", environment: [:], required: false)) {
      XCTAssertEqual(LifecycleExit.code(for: $0), 64)
      XCTAssertTrue("\($0)".contains(self.root + "/missing.yaml"))
    }
    XCTAssertThrowsError(try ConfigurationLoader.load(explicitPath: nil, environment: ["CERTHOOK_CONFIG": root + "/gone.yaml"], required: false))
  }

  func testWarningsForUnknownKeysAndReadableSecrets() throws {
    let secret = "unit-secret-value"
    let text = minimal + "\ncredentials: {accessKeyId: AK, accessKeySecret: \(secret)}\nstatePath: \(root)/s.json\nextra: 1\n"
    let open = try write("open.yaml", text, mode: 0o640)
    let loaded = try XCTUnwrap(try ConfigurationLoader.load(explicitPath: open, environment: [:], required: true))
    XCTAssertTrue(loaded.warnings.contains { $0.contains("unknown key extra") }, "\(loaded.warnings)")
    XCTAssertTrue(loaded.warnings.contains { $0.contains("chmod 600 \(open)") && $0.contains("mode 640") }, "\(loaded.warnings)")
    XCTAssertFalse(loaded.warnings.joined().contains(secret))
    XCTAssertTrue(loaded.setsStatePath)
    let closed = try write("closed.yaml", text, mode: 0o600)
    let quiet = try XCTUnwrap(try ConfigurationLoader.load(explicitPath: closed, environment: [:], required: true))
    XCTAssertFalse(quiet.warnings.contains { $0.contains("chmod") })
  }

  func testStatePathPrecedence() throws {
    XCTAssertEqual(try StatePathResolver.resolve(explicit: root + "/a/s.json", configured: root + "/b.json", homeDirectory: root), root + "/a/s.json")
    XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/a"), "the folder is created")
    XCTAssertEqual(try StatePathResolver.resolve(explicit: nil, configured: root + "/b.json", homeDirectory: root), root + "/b.json")
    // The system location is used when its folder can be created, and shared from then on.
    let system = root + "/var/lib/certhook/state.json"
    try FileManager.default.createDirectory(atPath: root + "/var/lib", withIntermediateDirectories: true)
    XCTAssertEqual(try StatePathResolver.resolve(explicit: nil, configured: nil, homeDirectory: root, systemPath: system), system)
    XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/var/lib/certhook"))
    XCTAssertEqual(try StatePathResolver.resolve(explicit: nil, configured: nil, homeDirectory: root, systemPath: system), system)
    // A system file that is not writable sends the cache to the home directory.
    try Data().write(to: URL(fileURLWithPath: system))
    try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: system)
    if !FileManager.default.isWritableFile(atPath: system) {  // root may write anyway
      XCTAssertEqual(
        try StatePathResolver.resolve(explicit: nil, configured: nil, homeDirectory: root, systemPath: system),
        root + "/.local/state/certhook/state.json")
    }
  }

  func testConfigurationFillsOnlyWhatFlagsAndCerthookVariablesLeaveOpen() throws {
    let (configuration, _) = try CertHookConfiguration.decode(
      yaml: minimal + "\nendpoints: {alb: 'http://127.0.0.1:1', cas: 'http://127.0.0.1:2'}\ncredentials: prof\n", source: "t")
    var flags = try CloudOptions.parse([])
    var request = SessionRequestBuilder.request(cloud: flags.choices, configuration: configuration, retries: nil)
    let none = SessionEnvironment([:])
    XCTAssertEqual(try request.region(environment: none, profileRegion: nil, everyEndpointOverridden: false), "cn-hangzhou")
    XCTAssertEqual(try request.endpointOverride(.alb, environment: none)?.absoluteString, "http://127.0.0.1:1")
    XCTAssertEqual(try request.endpointOverride(.cas, environment: none)?.absoluteString, "http://127.0.0.1:2")
    XCTAssertEqual(request.credentials, .profile("prof", origin: "credentials.profile"))
    let variable = SessionEnvironment(["CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9"])
    XCTAssertEqual(
      try request.endpointOverride(.alb, environment: variable)?.absoluteString, "http://127.0.0.1:9",
      "CERTHOOK_ALB_ENDPOINT beats the file (CloudSession reads it)")
    flags = try CloudOptions.parse(["--region", "cn-beijing", "--cas-endpoint", "http://127.0.0.1:3", "--profile", "cli"])
    request = SessionRequestBuilder.request(cloud: flags.choices, configuration: configuration, retries: nil)
    XCTAssertEqual(try request.region(environment: none, profileRegion: nil, everyEndpointOverridden: false), "cn-beijing")
    XCTAssertEqual(try request.endpointOverride(.cas, environment: none)?.absoluteString, "http://127.0.0.1:3")
    XCTAssertEqual(request.credentials, .profile("cli", origin: "--profile"))
  }

  func testEnvironmentCredentialsSetting() async throws {
    let settings = CredentialSettings(environment: true)
    let selection = SessionRequestBuilder.selection(cloud: try CloudOptions.parse([]).choices, settings: settings, path: nil)
    XCTAssertEqual(selection, .environment(origin: "credentials.environment"))
    func resolve(_ environment: [String: String]) async throws -> AccessCredentials? {
      let sources = CredentialSources(
        environment: SessionEnvironment(environment), homeDirectory: root, readFile: { _ in nil }, metadata: nil)
      let (providers, notFound) = sources.providers(for: selection)
      return try await CredentialChain(providers: providers, notFound: notFound).resolve().credentials
    }
    let credentials = try await resolve(["ALIBABA_CLOUD_ACCESS_KEY_ID": "AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "S"])
    XCTAssertEqual(credentials?.accessKeyId, "AK")
    do {
      _ = try await resolve(["ALIBABA_CLOUD_ACCESS_KEY_ID": "AK"])
      XCTFail("half-set variables must be an error")
    } catch {
      XCTAssertEqual(LifecycleExit.code(for: error), 64)
    }
    XCTAssertEqual(SessionRequestBuilder.selection(cloud: try CloudOptions.parse([]).choices, settings: CredentialSettings(), path: nil), .standard)
  }

  func testExitCodeMapping() {
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.refused(reasons: ["x"])), 2)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.certificate("x")), 2)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.noMatchingDeployment("x")), 3)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.configuration(path: "a", message: "b")), 64)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.hookDetection("x")), 64)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.invalidArgument("x")), 64)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.timeout("x")), 124)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.cloud(code: "Throttling", message: "x")), 1)
    XCTAssertEqual(LifecycleExit.code(for: CertHookError.state("x")), 1)
    XCTAssertEqual(LifecycleExit.code(for: AlibabaCloudError(kind: .credentials, message: "none")), 64)
    XCTAssertEqual(LifecycleExit.code(for: AlibabaCloudError(kind: .transport, message: "reset")), 1)
    var report = DeploymentReport(dryRun: false, listeners: [.init(listenerId: "l", loadBalancerId: nil, deployment: nil, outcome: .updated)])
    XCTAssertEqual(LifecycleExit.code(for: report), 0)
    report.listeners.append(.init(listenerId: "m", loadBalancerId: nil, deployment: nil, outcome: .failed, error: "boom"))
    XCTAssertEqual(LifecycleExit.code(for: report), 1)
  }

  func testDeadlineReturnsTheValueOrTimesOutWithoutWaitingForTheOperation() async throws {
    let value = try await Deadline.run(seconds: 5, what: "hook") { 42 }
    XCTAssertEqual(value, 42)
    let clock = ContinuousClock()
    let start = clock.now
    do {
      _ = try await Deadline.run(seconds: 0.05, grace: 0.05, what: "hook") { () async throws -> Int in
        // Ignores cancellation on purpose: the deadline must not wait for it.
        let end = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
        return 1
      }
      XCTFail("expected a timeout")
    } catch let error as CertHookError {
      XCTAssertEqual(LifecycleExit.code(for: error), 124)
    }
    XCTAssertLessThan(start.duration(to: clock.now), .seconds(1))
    do {
      _ = try await Deadline.run(seconds: 5, what: "hook") { () async throws -> Int in throw CertHookError.refused(reasons: ["r"]) }
      XCTFail("expected the operation's error")
    } catch let error as CertHookError {
      XCTAssertEqual(error, .refused(reasons: ["r"]))
    }
  }

  func testReportTextIsGroupedPerDeploymentAndLoadBalancerWithNotesOnceAndCounts() {
    // Issue 10: the per-listener report became a plan grouped per deployment and load balancer.
    let certificate = MappedCertificate(
      identifier: "12-cn-hangzhou", certId: 12, name: "certhook-example", sha256: nil, commonName: "example.test",
      dnsNames: ["example.test"], notBefore: nil, notAfter: Date(timeIntervalSince1970: 1_800_000_000))
    let retire = "retire 9-cn-hangzhou: every SAN (example.test) is covered by the new certificate, which expires later"
    let plan = DeploymentPlan(
      deployment: "web", certificate: certificate, mode: .additional, replace: .covered,
      listeners: [
        .init(listenerId: "lsr-a", loadBalancerId: "alb-1", listenerProtocol: "HTTPS", port: 443),
        .init(listenerId: "lsr-b", loadBalancerId: "alb-1", listenerProtocol: "HTTPS", port: 8443),
        .init(listenerId: "lsr-c", loadBalancerId: "alb-2", listenerProtocol: "QUIC", port: 443),
      ], loadBalancers: [])
    let both: [PlannedAction] = [
      .init(kind: .associate, certificateIds: ["12-cn-hangzhou"], reason: "new"),
      .init(kind: .dissociate, certificateIds: ["9-cn-hangzhou"], reason: "covered"),
    ]
    let report = DeploymentReport(
      dryRun: false, certificates: [certificate],
      listeners: [
        .init(listenerId: "lsr-a", loadBalancerId: "alb-1", deployment: "web", outcome: .updated, actions: both, notes: [retire]),
        .init(listenerId: "lsr-b", loadBalancerId: "alb-1", deployment: "web", outcome: .failed, error: "quota full"),
        .init(listenerId: "lsr-c", loadBalancerId: "alb-2", deployment: "web", outcome: .updated, actions: both, notes: [retire]),
      ])
    let plain = TerminalStyle(isTerminal: false, environment: [:])
    XCTAssertEqual(
      PlanText.render(report, plans: [plan], style: plain),
      """
      deployment web: certificate 12-cn-hangzhou (certhook-example) for example.test expires 2027-01-15T08:00:00Z
        load balancer alb-1
          lsr-a     HTTPS:443   updated    associate 12-cn-hangzhou; dissociate 9-cn-hangzhou
          lsr-b     HTTPS:8443  failed     -
            error: quota full
        load balancer alb-2
          lsr-c     QUIC:443    updated    associate 12-cn-hangzhou; dissociate 9-cn-hangzhou
      notes:
        \(retire) (lsr-a, lsr-c)
      Applied: 0 upload, 2 associate, 2 dissociate, 0 unchanged, 1 failed
      summary: 3 listeners: 2 updated, 1 failed

      """)
    let coloured = PlanText.render(report, plans: [plan], style: TerminalStyle(isTerminal: true, environment: [:]))
    XCTAssertTrue(coloured.contains("\u{1B}[31m    lsr-b "), "the failed row is red on a terminal:\n\(coloured)")
    XCTAssertFalse(coloured.contains("\u{1B}[31m    lsr-a "), coloured)

    var dry = report
    dry.dryRun = true
    dry.listeners = dry.listeners.filter { $0.outcome != .failed }.map {
      var l = $0
      l.outcome = .planned
      return l
    }
    dry.certificates[0].pendingUpload = true
    let planned = PlanText.render(dry, plans: [plan], style: plain)
    XCTAssertTrue(planned.hasPrefix("dry run: nothing was changed; API prechecks only\n"), planned)
    XCTAssertTrue(planned.contains("  API prechecks passed on 2 listeners\n"), planned)
    XCTAssertTrue(planned.hasSuffix("Plan: 1 upload, 2 associate, 2 dissociate, 0 unchanged\nsummary: 2 listeners: 2 planned\n"), planned)
    XCTAssertTrue(ActionCounts(dry).pending)
    XCTAssertEqual(PlanText.listing(["a", "b", "c", "d", "e"]), "a, b, c and 2 more")
  }
}
