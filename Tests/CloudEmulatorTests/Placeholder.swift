import XCTest

final class CloudEmulatorTestsPlaceholder: XCTestCase {}
