import Foundation

/// The success fields of an operation (RequestId is added by the engine).
struct ApiOutcome: Sendable {
  var fields: [(String, ResponseJSON)]
  var replayed = false
}
