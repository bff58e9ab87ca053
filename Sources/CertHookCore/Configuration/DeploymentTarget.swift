import Foundation

/// A deployment target: one listener, or every HTTPS/QUIC listener of a load balancer.
///
/// In the file a target is a mapping with one key per kind (`listener: ID`, `loadBalancer: ID`; each also spelled
/// with `Id`), or a plain ID whose prefix says the kind. Adding a kind: a case here, its `CodingKeys` case and
/// its branch in `init(from:)`.
public enum DeploymentTarget: Sendable, Codable, Equatable, Hashable {
  /// A single listener by ID.
  case listener(String)
  /// All HTTPS and QUIC listeners of a load balancer, optionally filtered.
  case loadBalancer(String, protocols: [String]?, ports: [Int]?)

  /// The key of each kind.
  enum CodingKeys: String, CodingKey, CaseIterable {
    case listener, loadBalancer
  }

  /// The keys a target mapping may hold: each kind (also spelled `<kind>Id`), the load balancer filters and the
  /// placement.
  static let fileKeys: Set<String> = Set(CodingKeys.allCases.flatMap { [$0.rawValue, $0.rawValue + "Id"] })
    .union(["protocols", "ports"]).union(TargetPlacement.fileKeys)

  /// A short label for messages.
  public var label: String {
    switch self {
    case .listener(let id): return id
    case .loadBalancer(let id, _, _): return id
    }
  }

  /// Decodes one `targets[i]` (its placement keys are `TargetPlacement`'s).
  public init(from decoder: any Decoder) throws {
    if let text = ConfigurationFields.scalar(decoder) {
      if text.hasPrefix("lsr-") {
        self = .listener(text)
      } else if text.hasPrefix("alb-") {
        self = .loadBalancer(text, protocols: nil, ports: nil)
      } else {
        throw CertHookError.configuration(
          path: ConfigurationDecoder.path(decoder.codingPath),
          message: "\"\(text)\" is ambiguous; write `listener: ID` or `loadBalancer: ID`")
      }
      return
    }
    try self.init(fields: try ConfigurationFields(decoder, known: nil))
  }

  /// The target a mapping names (`PlacedTarget` reads its placement from the same `fields`).
  init(fields: ConfigurationFields) throws {
    for kind in CodingKeys.allCases {
      guard let key = fields.first(kind.rawValue, kind.rawValue + "Id"), let id = try fields.string(key) else {
        continue
      }
      guard !id.isEmpty else { throw fields.error(key, "must not be empty") }
      switch kind {
      case .listener:
        if fields.has("protocols") || fields.has("ports") {
          fields.warn("\(fields.path): protocols/ports filter only load balancer targets; ignored for a listener")
        }
        self = .listener(id)
      case .loadBalancer:
        self = .loadBalancer(id, protocols: try Self.protocols(fields), ports: try Self.ports(fields))
      }
      return
    }
    throw fields.error(nil, "names no target; write `listener: ID` or `loadBalancer: ID`")
  }

  private static func protocols(_ fields: ConfigurationFields) throws -> [String]? {
    guard let list = try fields.stringList("protocols")?.map({ $0.uppercased() }) else { return nil }
    for (i, name) in list.enumerated() where name != "HTTPS" && name != "QUIC" {
      throw fields.error("protocols[\(i)]", "\"\(name)\" is not HTTPS or QUIC")
    }
    return list
  }

  /// One port or a list of ports, each 1 to 65535.
  private static func ports(_ fields: ConfigurationFields) throws -> [Int]? {
    guard let value = try fields.value("ports") else { return nil }
    guard var list = try? value.unkeyedContainer() else {
      return [try ConfigurationFields.inRange(try fields.int("ports") ?? 0, 1...65535, path: fields.at("ports"))]
    }
    var ports: [Int] = []
    while !list.isAtEnd {
      let path = fields.at("ports[\(list.currentIndex)]")
      ports.append(try ConfigurationFields.inRange(try ConfigurationFields.int(list.superDecoder(), path: path), 1...65535, path: path))
    }
    return ports
  }
}
