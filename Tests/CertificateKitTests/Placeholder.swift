import XCTest

final class CertificateKitTestsPlaceholder: XCTestCase {}
