import AlibabaCloud
import XCTest

/// Issue 13: the NLB, GA and CLB products carry their API versions and default endpoints (more-products spec
/// section 0).
final class LoadBalancerProductTests: XCTestCase {
  func testDefaultEndpointsAndVersions() throws {
    XCTAssertEqual(try CloudProduct.nlb.defaultEndpoint(region: "cn-shanghai").host, "nlb.cn-shanghai.aliyuncs.com")
    XCTAssertEqual(try CloudProduct.ga.defaultEndpoint(region: "eu-central-1").host, "ga.cn-hangzhou.aliyuncs.com")
    XCTAssertEqual(try CloudProduct.slb.defaultEndpoint(region: "cn-hangzhou").host, "slb.aliyuncs.com")
    XCTAssertEqual(try CloudProduct.slb.defaultEndpoint(region: "us-east-1").host, "slb.aliyuncs.com")
    XCTAssertEqual(try CloudProduct.slb.defaultEndpoint(region: "eu-central-1").host, "slb.eu-central-1.aliyuncs.com")
    XCTAssertEqual(CloudProduct.nlb.version, "2022-04-30")
    XCTAssertEqual(CloudProduct.ga.version, "2019-11-20")
    XCTAssertEqual(CloudProduct.slb.version, "2014-05-15")
    XCTAssertEqual(CloudProduct.slb.endpointVariable, "CERTHOOK_SLB_ENDPOINT")
  }
}
