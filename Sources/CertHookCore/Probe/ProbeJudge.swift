import CertificateKit
import Foundation

/// Judges one presented chain for one pair: expiry, name coverage, whether the API lists it on the
/// listener, and chain trust. Pure apart from the OpenSSL trust check.
public struct ProbeJudge: Sendable {
  /// The reference time.
  public var now: Date
  /// Warning and critical windows.
  public var policy: CheckPolicy
  /// Trusted roots.
  public var trust: TrustEvaluator

  /// Creates a judge.
  public init(now: Date, policy: CheckPolicy, trust: TrustEvaluator) {
    self.now = now
    self.policy = policy
    self.trust = trust
  }

  /// The result for a presented `chain` (leaf first); an empty chain is `unreachable`.
  public func evaluate(_ target: ProbeTarget, endpoint: String, chain: [Certificate]) -> ProbeResult {
    guard let leaf = chain.first else {
      return ProbeResult(target: target, endpoint: endpoint, error: "no certificate was presented", status: "unreachable")
    }
    let covers = leaf.covers(hostname: target.domain)
    let listed = target.listed[leaf.sha256Fingerprint.uppercased()]
    let verdict = trust.verify(chain, now: now)
    var problem: String? = nil
    if case .untrusted(let reason) = verdict { problem = reason }
    let window = AuditRunner.status(notAfter: leaf.notAfter, now: now, policy: policy)
    let status: String
    if window == "expired" {
      status = "expired"
    } else if !covers {
      status = "uncovered"
    } else if listed == nil {
      status = "unexpected"
    } else if problem != nil {
      status = "untrusted"
    } else {
      status = window
    }
    return ProbeResult(
      target: target, endpoint: endpoint, sha256: leaf.sha256Fingerprint, serial: leaf.serialNumber,
      notAfter: leaf.notAfter, daysRemaining: leaf.daysRemaining(now: now), covers: covers,
      chainTrusted: problem == nil, chainProblem: problem, listedCertificateId: listed, status: status)
  }
}
