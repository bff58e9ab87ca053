import Foundation

/// One listener of any product (`product`, nil for ALB). A CLB listener's ID is `<load balancer ID>:<port>`.
struct StoredListener: Codable, Sendable {
  var id: String
  var loadBalancerId: String
  var `protocol`: String
  var port: Int
  var description: String
  var status: String
  var defaultCertificateId: String?
  var additional: [StoredAssociation] = []
  var product: EmulatorSeed.Product? = nil

  var kind: EmulatorSeed.Product { product ?? .alb }

  var acceptsCertificates: Bool { ["HTTPS", "QUIC", "TCPSSL"].contains(`protocol`) }

  /// The status of a listener that takes changes: `Running` (ALB, NLB), `active` (GA), `running` (CLB).
  var idleStatus: String { kind.idleListenerStatus }
  /// The status while a change is applied: `Configuring` (ALB, NLB), `updating` (GA).
  var busyStatus: String { kind == .ga ? "updating" : "Configuring" }
}
