import XCTest

final class AlibabaCloudTestsPlaceholder: XCTestCase {}
