import Foundation
import Yams

/// One YAML mapping of the configuration, read key by key inside a model type's `init(from:)`: every key not in
/// `known` is a warning (`unknown key deployments[0].extra (line 7) ignored`), every error names the key path and
/// the line, and no message quotes a value unless the reader asks for it.
struct ConfigurationFields {
  /// Any key of the mapping.
  struct Key: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// The mapping's key path (`deployments[0]`; empty at the top).
  let path: String
  private let decoder: any Decoder
  private let container: KeyedDecodingContainer<Key>
  /// The mapping's keys in the order the decoder sees them (each once).
  let keys: [String]
  private let present: Set<String>

  /// The mapping `decoder` holds, its keys and merge keys checked and every key not in `known` warned about;
  /// `known` nil takes any key (`quotas:`) or leaves the warnings to the caller (a target and its placement).
  init(_ decoder: any Decoder, known: Set<String>?) throws {
    self.decoder = decoder
    path = ConfigurationDecoder.path(decoder.codingPath)
    guard let container = try? decoder.container(keyedBy: Key.self) else {
      throw CertHookError.configuration(
        path: path, message: "must be a mapping\(ConfigurationFields.line(decoder))")
    }
    self.container = container
    var seen = Set<String>()
    keys = container.allKeys.map(\.stringValue).filter { seen.insert($0).inserted }
    present = seen
    guard let context = ConfigurationFields.context(decoder),
      let mapping = try context.node(at: decoder.codingPath)?.mapping
    else { return }
    _ = try ConfigurationDecoder.pairs(mapping, path: path, depth: 0)
    if let known { ConfigurationFields.warnUnknown(mapping, path: path, known: known, context: context) }
  }

  /// Warns about every key of `mapping` (and of the mappings it merges) not in `known`, in file order.
  private static func warnUnknown(
    _ mapping: Node.Mapping, path: String, known: Set<String>, context: ConfigurationDecoder.Context
  ) {
    var merged: [Node] = []
    for (key, value) in mapping {
      guard let name = key.scalar?.string else { continue }
      if name == "<<" {
        merged += value.sequence.map { Array($0) } ?? [value]
      } else if !known.contains(name) {
        context.warn("unknown key \(path.isEmpty ? name : "\(path).\(name)")\(ConfigurationDecoder.line(key)) ignored")
      }
    }
    for source in merged {
      if let inner = source.mapping { warnUnknown(inner, path: path, known: known, context: context) }
    }
  }

  static func context(_ decoder: any Decoder) -> ConfigurationDecoder.Context? {
    ConfigurationDecoder.contextKey.flatMap { decoder.userInfo[$0] } as? ConfigurationDecoder.Context
  }

  /// ` (line 7)` for the node `decoder` holds.
  static func line(_ decoder: any Decoder) -> String {
    decoder.mark.map { " (line \($0.line))" } ?? ""
  }

  /// Adds a warning (prefixed with the file), e.g. for a setting that does not apply.
  func warn(_ message: String) {
    ConfigurationFields.context(decoder)?.warn(message)
  }

  /// The key path of `key`.
  func at(_ key: String) -> String {
    path.isEmpty ? key : "\(path).\(key)"
  }

  /// Whether the mapping has `key`.
  func has(_ key: String) -> Bool {
    present.contains(key)
  }

  /// The first of `keys` the mapping has.
  func first(_ keys: String...) -> String? {
    keys.first { has($0) }
  }

  /// The decoder of `key`'s value, nil when the key is absent.
  func value(_ key: String) throws -> (any Decoder)? {
    guard has(key) else { return nil }
    return try container.superDecoder(forKey: Key(stringValue: key))
  }

  /// A configuration error at `key` (the mapping itself for nil).
  func error(_ key: String?, _ message: String) -> CertHookError {
    CertHookError.configuration(path: key.map(at) ?? path, message: message)
  }

