import CertHookCore
import Foundation
import XCTest

/// The `--metrics-file` textfile: valid exposition format (HELP/TYPE once per family, labels escaped), last
/// success surviving a failed run, counters adding up across runs, and atomic replacement.
final class MetricsTextfileTests: XCTestCase {
  private let t0 = Date(timeIntervalSince1970: 1_796_000_000)

  private func run(
    at date: Date, _ deployments: [RunMetrics.DeploymentRun], api: [String: [String: Int]] = [:], retries: [String: Int] = [:],
    command: String = "sync"
  ) -> RunMetrics {
    RunMetrics(
      command: command, finishedAt: date, durationSeconds: 2.5, deployments: deployments, apiRequests: api,
      retries: retries)
  }

  private func value(_ doc: ExpositionFormat.Document, _ name: String, _ labels: [String: String]) -> Double? {
    doc.samples.first { s in s.name == name && labels.allSatisfy { s.label($0.key) == $0.value } }?.value
  }

  func testEveryLineIsValidAndEachFamilyIsDeclaredOnceWithEscapedLabels() throws {
    let odd = "we\"ird\\name\nx"
    let text = MetricsTextfile.render(
      run(
        at: t0, [.init(name: "www", succeeded: true, listeners: [.updated: 2, .unchanged: 1]), .init(name: odd, succeeded: false, listeners: [.failed: 1])],
        api: ["ListListeners": ["OK": 3], "AssociateAdditionalCertificatesWithListener": ["OK": 2, "Throttling.User": 1]],
        retries: ["AssociateAdditionalCertificatesWithListener": 1]),
      previous: nil)
    let doc = try ExpositionFormat.parse(text)
    XCTAssertEqual(doc.families.map(\.name), MetricsTextfile.families.map(\.name).filter {
      $0 != "certhook_certificate_expiry_timestamp_seconds" && !$0.hasPrefix("certhook_account_")  // audit / accounts: only
    })
    for family in doc.families {
      XCTAssertEqual(text.components(separatedBy: "# TYPE \(family.name) ").count, 2, "one TYPE for \(family.name)")
      XCTAssertEqual(text.components(separatedBy: "# HELP \(family.name) ").count, 2, "one HELP for \(family.name)")
      XCTAssertFalse(family.help.isEmpty)
      XCTAssertTrue(family.name.hasPrefix("certhook_"))
      XCTAssertEqual(family.type == "counter", family.name.hasSuffix("_total"))
    }
    XCTAssertTrue(text.contains(#"deployment="we\"ird\\name\nx""#), text)
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": odd, "outcome": "failed"]), 1, "escaping round-trips")
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": "www", "outcome": "updated"]), 2)
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": "www", "outcome": "failed"]), 0)
    XCTAssertEqual(value(doc, "certhook_last_run_timestamp_seconds", ["deployment": "www"]), 1_796_000_000)
    XCTAssertEqual(value(doc, "certhook_last_success_timestamp_seconds", ["deployment": "www"]), 1_796_000_000)
    XCTAssertNil(value(doc, "certhook_last_success_timestamp_seconds", ["deployment": odd]), "never succeeded")
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["deployment": odd]), 0)
    XCTAssertEqual(
      value(doc, "certhook_api_requests_total", ["action": "AssociateAdditionalCertificatesWithListener", "code": "Throttling.User"]), 1)
    XCTAssertEqual(value(doc, "certhook_api_retries_total", ["action": "AssociateAdditionalCertificatesWithListener"]), 1)
    XCTAssertEqual(value(doc, "certhook_run_duration_seconds", ["command": "sync"]), 2.5)
    XCTAssertTrue(doc.samples.allSatisfy { $0.label("command") == "sync" })
  }

  func testTheParserRejectsBrokenLines() {
    for bad in ["certhook_x{a=\"1} 2", "certhook_x{a=\"1\"}", "9bad 1", "# TYPE a gauge\n# TYPE a gauge", "x{a=\"\\q\"} 1"] {
      XCTAssertThrowsError(try ExpositionFormat.parse(bad), bad)
    }
  }

