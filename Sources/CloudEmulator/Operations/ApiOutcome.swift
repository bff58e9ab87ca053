import Foundation

/// The success fields of an operation (RequestId is added by the engine).
struct ApiOutcome: Sendable {
  var fields: [(String, JSONValue)]
  var replayed = false
}
