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

  /// What a listener holds, by CAS identifier: a CLB's SLB server certificate stands for the CAS certificate it
  /// copies. `serving`: only what is `Associated`.
  private func held(_ listener: EmulatorState.Listener, serving: Bool) -> [String] {
    listener.certificates.filter { !serving || $0.status == "Associated" }.map {
      state.casIdentifier(of: $0.certificateId) ?? $0.certificateId
    }
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
      if !held(listener, serving: true).contains(where: currentIds.contains) {
        found.append("\(id) does not serve the renewed certificate")
      }
      if held(listener, serving: false).contains(where: previousIds.contains) {
        found.append("\(id) still has the previous certificate")
      }
    }
    let unrelatedIds = Set(identifiers(unrelated))
    if state.listener("lsr-demo-1-https")?.certificates.contains(where: { unrelatedIds.contains($0.certificateId) }) != true {
      found.append("the unrelated certificate was removed from lsr-demo-1-https")
    }
    return found + coverageGaps()
  }

  /// The event log's coverage replay (`CoverageReplay`) for every target listener.
  func coverageGaps() -> [String] {
    targets.flatMap { CoverageReplay.gaps(events, listener: $0, domains: domains).gaps }
  }

  /// Figures for the narration.
  func summary() -> [String] {
    let changes = events.filter { [.certificateAssociated, .certificateDissociated].contains($0.kind) }.count
    return [
      "\(targets.count) target listeners (ALB, NLB, Global Accelerator, CLB) serve the renewed certificate; the "
        + "previous one is retired everywhere",
      "CAS holds \(state.certificates.filter { !$0.generated }.count) uploaded certificates (one copy each)",
      "\(events.count) events, \(changes) association changes, no moment without a valid certificate for "
        + domains.joined(separator: " or "),
    ]
  }
}
