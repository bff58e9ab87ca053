import Foundation

/// An ALB asynchronous job from `ListAsynJobs`.
public struct AsyncJob: Sendable, Equatable, Codable {
  /// Job status.
  public enum Status: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Still running.
    case processing
    /// Finished successfully.
    case succeeded
    /// Finished with an error (`errorCode`, `errorMessage`).
    case failed
    /// Anything else, kept verbatim.
    case other(String)

    /// Parses the wire value.
    public init(wire: String) {
      switch wire.lowercased() {
      case "processing": self = .processing
      case "succeeded": self = .succeeded
      case "failed": self = .failed
      default: self = .other(wire)
      }
    }

    /// The wire spelling.
    public var description: String {
      switch self {
      case .processing: return "Processing"
      case .succeeded: return "Succeeded"
      case .failed: return "Failed"
      case .other(let s): return s
      }
    }
  }

  /// Job ID.
  public var id: String
  /// The API that created it.
  public var apiName: String?
  /// Current status.
  public var status: Status
  /// Error code when failed.
  public var errorCode: String?
  /// Error message when failed.
  public var errorMessage: String?
  /// Operation type (e.g. `Update`).
  public var operateType: String?
  /// The resource it changes (e.g. the listener ID).
  public var resourceId: String?
  /// The resource type (e.g. `listener`).
  public var resourceType: String?
  /// Creation time, ms since the epoch.
  public var createTime: Int64?
  /// Last change, ms since the epoch.
  public var modifyTime: Int64?

  /// Creates a job value.
  public init(
    id: String, apiName: String? = nil, status: Status, errorCode: String? = nil, errorMessage: String? = nil,
    operateType: String? = nil, resourceId: String? = nil, resourceType: String? = nil, createTime: Int64? = nil,
    modifyTime: Int64? = nil
  ) {
    self.id = id
    self.apiName = apiName
    self.status = status
    self.errorCode = errorCode
    self.errorMessage = errorMessage
    self.operateType = operateType
    self.resourceId = resourceId
    self.resourceType = resourceType
    self.createTime = createTime
    self.modifyTime = modifyTime
  }

  init(json: JSONValue) {
    func nonEmpty(_ key: String) -> String? { json[key]?.string.flatMap { $0.isEmpty ? nil : $0 } }
    self.init(
      id: json["Id"]?.string ?? "", apiName: nonEmpty("ApiName"), status: Status(wire: json["Status"]?.string ?? ""),
      errorCode: nonEmpty("ErrorCode"), errorMessage: nonEmpty("ErrorMessage"), operateType: nonEmpty("OperateType"),
      resourceId: nonEmpty("ResourceId"), resourceType: nonEmpty("ResourceType"),
      createTime: json["CreateTime"]?.int.map(Int64.init), modifyTime: json["ModifyTime"]?.int.map(Int64.init))
  }
}
