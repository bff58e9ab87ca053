import Foundation
import XCTest
import CertHookTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `certhook emulator` as a process: first line, signed requests, SIGTERM, state file, bad flags.
final class EmulatorCommandTests: XCTestCase {
  static func binary() throws -> URL {
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["CERTHOOK_TEST_BINARY"] {
      candidates.append(URL(fileURLWithPath: override))
    }
    for bundle in Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("certhook"))
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/certhook"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
      throw XCTSkip("the certhook binary was not built")
    }
    return found
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certhook-emucmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func launch(_ arguments: [String], output: URL) throws -> Process {
    let process = Process()
    process.executableURL = try Self.binary()
    process.arguments = arguments
    process.environment = ["PATH": "/usr/bin:/bin"]
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
  }

  func waitForLine(in file: URL, containing text: String, process: Process) async throws -> String {
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      let content = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
      if content.contains(text) { return content }
      guard process.isRunning else { throw HarnessFailure("the emulator exited: \(content)") }
      try await Task.sleep(for: .milliseconds(50))
    }
    process.terminate()
    XCTFail("no '\(text)' within 30 s")
    return ""
  }

  func testServesSignedRequestsPersistsAndStopsOnSIGTERM() async throws {
    let dir = try temporaryDirectory()
    let seed = dir.appendingPathComponent("seed.yaml")
    try """
    accessKeys:
      - {id: cli-key, secret: cli-secret}
    loadBalancers:
      - id: alb-cli
        listeners:
          - {id: lsr-cli-443, protocol: HTTPS, port: 443}
    """.write(to: seed, atomically: true, encoding: .utf8)
    let state = dir.appendingPathComponent("state.json")
    let output = dir.appendingPathComponent("out.txt")
    let process = try launch(
      [
        "emulator", "--listen", "127.0.0.1:0", "--seed", seed.path, "--state", state.path, "--job-delay", "50",
        "--latency", "1",
      ],
      output: output)
    let text = try await waitForLine(in: output, containing: "access key secret", process: process)
    let lines = text.split(separator: "\n").map(String.init)
    let first = try XCTUnwrap(lines.first)
    XCTAssertNotNil(first.range(of: #"^listening on http://127\.0\.0\.1:[0-9]+$"#, options: .regularExpression), first)
    XCTAssertTrue(lines.contains("access key id: cli-key"))
    let url = try XCTUnwrap(URL(string: String(first.dropFirst("listening on ".count))))
    let client = RawClient(base: url)
    let port = url.port ?? 0
    let headers = HandSigner.v3(
      .init(
        host: "127.0.0.1:\(port)", action: "ListListeners", version: "2020-06-16", accessKeyId: "cli-key",
        secret: "cli-secret", date: Date(), nonce: UUID().uuidString))
    let reply = try await client.send(headers: headers)
    XCTAssertEqual(reply.status, 200, reply.message)
    XCTAssertEqual(reply.array("Listeners").first?["ListenerId"] as? String, "lsr-cli-443")

    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    let final = String(decoding: try Data(contentsOf: output), as: UTF8.self)
    XCTAssertTrue(final.hasSuffix("stopped (SIGTERM)\n"), final)
    let attributes = try FileManager.default.attributesOfItem(atPath: state.path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
  }

  func testBadFlagsAreUsageErrors() throws {
    for arguments in [
      ["emulator", "--listen", "nonsense"], ["emulator", "--rate-limit", "fast"], ["emulator", "--faults", "boom=1"],
      ["emulator", "--latency", "-5"],
    ] {
      let dir = try temporaryDirectory()
      let output = dir.appendingPathComponent("out.txt")
      let process = try launch(arguments, output: output)
      process.waitUntilExit()
      XCTAssertEqual(process.terminationStatus, 64, "\(arguments)")
    }
  }
}

/// A harness step that failed: thrown so the test fails with the reason (never skipped).
struct HarnessFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
