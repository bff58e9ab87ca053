import XCTest

/// `certhook listeners` against the emulator, through the built binary.
final class ListenersCLITests: XCTestCase {
  func testListsEveryListenerWithItsDefaultCertificate() async throws {
    let world = try await LifecycleWorld.start()
    let result = try await world.run(["listeners", "--json"], state: false)
    let table = try await world.run(["listeners", "--load-balancer", "alb-h2", "--protocol", "HTTPS"], state: false)
    let verbose = try await world.run(["listeners", "-vvv"], state: false)
    await world.stop()

    XCTAssertEqual(result.status, 0, result.all)
    for id in ["lsr-h1-https", "lsr-h1-quic", "lsr-h1-http", "lsr-h2-https", "lsr-h2-8443"] {
      XCTAssertTrue(result.stdout.contains(id), "\(id) missing: \(result.all)")
    }
    XCTAssertEqual(table.status, 0, table.all)
    XCTAssertTrue(table.stdout.contains("lsr-h2-8443") && table.stdout.contains("(default)"), table.all)
    XCTAssertFalse(table.stdout.contains("lsr-h1-https"), "filtered by load balancer: \(table.all)")
    XCTAssertEqual(verbose.status, 0, verbose.all)
    XCTAssertFalse(verbose.all.contains(LifecycleWorld.secret), "the secret leaked at -vvv")
  }

  func testWrongSecretIsAClearErrorWithoutTheSecret() async throws {
    let world = try await LifecycleWorld.start()
    let result = try await world.run(
      ["listeners"], extra: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret-value-xyz"], state: false)
    await world.stop()
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.stderr.contains("SignatureDoesNotMatch"), result.all)
    XCTAssertFalse(result.all.contains("wrong-secret-value-xyz"))
  }
}
