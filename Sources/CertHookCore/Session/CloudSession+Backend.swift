import AlibabaCloud
import Foundation

extension CloudSession {
  /// The lifecycle backend of this session: CAS, and a listener driver for every product the session reaches
  /// (ALB always; NLB, GA and CLB on the same credentials, limiter and transport, each at its own endpoint).
  public func backend(pollInterval: Duration) throws -> AlibabaCloudBackend {
    AlibabaCloudBackend(alb: alb, cas: cas, pollInterval: pollInterval, products: try productDrivers(pollInterval: pollInterval))
  }

  /// The NLB, GA and CLB drivers.
  func productDrivers(pollInterval: Duration) throws -> [any ListenerDriver] {
    [
      NLBListenerDriver(nlb: try nlb(), pollInterval: pollInterval),
      GAListenerDriver(ga: try ga(), cas: cas, pollInterval: pollInterval),
      CLBListenerDriver(slb: try slb(), cas: cas, pollInterval: pollInterval),
    ]
  }
}
