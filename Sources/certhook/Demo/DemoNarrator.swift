import CertHookCore
import CloudEmulator
import Foundation
import NIOConcurrencyHelpers

/// Prints the demo's story to standard output: numbered steps, indented facts, listener tables.
final class DemoNarrator: Sendable {
  private let stepNumber = NIOLockedValueBox(0)
  private let write: @Sendable (String) -> Void

  init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
    self.write = write
  }

  static func day(_ date: Date) -> String {
    String(ISO8601DateFormatter().string(from: date).prefix(10))
  }

  func step(_ title: String) {
    let number = stepNumber.withLockedValue {
      $0 += 1
      return $0
    }
    write("\n== \(number). \(title)")
  }

  func say(_ line: String) {
    write("   \(line)")
  }

  /// One line per listener outcome, with the actions it took and any notes.
  func report(_ report: DeploymentReport) {
    for certificate in report.certificates {
      say("certificate \(certificate.identifier) (\(certificate.name))\(certificate.wasUploaded ? ", uploaded now" : "")")
    }
    for outcome in report.listeners {
      let actions = outcome.actions.map { "\($0.kind.rawValue) \($0.certificateIds.joined(separator: ","))" }
      say("\(outcome.listenerId): \(outcome.outcome.rawValue)"
        + (actions.isEmpty ? "" : " (\(actions.joined(separator: "; ")))") + (outcome.error.map { ": \($0)" } ?? ""))
      for note in outcome.notes { say("  note: \(note)") }
    }
    for warning in report.warnings { say("warning: \(warning)") }
    for error in report.errors { say("error: \(error)") }
    say(report.summaryLine)
  }

  /// Every listener with its default and additional certificates and their domains.
  func listeners(_ state: EmulatorState) {
    let domains = Dictionary(state.certificates.map { ($0.certIdentifier, $0.sans.joined(separator: ",")) }) { a, _ in a }
    for lb in state.loadBalancers {
      for listener in lb.listeners {
        say("\(lb.id) \(listener.id) \(listener.protocol):\(listener.port) \(listener.status)")
        if let d = listener.defaultCertificateId { say("    default     \(name(d, in: state, domains))") }
        for c in listener.certificates {
          let bound = c.domain.map { " for \($0)" } ?? ""
          say("    additional  \(name(c.certificateId, in: state, domains))\(bound) \(c.status)")
        }
      }
    }
  }

  /// A certificate as the listener holds it, with its names; a CLB server certificate also names the CAS
  /// certificate it copies.
  private func name(_ id: String, in state: EmulatorState, _ domains: [String: String]) -> String {
    if let copy = state.serverCertificates?.first(where: { $0.id == id }) {
      return "\(id) (SLB copy of \(state.casIdentifier(of: id) ?? "a PEM upload")) [\(copy.sans.joined(separator: ","))]"
    }
    return "\(id) [\(domains[id] ?? "")]"
  }
}
