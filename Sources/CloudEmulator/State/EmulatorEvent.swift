import Foundation

/// One state change, written as a JSON line by `GET /_emulator/events`.
///
/// Serving rule for audits: an additional certificate serves from its `certificate-associated`
/// event until its `certificate-dissociating` event; the default certificate always serves and
/// changes at `default-certificate-replaced`. Certificate events carry the certificate's domains and
/// validity so the log alone shows which names were covered at every moment.
public struct EmulatorEvent: Codable, Sendable, Equatable {
  /// What changed.
  public enum Kind: String, Codable, Sendable {
    /// An association job started; the certificate does not serve yet.
    case certificateAssociating = "certificate-associating"
    /// The certificate now serves on the listener.
    case certificateAssociated = "certificate-associated"
    /// A dissociation job started; the certificate stops serving now.
    case certificateDissociating = "certificate-dissociating"
    /// The certificate is gone from the listener.
    case certificateDissociated = "certificate-dissociated"
    /// The listener's default certificate changed (`detail` names the previous one).
    case defaultCertificateReplaced = "default-certificate-replaced"
    /// The listener status changed (`detail` is the new status).
    case listenerStatus = "listener-status"
    /// A certificate was uploaded to CAS (`detail` is its name).
    case casUploaded = "cas-uploaded"
    /// A certificate was deleted from CAS.
    case casDeleted = "cas-deleted"
    /// A CLB server certificate was created (`detail` names the CAS certificate it copies, if any).
    case serverCertificateUploaded = "server-certificate-uploaded"
    /// A CLB server certificate was deleted.
    case serverCertificateDeleted = "server-certificate-deleted"
  }

  /// When it happened (RFC 3339 with milliseconds, UTC, in JSON).
  public var time: Date
  /// Position in the log, from 1, without gaps.
  public var seq: Int
  /// What changed.
  public var kind: Kind
  /// The listener concerned.
  public var listenerId: String?
  /// The listener's load balancer.
  public var loadBalancerId: String?
  /// The certificate concerned (`<CertId>-<region>`).
  public var certificateId: String?
  /// Extra facts: new status, previous certificate, CAS name, job id.
  public var detail: String?
  /// Domains of the certificate concerned.
  public var domains: [String]?
  /// Validity start of the certificate concerned.
  public var notBefore: Date?
  /// Validity end of the certificate concerned.
  public var notAfter: Date?
  /// The job that made the change.
  public var jobId: String?

  /// Creates an event.
  public init(
    time: Date, seq: Int, kind: Kind, listenerId: String? = nil, loadBalancerId: String? = nil,
    certificateId: String? = nil, detail: String? = nil, domains: [String]? = nil,
    notBefore: Date? = nil, notAfter: Date? = nil, jobId: String? = nil
  ) {
    self.time = time
    self.seq = seq
    self.kind = kind
    self.listenerId = listenerId
    self.loadBalancerId = loadBalancerId
    self.certificateId = certificateId
    self.detail = detail
    self.domains = domains
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.jobId = jobId
  }

  enum CodingKeys: String, CodingKey {
    case time, seq, kind, listenerId, loadBalancerId, certificateId, detail, domains, notBefore, notAfter, jobId
  }

  /// Decodes an event with RFC 3339 times.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func date(_ key: CodingKeys) throws -> Date? {
      guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
      guard let d = TimeFormats.parseRFC3339(text) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not an RFC 3339 time: \(text)")
      }
      return d
    }
    guard let t = try date(.time) else {
      throw DecodingError.keyNotFound(
        CodingKeys.time, .init(codingPath: c.codingPath, debugDescription: "time is missing"))
    }
    time = t
    seq = try c.decode(Int.self, forKey: .seq)
    kind = try c.decode(Kind.self, forKey: .kind)
    listenerId = try c.decodeIfPresent(String.self, forKey: .listenerId)
    loadBalancerId = try c.decodeIfPresent(String.self, forKey: .loadBalancerId)
    certificateId = try c.decodeIfPresent(String.self, forKey: .certificateId)
    detail = try c.decodeIfPresent(String.self, forKey: .detail)
    domains = try c.decodeIfPresent([String].self, forKey: .domains)
    notBefore = try date(.notBefore)
    notAfter = try date(.notAfter)
    jobId = try c.decodeIfPresent(String.self, forKey: .jobId)
  }

  /// Encodes the event with RFC 3339 (millisecond) times.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(TimeFormats.rfc3339Milliseconds(time), forKey: .time)
    try c.encode(seq, forKey: .seq)
    try c.encode(kind, forKey: .kind)
    try c.encodeIfPresent(listenerId, forKey: .listenerId)
    try c.encodeIfPresent(loadBalancerId, forKey: .loadBalancerId)
    try c.encodeIfPresent(certificateId, forKey: .certificateId)
    try c.encodeIfPresent(detail, forKey: .detail)
    try c.encodeIfPresent(domains, forKey: .domains)
    try c.encodeIfPresent(notBefore.map(TimeFormats.rfc3339Milliseconds), forKey: .notBefore)
    try c.encodeIfPresent(notAfter.map(TimeFormats.rfc3339Milliseconds), forKey: .notAfter)
    try c.encodeIfPresent(jobId, forKey: .jobId)
  }
}
