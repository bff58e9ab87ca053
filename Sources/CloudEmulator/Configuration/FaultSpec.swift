import Foundation

/// Probabilities of injected faults per API request, parsed from
/// `throttle=0.1,unavailable=0.05,reset=0.05,slow=0.05:2000,busy-lb=0.3`.
public struct FaultSpec: Sendable, Equatable {
  /// Probability of a `Throttling.User` answer (the request is not applied).
  public var throttle: Double
  /// Probability of a 503 `ServiceUnavailable` answer (the request is not applied).
  public var unavailable: Double
  /// Probability that the request is applied and the connection then closed without a response.
  public var reset: Double
  /// Probability of a slow response (applied, answered after `slowDelay`).
  public var slow: Double
  /// Extra delay of a slow response.
  public var slowDelay: Duration
  /// Probability that an `UpdateListenerAttribute` finds its load balancer briefly busy
  /// (`IncorrectBusinessStatus.LoadBalancer`, not applied); drawn apart from the other faults.
  public var busyLoadBalancer: Double
  /// Listeners whose TLS data plane ignores API changes: they keep presenting the certificates they
  /// held when the emulator started (`no-serve=L1+L2`).
  public var noServe: [String] = []

  /// Creates a fault specification; the probabilities must sum to at most 1.
  public init(
    throttle: Double = 0, unavailable: Double = 0, reset: Double = 0, slow: Double = 0,
    slowDelay: Duration = .seconds(2), busyLoadBalancer: Double = 0
  ) {
    self.busyLoadBalancer = busyLoadBalancer
    self.throttle = throttle
    self.unavailable = unavailable
    self.reset = reset
    self.slow = slow
    self.slowDelay = slowDelay
  }

  /// No faults.
  public static let none = FaultSpec()

  /// True when none of the per-request faults (all but `busyLoadBalancer`) can happen.
  public var isNone: Bool { throttle + unavailable + reset + slow <= 0 }

  /// Parses `name=P[,name=P...]` with names `throttle`, `unavailable`, `reset`, `slow` (`slow=P:MS`), `busy-lb`, and `no-serve=L1+L2`.
  public static func parse(_ s: String) throws -> FaultSpec {
    var spec = FaultSpec()
    let text = s.trimmingCharacters(in: .whitespaces)
    if text.isEmpty || text == "none" { return spec }
    for item in text.split(separator: ",") {
      let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard pair.count == 2 else {
        throw EmulatorError("faults '\(s)': '\(item)' is not name=probability")
      }
      if pair[0] == "no-serve" {
        let ids = pair[1].split(separator: "+").map { String($0) }
        guard !ids.isEmpty, !ids.contains(where: { $0.isEmpty }) else {
          throw EmulatorError("faults '\(s)': no-serve takes listener IDs joined by '+', e.g. no-serve=lsn-1+lsn-2")
        }
        spec.noServe += ids
        continue
      }
      var valueText = pair[1]
      if pair[0] == "slow", let colon = valueText.firstIndex(of: ":") {
        guard let ms = Int64(valueText[valueText.index(after: colon)...]), ms >= 0 else {
          throw EmulatorError("faults '\(s)': slow delay must be milliseconds, e.g. slow=0.05:2000")
        }
        spec.slowDelay = .milliseconds(ms)
        valueText = String(valueText[..<colon])
      }
      guard let p = Double(valueText), p >= 0, p <= 1 else {
        throw EmulatorError("faults '\(s)': probability of '\(pair[0])' must be between 0 and 1")
      }
      switch pair[0] {
      case "throttle": spec.throttle = p
      case "unavailable": spec.unavailable = p
      case "reset": spec.reset = p
      case "slow": spec.slow = p
      case "busy-lb": spec.busyLoadBalancer = p
      default:
        throw EmulatorError(
          "faults '\(s)': unknown fault '\(pair[0])' (use throttle, unavailable, reset, slow, busy-lb, no-serve)")
      }
    }
    if spec.throttle + spec.unavailable + spec.reset + spec.slow > 1.000_000_1 {
      throw EmulatorError("faults '\(s)': the probabilities add up to more than 1")
    }
    return spec
  }
}
