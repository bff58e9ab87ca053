@testable import AlibabaCloud
import CertHookTestSupport
import Foundation
import XCTest

/// The answer parser accepts exactly what `JSONDecoder` accepts and yields the same values: checked on API-shaped
/// answers, on the edges of the grammar, and differentially on thousands of seeded mutations of real answers.
final class JSONParserTests: XCTestCase {
  private static let answers = [
    #"{"RequestId":"4C3F-11","Certificates":[{"CertificateId":"13781326-cn-hangzhou","IsDefault":true,"Status":"Associated"}],"TotalCount":1,"NextToken":""}"#,
    #"{"Jobs":[{"Id":"job-1","Status":"Succeeded","CreateTime":1764900000000,"ModifyTime":1764900000050,"ErrorCode":null}]}"#,
    #"  {"Code":"Throttling.User","Message":"Request was denied due to user flow control.","HostId":"alb.cn-hangzhou.aliyuncs.com"}  "#,
    #"{"a":[1,-2.5e3,0.001,1E+2,true,false,null,"x\"y\\z\/\b\f\n\r\t","\u00e9\u4e2d\ud83d\ude00"],"b":{"c":{}},"d":[]}"#,
    #"[]"#, #"{}"#, #""plain""#, #"42"#, #"-0"#, #"null"#, #"true"#,
  ]

  private func reference(_ text: [UInt8]) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(text))
  }

  func testAnswersParseAsJSONDecoderReadsThem() {
    for answer in Self.answers {
      let bytes = Array(answer.utf8)
      XCTAssertNotNil(JSONParser.parse(bytes), answer)
      XCTAssertEqual(JSONParser.parse(bytes), reference(bytes), answer)
    }
    let jobs = JSONValue.parse(Array(Self.answers[1].utf8))
    XCTAssertEqual(jobs?["Jobs"]?.array.first?["ModifyTime"]?.int, 1_764_900_000_050)
    XCTAssertEqual(JSONValue.parse(Array(Self.answers[3].utf8))?["a"]?.array[8].string, "é中😀")
  }

  func testWhatIsNotJSONIsNil() {
    let refused = [
      "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", ".5", "-", "1e", "+1",
      "tru", "nul", "[1 2]", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\nb\"", "1e400", "{} {}",
      "[\"\u{1}\"]", "NaN", "Infinity",
    ]
    for text in refused {
      XCTAssertNil(JSONParser.parse(Array(text.utf8)), text.debugDescription)
    }
    XCTAssertNil(JSONParser.parse([0x22, 0xFF, 0x22]), "invalid UTF-8")
    XCTAssertNil(JSONParser.parse([0x22, 0xC3, 0x22]), "truncated UTF-8")
  }

  /// Nesting past the limit is refused, not a stack overflow; at the limit it parses.
  func testDeepNestingIsRefusedWithoutExhaustingTheStack() {
    let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
    XCTAssertNil(JSONParser.parse(deep))
    let limit = JSONParser.maximumDepth
    let ok = Array(repeating: UInt8(ascii: "["), count: limit) + Array(repeating: UInt8(ascii: "]"), count: limit)
    XCTAssertNotNil(JSONParser.parse(ok))
  }

  /// Seeded mutations (byte flips, insertions, deletions, truncations) of the answers: wherever `JSONDecoder`
  /// reads a value, the parser reads the same one, and wherever it refuses, so does the parser.
  func testMutationsAgreeWithJSONDecoder() {
    var rng = SeededGenerator(seed: 0x5EED)
    let alphabet = Array("{}[]\",:\\/ 0123456789.-+eEtrufalsn\u{1}uD8dcX".utf8) + [0xC3, 0xA9, 0xFF, 0x0A]
    var agreed = 0
    var parsed = 0
    for round in 0..<6000 {
      var bytes = Array(Self.answers[round % Self.answers.count].utf8)
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
        let byte = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        switch rng.next() % 4 {
        case 0 where !bytes.isEmpty: bytes[at] = byte
        case 1: bytes.insert(byte, at: at)
        case 2 where !bytes.isEmpty: bytes.remove(at: at)
        default: bytes = Array(bytes.prefix(at))
        }
      }
      let mine = JSONParser.parse(bytes)
      let theirs = reference(bytes)
      XCTAssertEqual(mine, theirs, String(decoding: bytes, as: UTF8.self).debugDescription)
      if mine == theirs { agreed += 1 }
      if mine != nil { parsed += 1 }
    }
    XCTAssertEqual(agreed, 6000)
    XCTAssertGreaterThan(parsed, 300, "the mutations keep enough valid answers to compare values")
  }
}