  func testLastSuccessSurvivesAFailedRunAndCountersAddUp() throws {
    let first = MetricsTextfile.render(
      run(at: t0, [.init(name: "www", succeeded: true, listeners: [.updated: 1]), .init(name: "api", succeeded: true)],
          api: ["ListListeners": ["OK": 2]]),
      previous: nil)
    let audit = MetricsTextfile.render(run(at: t0, [.init(name: "", succeeded: true)], command: "audit"), previous: first)
    let later = t0.addingTimeInterval(3600)
    let second = MetricsTextfile.render(
      run(at: later, [.init(name: "www", succeeded: false, listeners: [.failed: 1])],
          api: ["ListListeners": ["OK": 1, "ServiceUnavailable": 1]]),
      previous: audit)
    let doc = try ExpositionFormat.parse(second)
    XCTAssertEqual(value(doc, "certhook_last_run_timestamp_seconds", ["deployment": "www"]), later.timeIntervalSince1970)
    XCTAssertEqual(value(doc, "certhook_last_success_timestamp_seconds", ["deployment": "www"]), t0.timeIntervalSince1970,
      "a failed run keeps the previous success")
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["deployment": "www"]), 0)
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": "www", "outcome": "updated"]), 0)
    XCTAssertEqual(value(doc, "certhook_last_success_timestamp_seconds", ["deployment": "api"]), t0.timeIntervalSince1970,
      "a deployment this run did not cover keeps its series")
    XCTAssertEqual(value(doc, "certhook_api_requests_total", ["action": "ListListeners", "code": "OK"]), 3, "2 + 1")
    XCTAssertEqual(value(doc, "certhook_api_requests_total", ["action": "ListListeners", "code": "ServiceUnavailable"]), 1)
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["command": "audit", "deployment": ""]), 1, "another command's series stay")
  }

  func testAuditExpiriesArePerListenerAndDomain() throws {
    let notAfter = t0.addingTimeInterval(20 * 86_400)
    var audit = run(at: t0, [.init(name: "", succeeded: true)], command: "audit")
    audit.expiries = [
      .init(loadBalancer: "alb-1", listener: "lsr-1", certificate: "www-2026", domain: "www.example.test", notAfter: notAfter),
      .init(loadBalancer: "alb-1", listener: "lsr-1", certificate: "www-2026", domain: "example.test", notAfter: notAfter),
    ]
    let doc = try ExpositionFormat.parse(MetricsTextfile.render(audit, previous: nil))
    let series = doc.samples.filter { $0.name == "certhook_certificate_expiry_timestamp_seconds" }
    XCTAssertEqual(series.compactMap { $0.label("domain") }.sorted(), ["example.test", "www.example.test"])
    XCTAssertEqual(Set(series.map(\.value)), [notAfter.timeIntervalSince1970])
    XCTAssertEqual(
      series.first?.labels.map(\.0), ["command", "product", "load_balancer", "listener", "certificate", "domain"])
    XCTAssertEqual(series.first?.label("product"), "alb")
    XCTAssertFalse(doc.samples.contains { $0.name == "certhook_listeners" }, "an audit counts no listener outcomes")
  }

  func testTheFileIsReplacedAtomicallyAndAFailedWriteLeavesTheOldFile() throws {
    let dir = NSTemporaryDirectory() + "metrics-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/certhook.prom"
    try MetricsFile.write(run(at: t0, [.init(name: "www", succeeded: true)]), to: path)
    let firstText = try String(contentsOfFile: path, encoding: .utf8)
    XCTAssertNoThrow(try ExpositionFormat.parse(firstText))
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644)
    // A reader holding the old file keeps reading the whole old file: the new one arrives by rename.
    let reader = try XCTUnwrap(FileHandle(forReadingAtPath: path))
    try MetricsFile.write(run(at: t0.addingTimeInterval(60), [.init(name: "www", succeeded: true)]), to: path)
    XCTAssertEqual(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self), firstText)
    try reader.close()
    let secondText = try String(contentsOfFile: path, encoding: .utf8)
    XCTAssertNotEqual(secondText, firstText)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["certhook.prom"], "no temp file left")
    // Make the temp name unusable (a directory): the write fails and the old file stays as it was.
    let temp = dir + "/.certhook.prom.\(ProcessInfo.processInfo.processIdentifier).tmp"
    try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: false)
    XCTAssertThrowsError(try MetricsFile.write(run(at: t0.addingTimeInterval(120), [.init(name: "www", succeeded: false)]), to: path)) {
      XCTAssertTrue("\($0)".contains("--metrics-file: cannot create"), "\($0)")
    }
    XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), secondText)
    XCTAssertThrowsError(try MetricsFile.write(run(at: t0, []), to: dir + "/missing-dir/x.prom"))
  }
}
