import CertificateKit
import Foundation

/// One encoded JSON value, before it is written. Containers are boxes, so a container handed out by an encoder
/// keeps filling the node its parent already holds.
enum JSONNode {
  /// A string, escaped when written.
  case string(String)
  /// A number, `true`, `false` or `null`, written as is.
  case literal(String)
  case array(JSONArrayBox)
  case object(JSONObjectBox)
  /// What a `superEncoder()` encodes, known only once its owner is done.
  case deferred(JSONTreeEncoder)
}

/// The elements of an array, in order.
final class JSONArrayBox {
  var items: [JSONNode] = []
}

/// The members of an object, in encoding order (the writer sorts them).
final class JSONObjectBox {
  var keys: [String] = []
  var values: [JSONNode] = []

  func append(_ key: String, _ value: JSONNode) {
    keys.append(key)
    values.append(value)
  }
}

/// Turns values into `JSONNode`s, with the special cases `JSONEncoder` makes under the strategies certhook uses.
enum JSONTree {
  static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> JSONNode {
    if T.self == String.self { return .string(value as! String) }
    if T.self == Int.self { return .literal(String(value as! Int)) }
    if T.self == Bool.self { return .literal((value as! Bool) ? "true" : "false") }
    // `.iso8601`: whole seconds in UTC, as `ISO8601DateFormatter` writes them.
    if T.self == Date.self { return .string(TimestampText.rfc3339(value as! Date)) }
    if T.self == URL.self { return .string((value as! URL).absoluteString) }
    if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
    if T.self == Double.self { return try number(value as! Double, codingPath) }
    if T.self == Float.self { return try number(value as! Float, codingPath) }
    let encoder = JSONTreeEncoder(codingPath: codingPath)
    try value.encode(to: encoder)
    return encoder.node ?? .object(JSONObjectBox())
  }

  /// `description` without a trailing `.0`: what `JSONEncoder` writes (`1`, `0.1`, `1e+20`, `1.5e-07`).
  static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(
    _ value: F, _ codingPath: [any CodingKey]
  ) throws -> JSONNode {
    guard value.isFinite else {
      throw EncodingError.invalidValue(
        value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) is not valid JSON"))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return .literal(text)
  }
}

/// The `Encoder` a value encodes itself into: it ends holding the value's node.
final class JSONTreeEncoder: Encoder, SingleValueEncodingContainer {
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  /// What was encoded; nil while nothing was.
  var node: JSONNode?

