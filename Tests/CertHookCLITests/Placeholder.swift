import XCTest

final class CertHookCLITestsPlaceholder: XCTestCase {}
