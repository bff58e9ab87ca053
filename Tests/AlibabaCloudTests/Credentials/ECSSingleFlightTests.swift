import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 15: the ECS RAM-role provider, like the role providers, fetches once for many concurrent requests.
final class ECSSingleFlightTests: XCTestCase {
  func testConcurrentRequestsShareOneMetadataFetch() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let expiration = AcsTimestamp.iso8601(clock.now.addingTimeInterval(3600))
    let metadata = FakeTransport { request, _ in
      if request.method == "PUT" { return HTTPResponseSpec(status: 200, body: Array("t".utf8)) }
      return FakeTransport.json([
        "Code": "Success", "AccessKeyId": "STS.ecs", "AccessKeySecret": "s", "SecurityToken": "tok",
        "Expiration": expiration,
      ])
    }
    let provider = ECSMetadataCredentialProvider(roleName: "r1", transport: metadata, now: { clock.now })
    try await withThrowingTaskGroup(of: String?.self) { group in
      for _ in 0..<12 { group.addTask { try await provider.credentials()?.accessKeyId } }
      for try await id in group { XCTAssertEqual(id, "STS.ecs") }
    }
    XCTAssertEqual(metadata.requests.filter { $0.method == "GET" }.count, 1)
    XCTAssertEqual(metadata.requests.filter { $0.method == "PUT" }.count, 1)
  }
}