  init(codingPath: [any CodingKey]) {
    self.codingPath = codingPath
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object(let box)? = node { return KeyedEncodingContainer(JSONKeyedContainer(box: box, codingPath)) }
    let box = JSONObjectBox()
    node = .object(box)
    return KeyedEncodingContainer(JSONKeyedContainer(box: box, codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array(let box)? = node { return JSONUnkeyedContainer(box: box, codingPath) }
    let box = JSONArrayBox()
    node = .array(box)
    return JSONUnkeyedContainer(box: box, codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { self }

  func encodeNil() throws { node = .literal("null") }
  func encode(_ value: Bool) throws { node = .literal(value ? "true" : "false") }
  func encode(_ value: String) throws { node = .string(value) }
  func encode(_ value: Double) throws { node = try JSONTree.number(value, codingPath) }
  func encode(_ value: Float) throws { node = try JSONTree.number(value, codingPath) }
  func encode(_ value: Int) throws { node = .literal(String(value)) }
  func encode(_ value: Int8) throws { node = .literal(String(value)) }
  func encode(_ value: Int16) throws { node = .literal(String(value)) }
  func encode(_ value: Int32) throws { node = .literal(String(value)) }
  func encode(_ value: Int64) throws { node = .literal(String(value)) }
  func encode(_ value: UInt) throws { node = .literal(String(value)) }
  func encode(_ value: UInt8) throws { node = .literal(String(value)) }
  func encode(_ value: UInt16) throws { node = .literal(String(value)) }
  func encode(_ value: UInt32) throws { node = .literal(String(value)) }
  func encode(_ value: UInt64) throws { node = .literal(String(value)) }
  func encode<T: Encodable>(_ value: T) throws { node = try JSONTree.node(for: value, codingPath: codingPath) }
}

/// The members of one object.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: JSONObjectBox
  let codingPath: [any CodingKey]

  init(box: JSONObjectBox, _ codingPath: [any CodingKey]) {
    self.box = box
    self.codingPath = codingPath
  }

  mutating func encodeNil(forKey key: Key) throws { box.append(key.stringValue, .literal("null")) }
  mutating func encode(_ value: Bool, forKey key: Key) throws {
    box.append(key.stringValue, .literal(value ? "true" : "false"))
  }
  mutating func encode(_ value: String, forKey key: Key) throws { box.append(key.stringValue, .string(value)) }
  mutating func encode(_ value: Double, forKey key: Key) throws {
    box.append(key.stringValue, try JSONTree.number(value, codingPath + [key]))
  }
  mutating func encode(_ value: Float, forKey key: Key) throws {
    box.append(key.stringValue, try JSONTree.number(value, codingPath + [key]))
  }
  mutating func encode(_ value: Int, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { box.append(key.stringValue, .literal(String(value))) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws {
    box.append(key.stringValue, .literal(String(value)))
  }
  mutating func encode(_ value: UInt32, forKey key: Key) throws {
    box.append(key.stringValue, .literal(String(value)))
  }
  mutating func encode(_ value: UInt64, forKey key: Key) throws {
    box.append(key.stringValue, .literal(String(value)))
  }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    box.append(key.stringValue, try JSONTree.node(for: value, codingPath: codingPath + [key]))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = JSONObjectBox()
    box.append(key.stringValue, .object(nested))
    return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = JSONArrayBox()
    box.append(key.stringValue, .array(nested))
    return JSONUnkeyedContainer(box: nested, codingPath + [key])
  }

  mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
  mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue, key) }

  private func superEncoder(named name: String, _ key: (any CodingKey)? = nil) -> any Encoder {
    let encoder = JSONTreeEncoder(codingPath: codingPath + [key ?? JSONIndexKey(name)])
    box.append(name, .deferred(encoder))
    return encoder
  }
}

/// The elements of one array.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
  let box: JSONArrayBox
  let codingPath: [any CodingKey]
  var count: Int { box.items.count }

  init(box: JSONArrayBox, _ codingPath: [any CodingKey]) {
    self.box = box
    self.codingPath = codingPath
  }

  private var nextPath: [any CodingKey] { codingPath + [JSONIndexKey(box.items.count)] }

  mutating func encodeNil() throws { box.items.append(.literal("null")) }
  mutating func encode(_ value: Bool) throws { box.items.append(.literal(value ? "true" : "false")) }
  mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
  mutating func encode(_ value: Double) throws { box.items.append(try JSONTree.number(value, nextPath)) }
  mutating func encode(_ value: Float) throws { box.items.append(try JSONTree.number(value, nextPath)) }
  mutating func encode(_ value: Int) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int8) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int16) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int32) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int64) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt8) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt16) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt32) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt64) throws { box.items.append(.literal(String(value))) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    box.items.append(try JSONTree.node(for: value, codingPath: nextPath))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = JSONObjectBox()
    let path = nextPath
    box.items.append(.object(nested))
    return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, path))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let nested = JSONArrayBox()
    let path = nextPath
    box.items.append(.array(nested))
    return JSONUnkeyedContainer(box: nested, path)
  }

  mutating func superEncoder() -> any Encoder {
    let encoder = JSONTreeEncoder(codingPath: nextPath)
    box.items.append(.deferred(encoder))
    return encoder
  }
}

/// A coding key for an array index or a `super` member, in coding paths.
struct JSONIndexKey: CodingKey {
  let stringValue: String
  let intValue: Int?

  init(_ index: Int) {
    stringValue = "Index \(index)"
    intValue = index
  }

  init(_ name: String) {
    stringValue = name
    intValue = nil
  }

  init?(stringValue: String) { self.init(stringValue) }
  init?(intValue: Int) { self.init(intValue) }
}
