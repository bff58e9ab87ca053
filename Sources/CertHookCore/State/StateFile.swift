import Foundation

/// The state file on disk: a recognisable header (`format`, `version`) and the cached facts per scope.
///
/// Rule: certhook only overwrites a file that carries this header (or is empty, or is the header-less version 1
/// certhook wrote before); anything else is somebody else's file and is left alone.
struct StateFile: Codable, Equatable {
  /// The value of `format`.
  static let formatName = "certhook-state"
  /// The version this build reads and writes.
  static let currentVersion = 2

  var format: String
  var version: Int
  /// Facts per `StateScope.key`.
  var scopes: [String: StateSnapshot]

  init(scopes: [String: StateSnapshot] = [:]) {
    format = Self.formatName
    version = Self.currentVersion
    self.scopes = scopes
  }

  /// What a file's bytes turned out to be.
  enum Contents: Equatable {
    /// Nothing (or only whitespace): free to write.
    case empty
    /// certhook state of this version.
    case state(StateFile)
    /// certhook's header, but the rest does not parse: start empty, may be overwritten.
    case corrupt
    /// Version 1 (no header, no scopes): its facts name no account, so they are dropped.
    case legacy
    /// Written by a newer certhook: left alone.
    case newer(Int)
    /// Not certhook state: never overwritten.
    case foreign
  }

  /// Classifies a file's bytes.
  static func classify(_ data: Data) -> Contents {
    if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .empty }
    // This build's own file (its header first, as it writes it) is parsed once; anything else is looked at as a
    // loose object first, to tell the other cases apart.
    let headed = hasHeaderPrefix(data)
    if headed, let file = try? decoder().decode(StateFile.self, from: data),
      file.format == formatName, file.version == currentVersion
    {
      return .state(file)
    }
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    guard let object else { return headed ? .corrupt : .foreign }
    if let format = object["format"] as? String {
      guard format == formatName else { return .foreign }
      let version = (object["version"] as? Int) ?? 0
      if version > currentVersion { return .newer(version) }
      guard version == currentVersion, let file = try? decoder().decode(StateFile.self, from: data) else {
        return .corrupt
      }
      return .state(file)
    }
    let legacyKeys: Set<String> = ["version", "certificates", "remote", "listeners"]
    if (object["version"] as? Int) == 1, Set(object.keys).isSubset(of: legacyKeys) { return .legacy }
    return .foreign
  }

  private static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }

  /// True when the bytes start with `{ "format" : "certhook-state"` (whitespace ignored): a certhook file that was
  /// damaged after its header.
  private static func hasHeaderPrefix(_ data: Data) -> Bool {
    let compact = data.prefix(256).filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    return compact.starts(with: Array("{\"format\":\"\(formatName)\"".utf8))
  }

  /// The file's bytes: sorted keys, so the header (`format`) comes first.
  func encoded() throws -> Data {
    try SortedJSONEncoder(prettyPrinted: true, escapesSlashes: true).encode(self)
  }
}
