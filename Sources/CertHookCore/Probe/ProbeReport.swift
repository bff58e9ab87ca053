import Foundation

/// Every pair probed, with `scan`'s exit-code semantics.
public struct ProbeReport: Sendable, Equatable, Codable {
  /// One result per (listener, domain) pair, in listener then domain order.
  public var results: [ProbeResult]
  /// Listeners or load balancers that could not be read (no pair could be formed for them).
  public var errors: [String]

  /// Creates a report.
  public init(results: [ProbeResult], errors: [String]) {
    self.results = results
    self.errors = errors
  }

  /// 0 fine; 1 a warning window, an unreachable pair or a read error; 2 critical window, expired, not
  /// covering, not a listed certificate or an untrusted chain; 3 nothing reachable.
  public var exitCode: Int32 {
    if !results.contains(where: { $0.status != "unreachable" }) { return 3 }
    if results.contains(where: \.isCritical) { return 2 }
    if !errors.isEmpty || results.contains(where: { $0.status == "warning" || $0.status == "unreachable" }) {
      return 1
    }
    return 0
  }

  /// Result counts per status.
  public var counts: [String: Int] {
    var result: [String: Int] = [:]
    for item in results { result[item.status, default: 0] += 1 }
    return result
  }
}
