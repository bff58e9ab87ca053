import Foundation

/// Who signed a request, once its signature checked out.
struct VerifiedCaller: Sendable, Equatable {
  var accessKeyId: String
  var nonce: String
  /// `V3` or `V1`.
  var version: String
  /// The date the request was signed with (`x-acs-date` or `Timestamp`).
  var date: Date
}
