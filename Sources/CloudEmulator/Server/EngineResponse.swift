import Foundation

/// The answer the HTTP layer sends for one API request.
struct EngineResponse: Sendable {
  var status: Int
  var body: String
  var headers: [(String, String)]
  /// Close the connection instead of answering (the change, if any, is applied).
  var reset = false
  /// Extra delay before answering (slow fault).
  var extraDelay: Duration = .zero
}
