import Foundation

/// The complete emulator world, including private keys; persisted to `--state` and never served.
struct StoredState: Codable, Sendable {
  var version = 1
  var region: String
  var loadBalancers: [StoredLoadBalancer] = []
  var listeners: [StoredListener] = []
  var certificates: [StoredCertificate] = []
  var jobs: [StoredJob] = []
  var idempotency: [String: IdempotencyEntry] = [:]
  var events: [EmulatorEvent] = []
  var nextCertId = 13_781_001
  var nextEventSeq = 1
  var ids = DeterministicRandom(seed: 0x0C0F_FEE0)
}

/// One ALB instance.
struct StoredLoadBalancer: Codable, Sendable {
  var id: String
  var edition: String
  var certificateQuota: Int
}

/// One additional certificate on a listener.
struct StoredAssociation: Codable, Sendable {
  var certificateId: String
  var status: String
}

/// One listener.
struct StoredListener: Codable, Sendable {
  var id: String
  var loadBalancerId: String
  var `protocol`: String
  var port: Int
  var description: String
  var status: String
  var defaultCertificateId: String?
  var additional: [StoredAssociation] = []

  var acceptsCertificates: Bool { `protocol` == "HTTPS" || `protocol` == "QUIC" }
}

/// One CAS certificate, with what CAS shows about it.
struct StoredCertificate: Codable, Sendable {
  var certId: Int
  var name: String
  var resourceId: String
  var certPEM: String
  var keyPEM: String
  var commonName: String
  var sans: [String]
  var fingerprint: String
  var sha2: String
  var serialNo: String
  var issuer: String
  var algorithm: String
  var notBefore: Date
  var notAfter: Date
  var chain: [ChainEntry]
  var uploadedAt: Date
  var resourceGroupId: String?
  var generated: Bool

  /// One certificate of the uploaded chain, as CertChain shows it.
  struct ChainEntry: Codable, Sendable {
    var commonName: String
    var issuerCommonName: String
    var notBefore: Date
    var notAfter: Date
    var isCA: Bool
  }

  func identifier(region: String) -> String { "\(certId)-\(region)" }

  /// CAS status: ISSUED, WILLEXPIRED (30 days or less left) or EXPIRED.
  func status(now: Date) -> String {
    if notAfter <= now { return "EXPIRED" }
    if notAfter.timeIntervalSince(now) <= 30 * 86_400 { return "WILLEXPIRED" }
    return "ISSUED"
  }

  /// Every domain the certificate names (common name and SANs, deduplicated).
  var domains: [String] {
    var seen = Set<String>()
    return ([commonName] + sans).filter { !$0.isEmpty && seen.insert($0).inserted }
  }
}

/// One asynchronous ALB job.
struct StoredJob: Codable, Sendable {
  enum Change: Codable, Sendable {
    case associate([String])
    case dissociate([String])
    case update(defaultCertificateId: String?, description: String?)
  }

  var id: String
  var apiName: String
  var listenerId: String
  var change: Change
  var status: String
  var createTime: Date
  var modifyTime: Date
  var completeAt: Date
  var errorCode: String?
  var errorMessage: String?

  var operateType: String {
    switch change {
    case .associate: return "Create"
    case .dissociate: return "Delete"
    case .update: return "Update"
    }
  }
}

/// The first answer to a write with a given ClientToken.
struct IdempotencyEntry: Codable, Sendable {
  var action: String
  var fields: [String: String]
  var intFields: [String: Int]
  var time: Date
}
