import CertificateKit
import CloudEmulator
import Foundation

/// What `certhook demo` verifies at the end, from the emulator's state and event log alone.
struct DemoChecks {
  let state: EmulatorState
  let events: [EmulatorEvent]
  let targets: [String]
  let domains: [String]
  /// SHA-256 (uppercase hex) of the renewed, the previous and the unrelated leaf.
  let current: String
  let previous: String
  let unrelated: String

  private func identifiers(_ sha256: String) -> [String] {
    state.certificates.filter { $0.sha2.uppercased() == sha256 }.map(\.certIdentifier)
  }

  /// Every broken promise, one line each; empty when all hold.
  func problems() -> [String] {
    var found: [String] = []
    for (label, sha) in [("renewed", current), ("previous", previous), ("unrelated", unrelated)] {
      let copies = identifiers(sha).count
      if copies != 1 { found.append("CAS holds \(copies) copies of the \(label) certificate, expected 1") }
    }
    let currentIds = Set(identifiers(current)), previousIds = Set(identifiers(previous))
    for id in targets {
      guard let listener = state.listener(id) else {
        found.append("\(id) is missing")
        continue
      }
      let serving = listener.certificates.filter { $0.status == "Associated" }.map(\.certificateId)
      if !serving.contains(where: currentIds.contains) { found.append("\(id) does not serve the renewed certificate") }
      if listener.certificates.contains(where: { previousIds.contains($0.certificateId) }) {
        found.append("\(id) still has the previous certificate")
      }
    }
    let unrelatedIds = Set(identifiers(unrelated))
    if state.listener("lsr-demo-1-https")?.certificates.contains(where: { unrelatedIds.contains($0.certificateId) }) != true {
      found.append("the unrelated certificate was removed from lsr-demo-1-https")
    }
    return found + coverageGaps()
  }

  /// Replays the event log per listener: once a domain was covered by a valid serving certificate, it must stay
  /// covered at every later event (an additional certificate serves from `associated` until `dissociating`).
  func coverageGaps() -> [String] {
    var gaps: [String] = []
    for id in targets {
      var serving: [String: EmulatorEvent] = [:]
      var everCovered = Set<String>()
      for event in events.sorted(by: { $0.seq < $1.seq }) where event.listenerId == id {
        guard let cert = event.certificateId else { continue }
        if event.kind == .certificateAssociated { serving[cert] = event }
        if event.kind == .certificateDissociating { serving[cert] = nil }
        for domain in domains {
          let covered = serving.values.contains { e in
            (e.notBefore ?? .distantPast) <= event.time && event.time <= (e.notAfter ?? .distantFuture)
              && HostnameMatcher.isCovered(domain, by: e.domains ?? [])
          }
          if covered {
            everCovered.insert(domain)
          } else if everCovered.contains(domain) {
            gaps.append("\(id) had no valid certificate for \(domain) after event \(event.seq) (\(event.kind.rawValue) \(cert))")
          }
        }
      }
    }
    return gaps
  }

  /// Figures for the narration.
  func summary() -> [String] {
    let changes = events.filter { [.certificateAssociated, .certificateDissociated].contains($0.kind) }.count
    return [
      "\(targets.count) target listeners serve the renewed certificate; the previous one is retired everywhere",
      "CAS holds \(state.certificates.filter { !$0.generated }.count) uploaded certificates (one copy each)",
      "\(events.count) events, \(changes) association changes, no moment without a valid certificate for "
        + domains.joined(separator: " or "),
    ]
  }
}
