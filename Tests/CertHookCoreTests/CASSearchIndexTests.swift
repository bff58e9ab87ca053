import Foundation
import XCTest
import CertHookTestSupport

@testable import CertHookCore

/// The run's one CAS listing answers keyword searches as CAS's fuzzy search does: the keyword, in any case, in the
/// name, the common name, the ID or a SAN; never across two fields; an empty keyword matches nothing.
final class CASSearchIndexTests: XCTestCase {
  func testSearchesMatchNameCommonNameIdAndNothingAcrossFields() async throws {
    let cloud = FakeCloud()
    let shop = await cloud.addCAS(try Fixtures.leaf(["shop.example.test"], until: 300), name: "Shop-2026")
    let api = await cloud.addCAS(try Fixtures.leaf(["api.other.test"], until: 300), name: "api-cert")
    let index = try await CASSearchIndex(base: cloud)
    func ids(_ keyword: String) async throws -> [Int] {
      try await index.searchCertificates(keyword: keyword).map(\.certId).sorted()
    }
    let byName = try await ids("SHOP-2026")
    XCTAssertEqual(byName, [shop])
    let byCommonName = try await ids("Other.Test")
    XCTAssertEqual(byCommonName, [api])
    let byId = try await ids(String(api))
    XCTAssertTrue(byId.contains(api), "\(byId)")
    let both = try await ids(".test")
    XCTAssertEqual(both, [shop, api].sorted())
    let acrossFields = try await ids("2026shop")
    XCTAssertEqual(acrossFields, [])
    let empty = try await ids("")
    XCTAssertEqual(empty, [])
    let calls = await cloud.calls
    XCTAssertEqual(calls.filter { $0.hasPrefix("ListUserCertificateOrder") }, ["ListUserCertificateOrder *"])
  }
}
