import struct AlibabaCloud.ApiAction
import Foundation

/// An error answer of the emulated API: HTTP status, `Code` and `Message`.
struct ApiError: Error, Sendable, Equatable {
  var status: Int
  var code: String
  var message: String
  var retryAfterMilliseconds: Int?

  init(_ status: Int, _ code: String, _ message: String, retryAfterMilliseconds: Int? = nil) {
    self.status = status
    self.code = code
    self.message = message
    self.retryAfterMilliseconds = retryAfterMilliseconds
  }

  static func missingParameter(_ name: String) -> ApiError {
    ApiError(
      400, "MissingParameter",
      "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied.")
  }

  static func invalidParameter(_ detail: String) -> ApiError {
    ApiError(400, "InvalidParameter", "The specified parameter is not valid: \(detail).")
  }

  static func incompleteSignature(_ detail: String) -> ApiError {
    ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. \(detail)")
  }

  static func throttled(retryAfterMilliseconds: Int? = nil) -> ApiError {
    ApiError(
      400, "Throttling.User", "Request was denied due to user flow control.",
      retryAfterMilliseconds: retryAfterMilliseconds)
  }

  /// A request body above the limit (the code is assumed: no public source names the gateway's).
  static func bodyTooLarge(limit: Int) -> ApiError {
    ApiError(413, "RequestEntityTooLarge", "The request body is larger than \(limit) bytes.")
  }

  static let serviceUnavailable = ApiError(
    503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")

  static let dryRun = ApiError(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.")

  static func incorrectListenerStatus(_ id: String, _ status: String) -> ApiError {
    ApiError(400, "IncorrectStatus.Listener", "The status of \(id) [\(status)] is incorrect.")
  }

  /// The load balancer of the listener is briefly busy (Terraform retries this code around UpdateListenerAttribute;
  /// the message is assumed).
  static func loadBalancerBusy(_ listenerId: String) -> ApiError {
    ApiError(
      400, "IncorrectBusinessStatus.LoadBalancer",
      "The business status of the load balancer of \(listenerId) is incorrect, please try again later.")
  }

  /// The error the `busy-lb` fault answers for `row`, nil for an action it does not touch: each product's
  /// default-certificate write finds its instance busy with that product's code.
  static func busyFault(for row: ApiAction, params: Parameters) -> ApiError? {
    switch (row.product, row.name) {
    case (.alb, "UpdateListenerAttribute"): return loadBalancerBusy(params.string("ListenerId") ?? "")
    case (.nlb, "UpdateListenerAttribute"): return nlbLocked(params.string("ListenerId") ?? "")
    case (.ga, "UpdateListener"): return gaAcceleratorBusy(params.string("AcceleratorId") ?? "")
    case (.slb, "SetLoadBalancerHTTPSListenerAttribute"):
      return ApiError(400, "ServiceIsConfiguring", "The specified service is configuring, please try again later.")
    case (.slb, "CreateDomainExtension"), (.slb, "SetDomainExtensionAttribute"), (.slb, "DeleteDomainExtension"):
      // Terraform retries this code around every domain-extension write (more-products spec section 3).
      return ApiError(
        400, "DomainExtensionProcessing", "The domain extension is being processed, please try again later.")
    default: return nil
    }
  }

  /// NLB: the instance or listener is locked by a change still applied (code from Terraform's retry list; assumed
  /// for this case).
  static func nlbLocked(_ id: String) -> ApiError {
    ApiError(400, "Conflict.Lock", "The resource \(id) is locked by another operation, please try again later.")
  }

  /// GA: the accelerator's exclusive lock is held by an earlier change (Terraform retries this code).
  static func gaAcceleratorBusy(_ id: String) -> ApiError {
    ApiError(400, "StateError.Accelerator", "The state of the accelerator \(id) is not active.")
  }

  /// NLB's not-found code spells the resource in lower case (Terraform `ResourceNotFound.listener`).
  static func nlbListenerNotFound(_ id: String) -> ApiError {
    ApiError(404, "ResourceNotFound.listener", "The specified resource \(id) is not found.")
  }

  static func listenerNotFound(_ id: String) -> ApiError {
    ApiError(404, "ResourceNotFound.Listener", "The specified resource \(id) is not found.")
  }

  static func certificateNotFound(_ id: String) -> ApiError {
    ApiError(404, "ResourceNotFound.Certificate", "The specified resource \(id) is not found.")
  }
}
