import Foundation

/// A certificate on a listener, from `ListListenerCertificates`.
public struct ListenerCertificate: Sendable, Equatable, Codable {
  /// Association status.
  public enum Status: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Being attached.
    case associating
    /// Attached and in use.
    case associated
    /// Being detached (the SDKs spell it `Diassociating`, the docs `Dissociating`: both accepted).
    case dissociating
    /// Anything else, kept verbatim.
    case other(String)

    /// Parses the wire value.
    public init(wire: String) {
      switch wire.lowercased() {
      case "associating": self = .associating
      case "associated": self = .associated
      case "diassociating", "dissociating", "disassociating": self = .dissociating
      default: self = .other(wire)
      }
    }

    /// The wire spelling (the SDK's `Diassociating` for `.dissociating`).
    public var description: String {
      switch self {
      case .associating: return "Associating"
      case .associated: return "Associated"
      case .dissociating: return "Diassociating"
      case .other(let s): return s
      }
    }
  }

  /// ALB certificate ID (`<CertId>-<region>`).
  public var certificateId: String
  /// `Server` or `Ca`.
  public var type: String
  /// True for the listener's default certificate.
  public var isDefault: Bool
  /// Association status.
  public var status: Status

  /// Creates a value.
  public init(certificateId: String, type: String, isDefault: Bool, status: Status) {
    self.certificateId = certificateId
    self.type = type
    self.isDefault = isDefault
    self.status = status
  }

  init(json: JSONValue) {
    self.init(
      certificateId: json["CertificateId"]?.string ?? "", type: json["CertificateType"]?.string ?? "Server",
      isDefault: json["IsDefault"]?.bool ?? false, status: Status(wire: json["Status"]?.string ?? ""))
  }
}
