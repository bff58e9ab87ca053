import Foundation

/// The fault drawn for one request.
enum InjectedFault: String, Sendable {
  case throttle, unavailable, reset, slow
  case busyLoadBalancer = "busy-lb"
}
