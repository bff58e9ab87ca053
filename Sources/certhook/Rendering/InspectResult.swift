import CertificateKit
import Foundation

/// What `certhook inspect` found: the certificates, the key, the findings and the verdict.
struct InspectResult {
  let input: InspectInput
  let domains: [String]
  let findings: [Finding]
  let deployable: Bool
  let now: Date
  let policy: CheckPolicy

  /// Findings about the certificate at chain position `index`.
  func findings(for index: Int) -> [Finding] {
    findings.filter { $0.certificateIndex == index }
  }

  /// Findings about the whole chain, the key or the domains.
  var generalFindings: [Finding] {
    findings.filter { $0.certificateIndex == nil }
  }
}
