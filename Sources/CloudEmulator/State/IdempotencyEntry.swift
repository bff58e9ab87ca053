import Foundation

/// The first answer to a write with a given ClientToken.
struct IdempotencyEntry: Codable, Sendable {
  var action: String
  var fields: [String: String]
  var intFields: [String: Int]
  var time: Date
}
