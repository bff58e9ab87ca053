import XCTest

/// A test case with a fresh `LifecycleWorld` (emulator, files, clock) per test, stopped after it.
class LifecycleWorldTestCase: XCTestCase {
  private var world: LifecycleWorld?

  override func setUp() async throws {
    world = try await LifecycleWorld.start()
  }

  override func tearDown() async throws {
    await world?.stop()
    world = nil
  }

  /// This test's world.
  func w() throws -> LifecycleWorld { try XCTUnwrap(world) }
}
