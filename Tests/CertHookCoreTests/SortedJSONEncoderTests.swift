import CertHookTestSupport
import Foundation
import XCTest

@testable import CertHookCore

/// `SortedJSONEncoder` is held to Foundation's `JSONEncoder` byte for byte: the state file and every `--json`
/// document must not change with the encoder that wrote them.
final class SortedJSONEncoderTests: XCTestCase {
  private struct Everything: Encodable {
    var keyed: [String: Int]
    var empty: [Int] = []
    var emptyObject: [String: Int] = [:]
    var doubles: [Double]
    var float: Float = 0.1
    var text: String
    var date: Date
    var absent: Int? = nil
    var nulls: [Int?] = [nil, 1]
    var url = URL(string: "https://example.test/a/b?c=d")!
    var data = Data([1, 2, 3, 250])
    var small: Int8 = -5
    var big: UInt64 = .max
    var nested: [[String: [Bool]]] = [["x": [true, false]], [:]]
  }

  private let keys = [
    "a10", "a2", "B", "a", "_x", "Z", "z", "é", "e\u{301}", "e", "a-b", "a_b", "aB", "ab", "A1", "a01", "a1",
    "notBefore", "notary", "1", "10", "9", "", " ", "ß", "ss", "😀", "\u{7f}", "k/\"\\",
  ]

  private func foundation<T: Encodable>(_ value: T, pretty: Bool, slashes: Bool) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
    if !slashes { encoder.outputFormatting.insert(.withoutEscapingSlashes) }
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  private func ours<T: Encodable>(_ value: T, pretty: Bool, slashes: Bool) throws -> String {
    let data = try SortedJSONEncoder(prettyPrinted: pretty, escapesSlashes: slashes).encode(value)
    return String(decoding: data, as: UTF8.self)
  }

  private func assertSame<T: Encodable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
    for pretty in [true, false] {
      for slashes in [true, false] {
        XCTAssertEqual(
          try ours(value, pretty: pretty, slashes: slashes), try foundation(value, pretty: pretty, slashes: slashes),
          "pretty \(pretty), slashes escaped \(slashes)", file: file, line: line)
      }
    }
  }

  func testEveryKindOfValueMatchesJSONEncoder() throws {
    var keyed: [String: Int] = [:]
    for (index, key) in keys.enumerated() { keyed[key] = index }
    let value = Everything(
      keyed: keyed,
      doubles: [1, 0.1, 1e20, 1.5e-7, 123_456_789.123, -0.0, 1e-5, 100, 2.5, 1e16, 1e15, 1.2345678901234567e19, .pi],
      text: "q\"\\/\u{0}\u{1f}\u{7f}\u{2028}é\n\r\t\u{8}\u{c}😀 end",
      date: Date(timeIntervalSince1970: 1_796_505_444.9))
    try assertSame(value)
    try assertSame(Date(timeIntervalSince1970: -1.5))
    try assertSame([[Int]]([[], [1]]))
    try assertSame("a fragment")
    try assertSame(3)
  }

  func testSeededRandomDocumentsMatchJSONEncoder() throws {
    var random = SeededGenerator(seed: 0x5EED)
    for _ in 0..<300 {
      try assertSame(RandomValue.make(&random, depth: 0))
    }
  }

  func testTheStateFileAndASyncReportKeepTheirBytes() throws {
    var snapshot = StateSnapshot()
    snapshot.certificates["AB/CD"] = CertificateRecord(
      certId: 42, identifier: "42-cn-hangzhou", name: "certhook-x/1", notAfter: Date(timeIntervalSince1970: 2e9),
      uploadedByCerthook: true, recordedAt: nil)
    snapshot.listeners["lsr-1"] = ListenerRecord(
      certificateIds: ["42-cn-hangzhou"], updatedAt: Date(timeIntervalSince1970: 1.8e9 + 0.75))
    let file = StateFile(scopes: ["account/a01/site/cn-hangzhou": snapshot, "default": StateSnapshot()])
    let expected = try foundation(file, pretty: true, slashes: true)
    XCTAssertEqual(String(decoding: try file.encoded(), as: UTF8.self), expected)
  }

  func testANonFiniteNumberThrowsWithItsPath() {
    struct Holder: Encodable { var value: [Double] }
    XCTAssertThrowsError(try SortedJSONEncoder().encode(Holder(value: [1, .nan]))) { error in
      guard case EncodingError.invalidValue(_, let context) = error else { return XCTFail("\(error)") }
      XCTAssertEqual(context.codingPath.map(\.stringValue), ["value", "Index 1"])
    }
  }

  func testAKeyEncodedTwiceKeepsItsLastValue() throws {
    struct Twice: Encodable {
      enum Key: String, CodingKey { case b, a }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(1, forKey: .b)
        try container.encode(2, forKey: .a)
        try container.encode(3, forKey: .b)
      }
    }
    XCTAssertEqual(try ours(Twice(), pretty: false, slashes: true), #"{"a":2,"b":3}"#)
  }

  func testSuperEncodersAndValuesThatEncodeNothing() throws {
    struct Parent: Encodable {
      enum Key: String, CodingKey { case own, other }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("x", forKey: .own)
        var inherited = container.superEncoder().container(keyedBy: Key.self)
        try inherited.encode(1, forKey: .other)
        var list = container.nestedUnkeyedContainer(forKey: .other)
        try list.encode(Nothing())
        var single = list.superEncoder().singleValueContainer()
        try single.encode(true)
      }
    }
    struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
    try assertSame(Parent())
  }
}

