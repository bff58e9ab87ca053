import Foundation

/// The endpoint a product client talks to: the caller's override (https, or http to loopback only) or the
/// product's public endpoint for the region.
///
/// Rule it keeps: an override is validated by `EndpointPolicy` before any request is built.
enum ProductEndpoint {
  /// `override` when given (validated), else `product`'s default endpoint for `region`.
  static func resolve(_ override: URL?, product: CloudProduct, region: String) throws -> URL {
    if let override {
      try EndpointPolicy.validate(override)
      return override
    }
    return try product.defaultEndpoint(region: region)
  }
}
