import XCTest

final class CertHookCoreTestsPlaceholder: XCTestCase {}
