import Foundation

/// A Global Accelerator listener as `ListListeners` or `DescribeListener` (2019-11-20) reports it.
///
/// Rule it keeps: `certificateIds` holds the default certificate only (GA lists additional certificates, bound per
/// domain, through `ListListenerCertificates`); only `HTTPS` listeners take certificates.
public struct GAListener: Sendable, Equatable, Codable {
  /// Listener ID, e.g. `lsr-...`.
  public var id: String
  /// The accelerator ID, e.g. `ga-...`.
  public var acceleratorId: String
  /// `TCP`, `UDP`, `HTTP` or `HTTPS` (compared without case).
  public var `protocol`: String
  /// The first port of the listener's port ranges (0 when none was reported).
  public var port: Int
  /// `active`, `init`, `updating`, `configuring` or `deleting`.
  public var state: String
  /// The default certificate (`<CertId>-<region>`), at most one.
  public var certificateIds: [String]
  /// Name or description, when reported.
  public var description: String?

  /// Creates a value.
  public init(
    id: String, acceleratorId: String, protocol: String, port: Int, state: String, certificateIds: [String],
    description: String? = nil
  ) {
    self.id = id
    self.acceleratorId = acceleratorId
    self.protocol = `protocol`
    self.port = port
    self.state = state
    self.certificateIds = certificateIds
    self.description = description
  }

  /// The default certificate, if any.
  public var defaultCertificateId: String? { certificateIds.first }
  /// Whether the listener can carry certificates (`HTTPS`).
  public var acceptsCertificates: Bool { `protocol`.uppercased() == "HTTPS" }
  /// Whether the listener is `active` (no change being applied).
  public var isActive: Bool { state.lowercased() == "active" }

  init(json: JSONValue) {
    let ranges = json["PortRanges"]?.array ?? []
    self.init(
      id: json["ListenerId"]?.string ?? "", acceleratorId: json["AcceleratorId"]?.string ?? "",
      protocol: json["Protocol"]?.string ?? "", port: ranges.first?["FromPort"]?.int ?? 0,
      state: json["State"]?.string ?? "",
      certificateIds: (json["Certificates"]?.array ?? []).compactMap { $0["Id"]?.string }.filter { !$0.isEmpty },
      description: json["Description"]?.string ?? json["Name"]?.string)
  }
}
