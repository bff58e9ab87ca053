import Foundation

/// One additional certificate on a listener.
struct StoredAssociation: Codable, Sendable {
  var certificateId: String
  var status: String
}