/// A JSON value generated from a seed, encoded through keyed, unkeyed and single-value containers.
private indirect enum RandomValue: Encodable {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case null
  case date(Date)
  case array([RandomValue])
  case object([String: RandomValue])

  private static let alphabet: [String] = [
    "a", "b", "Z", "0", "9", "/", "\"", "\\", "\n", "\t", "\u{1}", "\u{1f}", " ", "é", "ß", "😀", "\u{2028}", "-", "_",
  ]

  static func make(_ random: inout SeededGenerator, depth: Int) -> RandomValue {
    switch random.next(depth > 3 ? 6 : 8) {
    case 0: return .string(text(&random))
    case 1: return .int(Int(truncatingIfNeeded: random.raw()) >> random.next(60))
    case 2:
      let magnitude = Double(random.next(2_000_000)) / 1000 * pow(10, Double(random.next(40)) - 20)
      return .double(random.next(2) == 0 ? magnitude : -magnitude)
    case 3: return .bool(random.next(2) == 0)
    case 4: return .null
    case 5: return .date(Date(timeIntervalSince1970: Double(random.next(4_000_000_000)) / 1.7 - 1e8))
    case 6: return .array((0..<random.next(5)).map { _ in make(&random, depth: depth + 1) })
    default:
      var members: [String: RandomValue] = [:]
      for _ in 0..<random.next(6) { members[text(&random)] = make(&random, depth: depth + 1) }
      return .object(members)
    }
  }

  private static func text(_ random: inout SeededGenerator) -> String {
    (0..<random.next(8)).map { _ in alphabet[random.next(alphabet.count)] }.joined()
  }

  func encode(to encoder: any Encoder) throws {
    var single = encoder.singleValueContainer()
    switch self {
    case .string(let value): try single.encode(value)
    case .int(let value): try single.encode(value)
    case .double(let value): try single.encode(value)
    case .bool(let value): try single.encode(value)
    case .null: try single.encodeNil()
    case .date(let value): try single.encode(value)
    case .array(let values):
      var list = encoder.unkeyedContainer()
      for value in values { try list.encode(value) }
    case .object(let members): try single.encode(members)
    }
  }
}

extension SeededGenerator {
  fileprivate mutating func raw() -> UInt64 { next() }
  fileprivate mutating func next(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
}
