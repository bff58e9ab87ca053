import Foundation

/// The drivers of one session, one per product, and the routing of engine keys and job IDs to them.
///
/// Rules it keeps: a key goes to its product's driver or fails naming the product the session cannot reach; a
/// job ID a driver returned is qualified with its product (`nlb:<job>`) so it comes back to the same driver (ALB's
/// stay bare, as before products existed).
public struct ListenerDrivers: Sendable {
  /// The drivers by product.
  public let drivers: [ListenerProduct: any ListenerDriver]

  /// Creates the set (the last driver of a product wins).
  public init(_ drivers: [any ListenerDriver]) {
    self.drivers = Dictionary(drivers.map { ($0.product, $0) }, uniquingKeysWith: { _, last in last })
  }

  /// The driver of `product`.
  public func driver(_ product: ListenerProduct) throws -> any ListenerDriver {
    guard let driver = drivers[product] else {
      throw CertHookError.invalidArgument(
        "\(product.displayName) listeners are not reachable from this session (no \(product.rawValue) client)")
    }
    return driver
  }

  /// The driver and parsed address of a listener key.
  public func route(_ key: String) throws -> (any ListenerDriver, ListenerAddress) {
    let address = try ListenerAddress(key: key)
    return (try driver(address.product), address)
  }

  /// A job ID as the engine carries it.
  public static func qualifiedJob(_ jobId: String, of product: ListenerProduct) -> String {
    product.qualified(jobId)
  }

  /// The driver and its own ID of an engine job ID.
  public func routeJob(_ jobId: String) throws -> (any ListenerDriver, String) {
    let product = ListenerProduct(key: jobId)
    return (try driver(product), ListenerProduct.unqualified(jobId))
  }
}