  /// `key`'s value decoded as `T` (its own `init(from:)` reads it), nil when absent.
  func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
    guard has(key) else { return nil }
    return try container.decode(type, forKey: Key(stringValue: key))
  }

  /// `key`'s string, nil when absent (`shownAs` names the key in the message when it was spelled otherwise).
  func string(_ key: String, shownAs: String? = nil) throws -> String? {
    try value(key).map { try Self.string($0, path: at(shownAs ?? key)) }
  }

  func int(_ key: String) throws -> Int? {
    try value(key).map { try Self.int($0, path: at(key)) }
  }

  func double(_ key: String) throws -> Double? {
    guard let value = try value(key) else { return nil }
    guard let text = Self.scalar(value), let number = Double(text), !number.isNaN else {
      throw error(key, "must be a number\(Self.line(value))")
    }
    return number
  }

  func bool(_ key: String) throws -> Bool? {
    guard let value = try value(key) else { return nil }
    guard let flag = try? value.singleValueContainer().decode(Bool.self) else {
      throw error(key, "must be true or false\(Self.line(value))")
    }
    return flag
  }

  /// A duration in seconds: `90`, `90s`, `2m` or `500ms`.
  func seconds(_ key: String) throws -> Double? {
    guard let value = try value(key) else { return nil }
    guard let text = Self.scalar(value) else {
      throw error(key, "must be a duration such as 90 or 90s or 2m\(Self.line(value))")
    }
    var number = text.trimmingCharacters(in: .whitespaces)
    var factor = 1.0
    if number.hasSuffix("ms") {
      factor = 0.001
      number.removeLast(2)
    } else if number.hasSuffix("s") {
      number.removeLast()
    } else if number.hasSuffix("m") {
      factor = 60
      number.removeLast()
    }
    guard let seconds = Double(number), seconds > 0, !seconds.isNaN else {
      throw error(key, "\"\(text)\" is not a positive duration such as 90, 90s or 2m")
    }
    return seconds * factor
  }

  /// A list of strings, or one string of names separated by spaces or commas.
  func stringList(_ key: String) throws -> [String]? {
    try value(key).map { try Self.stringList($0, path: at(key)) }
  }

  /// An http(s) URL; quoted back only when it looks like one mistyped URL (a multi-line or spaced value may be a
  /// pasted block of the file, secrets included, and the key path already says where to look).
  func url(_ key: String) throws -> String? {
    guard let text = try string(key) else { return nil }
    guard let url = URL(string: text), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil
    else {
      let plausible =
        text.count <= 120
        && !text.contains(where: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
      let shown = plausible ? "\"\(text)\"" : "the value (not shown: \(text.count) characters with spaces or line breaks)"
      throw error(key, "\(shown) is not an http(s) URL")
    }
    if let port = url.port, !(1...65535).contains(port) {
      throw error(key, "port \(port) is out of range (1 to 65535)")
    }
    return text
  }

  /// A region id such as `cn-hangzhou`.
  func region(_ key: String) throws -> String? {
    guard let text = try string(key) else { return nil }
    guard TargetPlacement.isRegionId(text) else {
      throw error(key, "\"\(text)\" is not a region id (e.g. cn-hangzhou)")
    }
    return text
  }

  /// One of `names` (`ConfigurationDecoder.oneOf`).
  func oneOf<T>(_ key: String, shownAs: String? = nil, _ names: [String], as make: (String) -> T?) throws -> T? {
    try string(key, shownAs: shownAs).map {
      try ConfigurationDecoder.oneOf($0, path: at(shownAs ?? key), names, as: make)
    }
  }

  /// `value` inside `range`, else an error at `key` naming the range and `unit`.
  func inRange<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ key: String, unit: String = "") throws -> T? {
    try value.map { try Self.inRange($0, range, path: at(key), unit: unit) }
  }

  // MARK: - single values

  /// The scalar text `decoder` holds, nil for a mapping or list.
  static func scalar(_ decoder: any Decoder) -> String? {
    try? decoder.singleValueContainer().decode(String.self)
  }

  static func string(_ decoder: any Decoder, path: String) throws -> String {
    guard let text = scalar(decoder) else {
      throw CertHookError.configuration(path: path, message: "must be a string\(line(decoder))")
    }
    return text
  }

  static func int(_ decoder: any Decoder, path: String) throws -> Int {
    guard scalar(decoder) != nil, let number = try? decoder.singleValueContainer().decode(Int.self) else {
      throw CertHookError.configuration(path: path, message: "must be an integer\(line(decoder))")
    }
    return number
  }

  static func stringList(_ decoder: any Decoder, path: String) throws -> [String] {
    if let text = scalar(decoder) {
      return text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }
    guard var list = try? decoder.unkeyedContainer() else {
      throw CertHookError.configuration(path: path, message: "must be a list of strings\(line(decoder))")
    }
    var result: [String] = []
    while !list.isAtEnd {
      let index = list.currentIndex
      result.append(try string(try list.superDecoder(), path: "\(path)[\(index)]"))
    }
    return result
  }

  static func inRange<T: Comparable>(_ value: T, _ range: ClosedRange<T>, path: String, unit: String = "") throws -> T {
    guard range.contains(value) else {
      throw CertHookError.configuration(
        path: path, message: "must be between \(range.lowerBound) and \(range.upperBound)\(unit), got \(value)")
    }
    return value
  }
}
